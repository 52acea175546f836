"""One queued review, run: the installation's forge, the permission gate, the review job."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from bot.app.work import Work
from bot.errors import NotFound, TierbotError
from bot.jobs.review.claim import new_claim
from bot.jobs.review.pull_request import PullRequestOutcome, review_and_publish
from bot.port.drive import RetryPolicy, run_async
from bot.port.forge import AsyncForge
from bot.port.operations import GetPermission, Job, ask

log = logging.getLogger(__name__)

FULL_REPORT = "in the `tierbot` check run's summary"
#: GitHub reports `maintain` as write and `triage` as read in ``permission``.
WRITE_PERMISSIONS = frozenset({"admin", "write"})
NOT_PERMITTED = "%s may not ask for a recheck (permission: %s): no reaction"
STOPPED = "review of %s#%d stopped: %s"


class ForgeSource(Protocol):
    """Where a worker gets the forge of an installation's repository (the App adapter)."""

    async def forge(self, installation: int, repository: str) -> AsyncForge: ...


def first_writer(users: Iterable[str]) -> Job[str | None]:
    """The first of ``users`` with write permission on the repository, if any."""
    for user in users:
        try:
            permission = yield from ask(GetPermission(user))
        except NotFound:  # not a user any more
            permission = "none"
        if permission in WRITE_PERMISSIONS:
            return user
        log.info(NOT_PERMITTED, user, permission)
    return None


def review_job(work: Work, login: str) -> Job[str]:
    """Review ``work``'s pull request and publish it; returns the outcome's name."""
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
    return "published"


class Reviewer:
    """The review process's runner: one review with its installation's repository's forge."""

    def __init__(self, forges: ForgeSource, policy: RetryPolicy = RetryPolicy()) -> None:
        self._forges = forges
        self._policy = policy

    async def __call__(self, work: Work) -> str:
        log.info("reviewing %s#%d (%s)", work.repository, work.number, work.reason)
        try:
            forge = await self._forges.forge(work.installation, work.repository)
            return await run_async(review_job(work, forge.login), forge.execute, self._policy)
        except TierbotError as error:  # the job has ended its check run neutral, if it had one
            log.warning(STOPPED, work.repository, work.number, error)
            return "stopped"
