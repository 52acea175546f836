"""`pull_request_review` deliveries: an approval given, dismissed or edited re-decides the
promotion gate alone; the review itself, its comment and labels, are left as they are."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass

from gidgethub import sansio
from gidgethub.routing import Router

from bot.app.payload import field
from bot.app.reviews import FULL_REPORT, ReviewWork
from bot.app.work import Intake, Work
from bot.jobs.review.gather import judge_pull_request
from bot.jobs.review.promotion_gate import gate_check_run
from bot.port.operations import GetPullRequest, Job, ask

log = logging.getLogger(__name__)

router = Router()

#: What a reviewer can do that changes whose approval stands.
DECIDING_ACTIONS = ("submitted", "dismissed", "edited")
COMMENTED = "a review that only comments: the promotion gate stands as it was"


@dataclass(frozen=True, slots=True)
class GateWork(Work):
    """The promotion gate of one pull request decided again, at whatever its head is then."""

    number: int

    def job(self, login: str) -> Job[str]:
        return gate_job(self, login)

    @property
    def key(self) -> Hashable:
        # A review's key: never beside a review of the same pull request, which ends by
        # deciding the gate too (a review asked meanwhile takes this ask's place).
        return ReviewWork.__name__, self.repository.lower(), self.number

    def __str__(self) -> str:
        return f"promotion gate of {self.repository}#{self.number}"


def gate_job(work: GateWork, login: str) -> Job[str]:
    """Read the pull request's pages and approvals as GitHub has them now; set the gate's run."""
    log.info("deciding the promotion gate of %s#%d (%s)", work.repository, work.number, work.reason)
    pr = yield from ask(GetPullRequest(work.number))
    review, _ = yield from judge_pull_request(pr, FULL_REPORT)
    return (yield from gate_check_run(pr.number, review, login))


async def review_changed(event: sansio.Event, intake: Intake) -> None:
    """A review submitted, dismissed or edited: decide the gate again, unless it only comments
    (tierbot's own suggestions among them): a comment leaves every approval as it was."""
    if field(event.data, "review.state", str).lower() == "commented":
        log.info(COMMENTED)
        return
    intake.queue(GateWork(*intake.origin, field(event.data, "pull_request.number", int)))


for _action in DECIDING_ACTIONS:
    router.add(review_changed, "pull_request_review", action=_action)
