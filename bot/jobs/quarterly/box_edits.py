"""Edits of a quarterly issue's boxes made into the quarter's pull request (a job), counting
only those of people who may write: the App's deliveries and the Action's event alike."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from bot.core.quarterly.reviewed import BoxEdit
from bot.jobs.permission import may_write, permission_of
from bot.jobs.quarterly.review_pr import TicksOutcome, TicksRequest, apply_ticks
from bot.port.operations import Job

log = logging.getLogger(__name__)

NOT_PERMITTED = "%s may not tick a box of the quarterly review (permission: %s): ignored"


def apply_box_edits(
    number: int, label: str, base: str, edits: Sequence[BoxEdit], login: str, today: date
) -> Job[TicksOutcome]:
    """The quarter's pull request in step with issue ``number``'s boxes, if any of ``edits``
    is by someone who may write; the boxes they ticked credit them, dated ``today``."""
    writers: dict[str, str] = {}
    for edit in edits:
        if edit.login == login or edit.login in writers:
            continue  # tierbot's own edits never count
        permission = yield from permission_of(edit.login)
        if may_write(permission):
            writers[edit.login] = edit.reviewer
        else:
            log.info(NOT_PERMITTED, edit.login, permission)
    outcome = TicksOutcome("not-permitted")
    if writers:
        fresh = {key: writers[e.login] for e in edits if e.login in writers for key in e.ticked}
        request = TicksRequest(number, label, base, fresh, today)
        outcome = yield from apply_ticks(request, login)
    log.info("quarterly ticks: %s %s (%s)", outcome.action, outcome.pull, ", ".join(outcome.pages))
    return outcome
