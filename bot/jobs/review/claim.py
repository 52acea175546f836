"""Which review holds a `tierbot` check run: claims in `external_id`, waited out or taken over.

Replicas share nothing but GitHub, and GitHub appends a run's annotations on every update: two
reviews writing one run would show each annotation twice. So a review names itself in the
`external_id` of the run it creates, and only the review named there writes the run. Another
review of the same head waits until that run completes, then compares; a claim older than
``LEASE`` (by the run's `started_at`) belongs to a review that died, and is taken over.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.review.check_run import CheckOutput, surplus_output
from bot.jobs.once import create_once
from bot.port.operations import CreateCheckRun, Job, ListCheckRuns, Sleep, UpdateCheckRun, ask
from bot.port.results import CheckRun

log = logging.getLogger(__name__)

CHECK_RUN_NAME = "tierbot"
#: How long a review may hold a run in progress before another takes it over: far longer than
#: a review takes, GitHub's retries included.
LEASE = timedelta(minutes=5)
#: Seconds between looks at a run another review holds: soon at first, then every 15 s.
POLLS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)


@dataclass(slots=True)
class Claim:
    """A review as its check run knows it: the `external_id` it writes there, when it began,
    and how long it has waited for other reviews since (its clock: a job reads none)."""

    id: str
    began: datetime
    waited: float = 0.0

    def now(self) -> datetime:
        """When it is, as far as this review can tell: never later than the real time."""
        return self.began + timedelta(seconds=self.waited)

    def holds(self, run: CheckRun) -> bool:
        """``run`` is this review's to write: claimed by it and not completed."""
        return run.external_id == self.id and run.status != "completed"

    def busy(self, run: CheckRun) -> bool:
        """Another review holds ``run`` and is alive, as far as its lease tells."""
        return self._others(run) and not self._expired(run)

    def stale(self, run: CheckRun) -> bool:
        """Another review held ``run`` and is gone: its lease ran out before it completed."""
        return self._others(run) and self._expired(run)

    def pause(self, seconds: float) -> Sleep:
        """The operation waiting ``seconds``, counted on this review's clock."""
        self.waited += seconds
        return Sleep(seconds)

    def _others(self, run: CheckRun) -> bool:
        return run.status != "completed" and run.external_id != self.id

    def _expired(self, run: CheckRun) -> bool:
        return (run.started_at or self.began) + LEASE <= self.now()


def new_claim(origin: str) -> Claim:
    """A claim for a review beginning now; ``origin`` (a delivery id, a command) and a random
    part, so that no two reviews share one, a delivery sent to two replicas included."""
    return Claim(f"{origin}/{secrets.token_hex(4)}", datetime.now(UTC))


def is_ours(run: CheckRun, login: str) -> bool:
    """Made by tierbot's identity: GitHub names a run's App by its slug, the login less [bot]."""
    return run.app_slug == login.removesuffix("[bot]")


def newest_ours(runs: Iterable[CheckRun], login: str) -> CheckRun | None:
    """Our newest of ``runs`` (listed newest first): the one GitHub shows for the commit."""
    return next((run for run in runs if is_ours(run, login)), None)


def claim_new_run(head_sha: str, login: str, claim: Claim) -> Job[CheckRun | None]:
    """A new run in progress, claimed; or, when another review made a newer one meanwhile,
    that one, ours ended ``skipped`` (GitHub shows the newest). None in a dry run."""

    def landed() -> Job[CheckRun | None]:
        runs = yield from ask(ListCheckRuns(head_sha, CHECK_RUN_NAME))
        return next((r for r in runs if is_ours(r, login) and r.external_id == claim.id), None)

    create = CreateCheckRun(head_sha, CHECK_RUN_NAME, external_id=claim.id)
    mine: CheckRun | None = yield from create_once(create, landed)
    if mine is None:
        return None
    # Nothing stops two reviews creating at the same moment: the newest is the one that stays.
    newest = newest_ours((yield from ask(ListCheckRuns(head_sha, CHECK_RUN_NAME))), login)
    if newest is None or newest.id <= mine.id:
        return mine
    yield from end_check_run(mine, surplus_output())
    log.info("%s ended: %s, newer, reports this commit", mine.html_url, newest.html_url)
    return newest


def end_check_run(run: CheckRun, said: CheckOutput) -> Job[None]:
    """Complete ``run`` saying ``said``, an output without annotations: nothing appended."""
    yield from ask(UpdateCheckRun(run.id, "completed", said.conclusion, said.title, said.summary))


def await_check_run(run: CheckRun, login: str, claim: Claim) -> Job[CheckRun | None]:
    """``run`` once no other live review holds it: completed, or taken over when its review
    died; our newest run on its commit is looked at again and again until then."""
    pauses = itertools.chain((0.0,), POLLS, itertools.repeat(POLLS[-1]))
    current: CheckRun | None = run
    while current is not None and claim.busy(current):
        pause = next(pauses)
        if pause:
            yield from ask(claim.pause(pause))
        runs = yield from ask(ListCheckRuns(run.head_sha, CHECK_RUN_NAME))
        current = newest_ours(runs, login)
    if current is not None and claim.stale(current):
        return (yield from take_over(current, claim))
    return current


def take_over(run: CheckRun, claim: Claim) -> Job[CheckRun | None]:
    """Claim ``run`` from a review that died holding it; its lease starts again now."""
    log.warning(
        "taking %s over: %s held it since %s and never completed it",
        run.html_url,
        run.external_id or "an unnamed review",
        run.started_at,
    )
    taken = yield from ask(UpdateCheckRun(run.id, external_id=claim.id, started_at=claim.now()))
    return taken
