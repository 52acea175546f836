"""A new webhook event and the work it queues, added as a module would add them: a router with
its handler and its kind of work, merged into the routes; then examined, queued, merged, sent
to the review process as JSON and run there with the installation's forge. Nothing else of
bot/app/ knows it; the review's own kind (``ReviewWork``) is held to the same contract."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace
from typing import Any

from gidgethub import sansio
from gidgethub.routing import Router
from support import deliveries, events

from bot.app import examine as examining
from bot.app.delivery import Verified
from bot.app.examine import Asked, examine
from bot.app.metrics import AppMetrics
from bot.app.promotions import GateWork
from bot.app.reviews import ReviewWork
from bot.app.routes import ROUTER, Routes
from bot.app.scheduler import Offer, Scheduler
from bot.app.work import InstallationRunner, Intake, Work
from bot.port.operations import Job, Operation, ResolveRef

REPO = "acme/patterns"
BEFORE, AFTER = "1" * 40, "2" * 40

# --- what a module `bot/app/pushes.py` would hold ------------------------------------------

router = Router()


@dataclass(frozen=True, slots=True)
class PushWork(Work):
    """Resolve the branch a push moved (one per repository: the newest push wins)."""

    ref: str

    def job(self, login: str) -> Job[str]:
        sha = yield ResolveRef(self.ref)
        return f"resolved {sha[:7]} as {login}"


@router.register("push")
async def pushed(event: sansio.Event, intake: Intake) -> None:
    intake.queue(PushWork(*intake.origin, event.data["ref"]))


# --- the one line of bot/app/routes.py ------------------------------------------------------

ROUTES = Routes(ROUTER, router)


def push(delivery_id: str) -> Verified:
    payload = events.push(REPO, BEFORE, AFTER) | {"installation": deliveries.installation(7)}
    return Verified("push", delivery_id, json.dumps(payload).encode(), "utf-8")


class Forges:
    """An installation's forge that answers what a push's job reads, and counts it."""

    login = "tierbot[bot]"

    def __init__(self) -> None:
        self.executed: list[Operation] = []

    async def forge(self, installation: int, repository: str) -> Forges:
        assert (installation, repository) == (7, REPO)
        return self

    async def execute(self, op: Operation) -> Any:
        self.executed.append(op)
        return AFTER


def test_a_new_event_is_examined_into_its_work(monkeypatch) -> None:
    monkeypatch.setattr(examining, "ROUTER", ROUTES)
    assert ROUTES.wants("push") and not ROUTER.wants("push")

    asked = asyncio.run(examine(push("d-1")))

    assert (asked.name, asked.outcome, asked.status) == ("push", "review", 202)
    assert asked.works == (PushWork(7, REPO, ("d-1",), "push", "refs/heads/main"),)
    # What a large delivery's examining child writes, the server reads back the same.
    assert Asked.from_json(json.loads(json.dumps(asked.to_json()))) == asked


def test_the_scheduler_merges_and_runs_any_kind_of_work(monkeypatch) -> None:
    monkeypatch.setattr(examining, "ROUTER", ROUTES)
    forges = Forges()
    runner = InstallationRunner(forges)
    outcomes: list[tuple[Work, str]] = []

    async def in_the_review_process(work: Work) -> str:
        # As bot.app.review_process: the work crosses to the child as JSON.
        received = Work.from_json(json.loads(json.dumps(work.to_json())))
        outcomes.append((received, await runner(received)))
        return outcomes[-1][1]

    async def two_pushes() -> None:
        scheduler = Scheduler(in_the_review_process, AppMetrics(), workers=1, capacity=4)
        for delivery_id in ("d-1", "d-2"):
            asked = await examine(push(delivery_id))
            assert scheduler.offer(asked.works) is Offer.ACCEPTED
        assert scheduler.queued == 1  # one key: the repository
        scheduler.start()
        await scheduler.close(grace=30)

    asyncio.run(two_pushes())

    [(work, outcome)] = outcomes
    assert work == PushWork(7, REPO, ("d-1", "d-2"), "push", "refs/heads/main")
    assert outcome == "resolved 2222222 as tierbot[bot]"
    assert forges.executed == [ResolveRef("refs/heads/main")]


def review(head: str | None, *deliveries: str, requesters: tuple[str, ...] = ()) -> ReviewWork:
    return ReviewWork(7, REPO, deliveries, "pull_request.synchronize", 3, head, requesters)


def test_a_review_is_one_per_pull_request_newest_head_first() -> None:
    first, second = review("a" * 40, "d-1"), review("b" * 40, "d-2", requesters=("octo",))
    assert first.key == second.key != replace(first, number=4).key
    merged = first.merged(second)
    assert merged == review(None, "d-1", "d-2")  # another head: the head then; ungated
    assert first.replaced_by(second) and not first.replaced_by(review("a" * 40, "d-2"))
    assert first.covers(review("a" * 40, "d-2"))  # a push's synchronize and check_suite
    assert not first.covers(review(None, "d-2")) and not first.covers(second)
    assert str(first) == f"review of {REPO}#3"
    assert Work.from_json(json.loads(json.dumps(second.to_json()))) == second


def test_a_gate_ask_is_one_with_the_review_of_its_pull_request() -> None:
    gate = GateWork(7, REPO, ("d-3",), "pull_request_review.submitted", 3)
    gated = review("a" * 40, "d-1", requesters=("octo",))
    assert gate.key == gated.key  # never run beside a review, which decides the gate too
    # A review queued decides the gate, whoever asked for it; a review asked later replaces it.
    assert gated.merged(gate) == review("a" * 40, "d-1", "d-3")
    assert gate.merged(gated) == replace(gated, deliveries=("d-3", "d-1"))
    assert not gated.covers(gate)  # a review running may have read the reviews before it
    assert Work.from_json(json.loads(json.dumps(gate.to_json()))) == gate
