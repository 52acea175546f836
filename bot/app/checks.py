"""`check_run` and `check_suite` deliveries: GitHub (or someone) asks for tierbot's check again."""

from __future__ import annotations

import logging

from gidgethub import sansio
from gidgethub.routing import Router

from bot.app.payload import field, optional
from bot.app.reviews import ask_review
from bot.app.work import Intake
from bot.jobs.review.claim import CHECK_RUN_NAME

log = logging.getLogger(__name__)

router = Router()

NOT_OURS = "a re-run of check run %r, not tierbot's: ignored"
NO_PULL_REQUEST = (
    "%s at %s names no pull request of this repository (a fork's head, or a branch with "
    "none open): nothing to review"
)


@router.register("check_run", action="rerequested")
async def check_run_rerequested(event: sansio.Event, intake: Intake) -> None:
    """ "Re-run" on tierbot's check run: review its pull requests at its head again."""
    name = field(event.data, "check_run.name", str)
    if name != CHECK_RUN_NAME:
        log.info(NOT_OURS, name)
        return
    review_named(event, intake, "check_run")


@router.register("check_suite", action="requested")
@router.register("check_suite", action="rerequested")
async def check_suite_requested(event: sansio.Event, intake: Intake) -> None:
    """New commits (requested) or "Re-run all checks" (rerequested): review their pull requests."""
    review_named(event, intake, "check_suite")


def review_named(event: sansio.Event, intake: Intake, key: str) -> None:
    """Ask for a review of each pull request of this repository that ``event[key]`` names."""
    head = field(event.data, f"{key}.head_sha", str)
    repository = field(event.data, "repository.id", int)
    numbers = [
        field(pull, "number", int)
        for pull in field(event.data, f"{key}.pull_requests", list)
        if optional(pull, "base.repo.id", int) in (None, repository)
    ]
    if not numbers:
        log.info(NO_PULL_REQUEST, key, head[:12])
    for number in dict.fromkeys(numbers):
        ask_review(intake, number, head)
