"""Publish a quarterly Plan through the port (a job): one issue per quarter, updated in place.

GitHub cannot create an issue only if it is absent, but it creates a label atomically (422
``already_exists`` for the second caller). So a per-quarter lock label serialises creation:
its holder re-lists, creates the issue (wearing the lock label until its continuation
comments are written), then deletes the label. Other runs poll until the issue is there and
no longer wears the lock, then carry on as reruns. Should a holder die with the lock held,
the others take over after a bounded wait; the duplicates that race could leave are closed
(the lowest number is kept) and their marker rewritten, so that no run finds them again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core import markers
from bot.core.config import LabelSpec
from bot.core.markers import issue_marker, normalize, part_marker, replace_issue_marker
from bot.core.quarterly.facts import parse_quarter
from bot.core.quarterly.model import Plan, Quarter
from bot.core.quarterly.parts import join_parts, merge_ticks, split_body
from bot.errors import AlreadyExists, NotFound, RetryableError
from bot.port.operations import (
    AddLabels,
    CreateComment,
    CreateIssue,
    CreateLabel,
    DeleteLabel,
    Job,
    ListComments,
    ListIssues,
    Sleep,
    UpdateComment,
    UpdateIssue,
    ask,
)
from bot.port.results import Comment, Issue

log = logging.getLogger(__name__)

LOCK = LabelSpec(
    "tierbot-lock: {quarter}", "EDEDED", "tierbot is creating this quarter's review issue"
)
DUPLICATE_COMMENT = (
    markers.DUPLICATE_NOTE + "\nClosed as a duplicate of #{number}: two runs created this "
    "quarter's review at the same time."
)
SUPERSEDED_COMMENT = (
    "{marker}\nSuperseded by the {quarter} review, #{number}: what still needs attention is "
    "listed there."
)
UNUSED_PART = markers.QUARTERLY_UNUSED + "\n*This continuation is no longer needed.*"


@dataclass(frozen=True, slots=True)
class QuarterlyIssue:
    """A quarterly review issue found by its label and marker."""

    issue: Issue
    quarter: Quarter
    sha: str | None


@dataclass(frozen=True, slots=True)
class Timing:
    """How long a run waits for another run that is creating the issue."""

    poll_seconds: float = 2.0
    polls: int = 15


@dataclass(frozen=True, slots=True)
class QuarterlyOutcome:
    """What publishing a quarterly plan did."""

    action: str  # created | updated | unchanged | closed (a closed issue is left alone)
    number: int | None = None  # None: a dry run's issue, never created
    url: str | None = None
    writes: int = 0
    closed: tuple[int, ...] = ()  # earlier quarters' issues closed by this run


def reviews(issues: Iterable[Issue]) -> list[QuarterlyIssue]:
    """The quarterly review issues among ``issues``, by quarter and then number."""
    found = []
    for issue in issues:
        marker = issue_marker(issue.body)
        if marker:
            found.append(QuarterlyIssue(issue, parse_quarter(marker[0]), marker[1]))
    return sorted(found, key=lambda r: (r.quarter, r.issue.number))


def of_quarter(issues: Iterable[Issue], quarter: Quarter) -> list[Issue]:
    return [r.issue for r in reviews(issues) if r.quarter == quarter]


def previous_review(issues: Iterable[Issue], quarter: Quarter) -> QuarterlyIssue | None:
    """The latest earlier quarter's review (its lowest number, should it have duplicates)."""
    earlier = [r for r in reviews(issues) if r.quarter < quarter]
    latest = [r for r in earlier if r.quarter == earlier[-1].quarter] if earlier else []
    return latest[0] if latest else None


def publish_quarterly(
    plan: Plan,
    login: str,
    issues: Sequence[Issue],
    *,
    close_previous: bool = True,
    timing: Timing = Timing(),
) -> Job[QuarterlyOutcome]:
    """Create, update or leave the quarter's issue; then close earlier quarters' open ones."""
    lock = LOCK.name.format(quarter=plan.quarter.id)
    mine = of_quarter(issues, plan.quarter)
    writes = 0
    created = False
    if not mine or any(lock in issue.labels for issue in mine):
        mine, writes, created = yield from _create_once(plan, lock, timing)
    if not mine:  # a dry run: the issue it would create does not exist
        return QuarterlyOutcome("created", writes=writes)
    keep = mine[0]
    for duplicate in mine[1:]:
        writes += yield from _close_duplicate(duplicate, keep, plan.quarter)
    if keep.state == "closed":
        action = "closed"
    else:
        changed = yield from _sync(keep, plan, login)
        writes += changed
        action = "created" if created else "updated" if changed else "unchanged"
    closed: tuple[int, ...] = ()
    if close_previous:
        latest = yield from ask(ListIssues(plan.labels[0], "all"))
        closed, count = yield from _close_earlier(latest, login)
        writes += count
    return QuarterlyOutcome(action, keep.number, keep.html_url, writes, closed)


