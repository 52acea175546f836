"""`issue_comment` deliveries: `/tierbot recheck` on a pull request, from someone who may write."""

from __future__ import annotations

import logging

from gidgethub import sansio
from gidgethub.routing import Router

from bot.app.payload import field, optional
from bot.app.reviews import ask_review
from bot.app.work import Intake

log = logging.getLogger(__name__)

router = Router()

#: The whole comment, give or take surrounding whitespace.
RECHECK = "/tierbot recheck"
RECHECK_ASKED = "%s asks for a recheck of #%d; their permission is checked before it runs"


@router.register("issue_comment", action="created")
async def recheck(event: sansio.Event, intake: Intake) -> None:
    """Review the pull request again at its current head, if the author may write to it.

    The permission is looked up by the worker (the webhook answers before any API call);
    someone without it gets no reaction at all, so the command cannot be used to make noise.
    """
    if optional(event.data, "issue.pull_request", dict) is None:
        return  # a comment on an issue
    if (optional(event.data, "comment.body", str) or "").strip() != RECHECK:
        return
    author = field(event.data, "comment.user.login", str)
    if optional(event.data, "comment.user.type", str) == "Bot":
        return
    number = field(event.data, "issue.number", int)
    log.info(RECHECK_ASKED, author, number)
    ask_review(intake, number, None, requester=author)
