"""The `tierbot` commit status of `tierbot pr`: the verdict on the head commit, set once.

Outside Actions no job carries the verdict, so `tierbot pr` sets a status on the head it
reviewed: success, failure, or error when the review could not be made, its description the
verdict and its link the sticky comment. The newest `tierbot` status is read first: one that
says the same already is left alone.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from bot.core.limits import STATUS_DESCRIPTION, clip
from bot.errors import TierbotError, TokenCannotWrite
from bot.jobs.once import create_once
from bot.jobs.review.pull_request import PullRequestOutcome
from bot.port.operations import GetCommitStatus, Job, SetCommitStatus, ask
from bot.port.results import CommitStatus

log = logging.getLogger(__name__)

CONTEXT = "tierbot"
#: A review's conclusion as a commit status: neutral (no page, or `fail-on: never`) passes.
STATES = {"success": "success", "neutral": "success", "failure": "failure"}
ERROR = "tierbot could not review this commit: {error}"


class StatusOutcome(NamedTuple):
    """A review published, and the `tierbot` status it left on the head."""

    outcome: PullRequestOutcome
    status: CommitStatus | None = None  # None: none (the head moved on, or a read-only token)
    written: bool = False  # False: the newest status said the same already


def with_commit_status(job: Job[PullRequestOutcome]) -> Job[StatusOutcome]:
    """``job`` (a pull request's review and publication), then its verdict as the `tierbot`
    status on the head reviewed; a TierbotError escaping ``job`` once the pull request was
    read sets an ``error`` status on that head (``reviewed_head``) and goes on."""
    try:
        outcome = yield from job
    except TierbotError as error:
        if error.reviewed_head is not None:
            status = CommitStatus(
                CONTEXT, "error", clip(ERROR.format(error=error), STATUS_DESCRIPTION)
            )
            try:
                yield from set_status(error.reviewed_head, status)
            except TierbotError as also:  # the error that stopped the review is the one to tell
                log.warning("the `%s` error status was not set: %s", CONTEXT, also)
        raise
    review, published = outcome.review, outcome.published
    if review is None or outcome.superseded_by is not None:  # a newer head gets its own
        return StatusOutcome(outcome)
    if published is not None and published.cannot_write:  # nor could it write a status
        return StatusOutcome(outcome)
    url = published.comment_url if published else None
    description = clip(f"{review.summary}.", STATUS_DESCRIPTION)
    status = CommitStatus(CONTEXT, STATES[review.conclusion], description, url)
    return StatusOutcome(outcome, status, (yield from set_status(review.head_sha, status)))


def set_status(sha: str, status: CommitStatus) -> Job[bool]:
    """Set ``status`` on ``sha`` unless the newest of its context says the same; whether a
    write was made (a token that may not write statuses is logged, not fatal)."""

    def landed() -> Job[CommitStatus | None]:
        newest = yield from ask(GetCommitStatus(sha, status.context))
        return newest if newest == status else None

    if (yield from landed()) is not None:
        return False
    write = SetCommitStatus(
        sha, status.state, status.context, status.description, status.target_url
    )
    try:
        # A 5xx may have set it all the same: look before setting it again.
        yield from create_once(write, landed)
    except TokenCannotWrite as error:
        log.warning("the `%s` commit status was not set: %s", status.context, error)
        return False
    return True
