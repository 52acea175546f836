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
from bot.app.reviews import first_writer
from bot.app.work import Intake, Work
from bot.core.markers import issue_marker
from bot.core.quarterly.reviewed import newly_ticked, reviewer, ticks_changed
from bot.jobs.quarterly.review_pr import TicksOutcome, TicksRequest, apply_ticks
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
    after = optional(event.data, "issue.body", str) or ""
    before = optional(event.data, "changes.body.from", str)
    if before is None or issue_marker(after) is None or not ticks_changed(before, after):
        return
    if optional(event.data, "sender.type", str) == "Bot":
        return  # tierbot's own rewrite of the issue, or another bot's
    login = field(event.data, "sender.login", str)
    who = reviewer(login, optional(event.data, "sender.id", int))
    labels = optional(event.data, "issue.labels", list) or []
    names = [label.get("name") for label in labels if isinstance(label, dict)]
    if not names:
        return
    ticks = tuple(f"{key} {login}" for key in newly_ticked(before, after))
    number = field(event.data, "issue.number", int)
    base = field(event.data, "repository.default_branch", str)
    log.info("%s changed the boxes of #%d; their permission is checked first", login, number)
    intake.queue(TicksWork(*intake.origin, number, str(names[0]), base, ticks, (who,)))


def ticks_job(work: TicksWork, login: str) -> Job[str]:
    """The pull request of ``work``'s ticks, counting only those of people who may write."""
    editors = {who.split(" ")[0]: who for who in work.editors if who.split(" ")[0] != login}
    writers = set()
    for name in editors:
        if (yield from first_writer([name])) is not None:
            writers.add(name)
    if not writers:
        log.info("quarterly ticks: not permitted: %s may not write", ", ".join(editors))
        return "not-permitted"
    fresh = {}
    for tick in work.ticks:
        key, _, name = tick.partition(" ")
        if name in writers:
            fresh[key] = editors[name]
    today = datetime.now(UTC).date()
    request = TicksRequest(work.number, work.label, work.base, fresh, today)
    outcome: TicksOutcome = yield from apply_ticks(request, login)
    log.info("quarterly ticks: %s %s (%s)", outcome.action, outcome.pull, ", ".join(outcome.pages))
    return outcome.action
