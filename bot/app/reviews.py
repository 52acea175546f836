"""A review of one pull request as work: how handlers ask for it, what it does, when asks merge."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from bot.app.work import Intake, Work
from bot.jobs.permission import may_write, permission_of
from bot.jobs.review.claim import new_claim
from bot.jobs.review.promotion_gate import gate_check_run
from bot.jobs.review.pull_request import PullRequestOutcome, review_and_publish
from bot.port.operations import Job

log = logging.getLogger(__name__)

FULL_REPORT = "in the `tierbot` check run's summary"
NOT_PERMITTED = "%s may not ask for a recheck (permission: %s): no reaction"


@dataclass(frozen=True, slots=True)
class ReviewWork(Work):
    """A review of one pull request, asked for by one or more deliveries."""

    number: int
    head_sha: str | None  # the head it was asked for; None: whatever the head is by then
    requesters: tuple[str, ...] = ()  # users of whom one must have write permission; (): none

    def job(self, login: str) -> Job[str]:
        return review_job(self, login)

    @property
    def key(self) -> Hashable:
        return type(self).__name__, self.repository.lower(), self.number

    def merged(self, newer: Work) -> ReviewWork:
        """This queued review and a newer ask for the same pull request, as one review.

        A different head means the pull request moved: whichever head the newer delivery
        names, the head *then* is the one worth reviewing. Anyone's ungated ask lifts the
        permission gate.
        """
        if not isinstance(newer, ReviewWork):
            # GitHub's ask to decide the promotion gate: this review decides it, whoever asked.
            deliveries = self.deliveries + newer.deliveries
            return dataclasses.replace(self, deliveries=deliveries, requesters=())
        gated = self.requesters and newer.requesters
        return ReviewWork(
            self.installation,
            newer.repository,
            self.deliveries + newer.deliveries,
            newer.reason,
            self.number,
            self.head_sha if self.head_sha == newer.head_sha else None,
            tuple(dict.fromkeys(self.requesters + newer.requesters)) if gated else (),
        )

    def covers(self, asked: Work) -> bool:
        """The same head, and no permission to check: a push sends both
        `pull_request.synchronize` and `check_suite.requested`."""
        return (
            isinstance(asked, ReviewWork)
            and asked.head_sha is not None
            and self.head_sha == asked.head_sha
            and not self.requesters
            and not asked.requesters
        )

    def replaced_by(self, newer: Work) -> bool:
        """A newer ask for another head: the pull request moved."""
        return isinstance(newer, ReviewWork) and newer.head_sha != self.head_sha

    def __str__(self) -> str:
        return f"review of {self.repository}#{self.number}"


def ask_review(
    intake: Intake, number: int, head_sha: str | None, *, requester: str | None = None
) -> None:
    """Queue a review of pull request ``number`` of the delivery's repository."""
    requesters = (requester,) if requester else ()
    intake.queue(ReviewWork(*intake.origin, number, head_sha, requesters))


def first_writer(users: Iterable[str]) -> Job[str | None]:
    """The first of ``users`` with write permission on the repository, if any."""
    for user in users:
        permission = yield from permission_of(user)
        if may_write(permission):
            return user
        log.info(NOT_PERMITTED, user, permission)
    return None


def review_job(work: ReviewWork, login: str) -> Job[str]:
    """Review ``work``'s pull request and publish it; returns the outcome's name."""
    log.info("reviewing %s#%d (%s)", work.repository, work.number, work.reason)
    if work.requesters and (yield from first_writer(work.requesters)) is None:
        return "not-permitted"
    outcome: PullRequestOutcome = yield from review_and_publish(
        work.number,
        login,
        FULL_REPORT,
        expected_head=work.head_sha,
        check_run=new_claim(work.delivery),
        suggestions=True,
    )
    if outcome.review is None or outcome.published is None:
        moment = "before the review began" if outcome.review is None else "during the review"
        log.info("the head moved on to %s %s: not published", outcome.superseded_by, moment)
        return "superseded"
    log.info(
        "%s: %s (%d write(s)); check run %s; %d suggestion(s) posted",
        outcome.review.conclusion,
        outcome.published.comment_url or "no comment",
        outcome.published.writes,
        outcome.check_run_url or "none",
        outcome.suggested.posted if outcome.suggested else 0,
    )
    yield from gate_check_run(work.number, outcome.review, login)
    return "published"
