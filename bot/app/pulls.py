"""`pull_request` deliveries: a change to review (opened, pushed to, reopened, ready, rebased)."""

from __future__ import annotations

import logging

from gidgethub import sansio
from gidgethub.routing import Router

from bot.app.payload import field, optional
from bot.app.reviews import ask_review
from bot.app.work import Intake

log = logging.getLogger(__name__)

router = Router()

#: Actions after which the pull request's pages may read differently. Drafts are reviewed too.
REVIEWED = ("opened", "synchronize", "reopened", "ready_for_review")
TITLE_EDITED = "an edit of the title or body, not of the base: nothing to review"


async def review_pull_request(event: sansio.Event, intake: Intake) -> None:
    """Review the pull request at the head the delivery names."""
    ask_review(
        intake,
        field(event.data, "pull_request.number", int),
        field(event.data, "pull_request.head.sha", str),
    )


for _action in REVIEWED:
    router.add(review_pull_request, "pull_request", action=_action)


@router.register("pull_request", action="edited")
async def base_changed(event: sansio.Event, intake: Intake) -> None:
    """A new base branch changes the config, the rules and the diff: review again."""
    if optional(event.data, "changes.base", dict) is None:
        log.info(TITLE_EDITED)
        return
    await review_pull_request(event, intake)