def _create_once(plan: Plan, lock: str, timing: Timing) -> Job[tuple[list[Issue], int, bool]]:
    """The quarter's issues once one exists: created by this run, or by another one."""
    label = plan.labels[0]
    locked = True  # this run created the lock label: a write of its own
    try:
        yield from ask(CreateLabel(LabelSpec(lock, LOCK.color, LOCK.description)))
    except AlreadyExists:
        locked = False
        for _ in range(timing.polls):
            yield from ask(Sleep(timing.poll_seconds))
            mine = of_quarter((yield from ask(ListIssues(label, "all"))), plan.quarter)
            if mine and not any(lock in issue.labels for issue in mine):
                return mine, 0, False
        log.warning("%r outlived %d polls: taking the lock over", lock, timing.polls)
    writes, created = int(locked), False
    try:
        mine = of_quarter((yield from ask(ListIssues(label, "all"))), plan.quarter)
        if not mine:
            parts = split_body(merge_ticks("", plan.body), plan.quarter)
            try:
                issue = yield from ask(
                    CreateIssue(plan.title, parts[0], (*plan.labels, lock), plan.assignees)
                )
            except RetryableError:  # a 5xx: GitHub may have created it all the same
                issue = next(
                    iter(of_quarter((yield from ask(ListIssues(label, "all"))), plan.quarter)), None
                )
                if issue is None:
                    raise
            for text in parts[1:]:
                yield from ask(CreateComment(issue.number if issue else 0, text))  # 0: a dry run's
            writes, created = writes + len(parts), True
    finally:
        try:
            yield from ask(DeleteLabel(lock))
            writes += 1
        except NotFound:  # a run that took over a stale lock deleted it already
            pass
    if created:  # the safety net: a run that took a stale lock over may have created one too
        mine = of_quarter((yield from ask(ListIssues(label, "all"))), plan.quarter)
    return mine, writes, created


def _sync(issue: Issue, plan: Plan, login: str) -> Job[int]:
    """Rewrite the body and its continuation comments where they differ; ticks are kept."""
    comments = yield from ask(ListComments(issue.number))
    parts_found: dict[int, Comment] = {}
    spare: list[Comment] = []
    for comment in comments:
        marker = part_marker(comment.body) if comment.author == login else None
        if marker and marker[0] == plan.quarter.id:
            if marker[1] in parts_found:
                spare.append(comment)
            else:
                parts_found[marker[1]] = comment
    old = join_parts(issue.body, [parts_found[index].body for index in sorted(parts_found)])
    parts = split_body(merge_ticks(old, plan.body), plan.quarter)
    writes = 0
    if normalize(issue.body) != parts[0]:
        yield from ask(UpdateIssue(issue.number, body=parts[0]))
        writes += 1
    missing = [label for label in plan.labels if label not in issue.labels]
    if missing:
        yield from ask(AddLabels(issue.number, tuple(missing)))
        writes += 1
    for index, text in enumerate(parts[1:], start=2):
        existing = parts_found.pop(index, None)
        if existing is None:
            yield from ask(CreateComment(issue.number, text))
            writes += 1
        elif normalize(existing.body) != text:
            yield from ask(UpdateComment(existing.id, text))
            writes += 1
    for comment in [*parts_found.values(), *spare]:  # the body shrank, or a race doubled a part
        yield from ask(UpdateComment(comment.id, UNUSED_PART))
        writes += 1
    return writes


def _close_duplicate(duplicate: Issue, keep: Issue, quarter: Quarter) -> Job[int]:
    """Close a duplicate and rewrite its marker, so that no run finds it again."""
    marker = markers.QUARTERLY_DUPLICATE.format(quarter=quarter.id, number=keep.number)
    body = replace_issue_marker(duplicate.body, marker)
    yield from ask(CreateComment(duplicate.number, DUPLICATE_COMMENT.format(number=keep.number)))
    yield from ask(
        UpdateIssue(duplicate.number, body=body, state="closed", state_reason="duplicate")
    )
    log.warning("closed #%d, a duplicate of #%d", duplicate.number, keep.number)
    return 2


def _close_earlier(issues: Sequence[Issue], login: str) -> Job[tuple[tuple[int, ...], int]]:
    """Close every open review of a quarter before the latest one, linking the latest."""
    found = reviews(issues)
    if not found:
        return (), 0
    newest = found[-1].quarter
    latest = next(r.issue for r in found if r.quarter == newest)
    closed, writes = [], 0
    for review in found:
        if review.quarter >= newest or review.issue.state != "open":
            continue
        marker = markers.SUPERSEDED.format(quarter=newest.id)
        comments = yield from ask(ListComments(review.issue.number))
        if not any(marker in c.body and c.author == login for c in comments):
            text = SUPERSEDED_COMMENT.format(marker=marker, quarter=newest.id, number=latest.number)
            yield from ask(CreateComment(review.issue.number, text))
            writes += 1
        yield from ask(UpdateIssue(review.issue.number, state="closed", state_reason="completed"))
        closed.append(review.issue.number)
        writes += 1
    return tuple(closed), writes
