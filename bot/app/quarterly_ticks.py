"""`issues` `edited` deliveries: a box of the quarterly review ticked or unticked by someone
who may write, made into the quarter's pull request."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime

from gidgethub import sansio
from gidgethub.routing import Router

from bot.app.payload import field, optional
from bot.app.work import Intake, Work
from bot.core.quarterly.reviewed import BoxEdit, box_edit
from bot.jobs.quarterly.box_edits import apply_box_edits
from bot.jobs.quarterly.review_pr import TicksOutcome
from bot.port.operations import Job

log = logging.getLogger(__name__)

router = Router()


@dataclass(frozen=True, slots=True)
class TicksWork(Work):
    """The quarter's pull request brought in step with the boxes of an issue's edits."""

    number: int
    label: str
    base: str
    ticks: tuple[str, ...]  # "KEY login" of the boxes the edits ticked, and who ticked them
    editors: tuple[str, ...]  # who made the edits, "login <email>" as a trailer names them

    def job(self, login: str) -> Job[str]:
        return ticks_job(self, login)

    @property
    def key(self) -> Hashable:
        """One run at a time per repository: the quarter's branch is one."""
        return type(self).__name__, self.repository.lower()

    def merged(self, newer: Work) -> TicksWork:
        assert isinstance(newer, TicksWork)
        return TicksWork(
            self.installation,
            newer.repository,
            self.deliveries + newer.deliveries,
            newer.reason,
            newer.number,
            newer.label,
            newer.base,
            self.ticks + newer.ticks,
            tuple(dict.fromkeys(self.editors + newer.editors)),
        )

    def __str__(self) -> str:
        return f"quarterly ticks of {self.repository}#{self.number}"


@router.register("issues", action="edited")
async def boxes(event: sansio.Event, intake: Intake) -> None:
    """Queue the quarter's pull request when a person's edit ticked or unticked a box."""
    edit = box_edit(
        optional(event.data, "changes.body.from", str),
        optional(event.data, "issue.body", str) or "",
        field(event.data, "sender.login", str),
        optional(event.data, "sender.id", int),
        optional(event.data, "sender.type", str),
    )
    if edit is None:
        return
    labels = optional(event.data, "issue.labels", list) or []
    names = [label.get("name") for label in labels if isinstance(label, dict)]
    if not names:
        return
    ticks = tuple(f"{key} {edit.login}" for key in edit.ticked)
    number = field(event.data, "issue.number", int)
    base = field(event.data, "repository.default_branch", str)
    log.info("%s changed the boxes of #%d; their permission is checked first", edit.login, number)
    work = TicksWork(*intake.origin, number, str(names[0]), base, ticks, (edit.reviewer,))
    intake.queue(work)


def ticks_job(work: TicksWork, login: str) -> Job[str]:
    """The pull request of ``work``'s ticks, counting only those of people who may write."""
    edits = []
    for who in work.editors:
        name = who.split(" ")[0]
        ticked = tuple(key for key, _, by in (t.partition(" ") for t in work.ticks) if by == name)
        edits.append(BoxEdit(name, who, ticked))
    today = datetime.now(UTC).date()
    outcome: TicksOutcome = yield from apply_box_edits(
        work.number, work.label, work.base, edits, login, today
    )
    return outcome.action
