"""The quarter's ticked boxes as one pull request (a job): a commit per page setting its
`last_reviewed`, on a branch rebuilt from the base branch's head and the ticks.

GitHub is the database: the ticks are the issue's boxes, and a tick already applied keeps
the day and reviewer its commit records. The commits are dated, so rebuilding the same
ticks on the same base makes the same commits, and a run whose branch already says it all
writes nothing. Two runs at once meet at the branch: creating it is atomic, and a run
adding pages only fast-forwards it; one refused reads again and redoes its work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.core import markers
from bot.core.markers import issue_marker, normalize
from bot.core.quarterly.model import page_key
from bot.core.quarterly.parts import join_parts
from bot.core.quarterly.reviewed import (
    BRANCH,
    TITLE,
    Tick,
    commit_message,
    planned,
    pull_body,
    set_last_reviewed,
    tick_of,
    ticked_keys,
)
from bot.errors import AlreadyExists, Conflict, TokenCannotWrite
from bot.port.operations import (
    CreateBranch,
    CreateComment,
    CreateCommit,
    CreatePull,
    GetBranch,
    Job,
    ListBranchCommits,
    ListComments,
    ListIssues,
    ListPulls,
    ListTree,
    MoveBranch,
    ReadFiles,
    ResolveRef,
    UpdatePull,
    ask,
)
from bot.port.results import BranchCommits, Comment, Issue, PullRequest, Signature, Unreadable

log = logging.getLogger(__name__)

#: Runs that meet at the branch redo their work at most this many times.
ATTEMPTS = 4
REFUSED = (
    markers.TICKS_REFUSED + "\n⚠️ tierbot cannot act on these boxes: {why}. A ticked box is "
    "kept, but its page's `last_reviewed` must be set by hand."
)


@dataclass(frozen=True, slots=True)
class TicksRequest:
    """An edit of a quarterly issue that ticked or unticked boxes."""

    issue_number: int
    label: str  # the quarterly issues' label
    base: str  # the base branch (the repository's default)
    fresh: Mapping[str, str]  # key -> reviewer, of the boxes this edit ticked
    today: date


@dataclass(frozen=True, slots=True)
class TicksOutcome:
    action: str  # unchanged | updated | created | closed | refused | not-quarterly
    pull: int | None = None
    pages: tuple[str, ...] = ()


def apply_ticks(request: TicksRequest, login: str) -> Job[TicksOutcome]:
    """Bring the quarter's pull request in step with the issue's ticked boxes."""
    issues: tuple[Issue, ...] = yield from ask(ListIssues(request.label, "all"))
    issue = next((i for i in issues if i.number == request.issue_number), None)
    marker = issue_marker(issue.body) if issue else None
    if issue is None or marker is None:
        return TicksOutcome("not-quarterly")
    comments: tuple[Comment, ...] = yield from ask(ListComments(issue.number))
    mine = [c.body for c in comments if c.author == login and markers.part_marker(c.body)]
    ticked = ticked_keys(join_parts(issue.body, mine))
    try:
        for _ in range(ATTEMPTS - 1):
            try:
                return (yield from _sync(request, login, marker[0], issue, ticked))
            except (AlreadyExists, Conflict) as met:  # another run moved the branch
                log.info("another run moved the branch (%s): reading it again", met)
        return (yield from _sync(request, login, marker[0], issue, ticked))
    except TokenCannotWrite as error:
        yield from _say_refused(issue.number, comments, login, str(error))
        return TicksOutcome("refused")


def _sync(
    request: TicksRequest, login: str, quarter: str, issue: Issue, ticked: tuple[str, ...]
) -> Job[TicksOutcome]:
    branch = BRANCH.format(quarter=quarter)
    base_sha: str = yield from ask(ResolveRef(request.base))
    head: str | None = yield from ask(GetBranch(branch))
    applied: list[Tick] = []
    on_base = False
    if head is not None:
        found: BranchCommits = yield from ask(ListBranchCommits(base_sha, head))
        on_base = found.on_base
        applied = [t for c in found.commits if (t := tick_of(c.message, c.day)) is not None]
        on_base = on_base and len(applied) == len(found.commits)  # nobody else's commits
    tree: tuple[str, ...] = yield from ask(ListTree(base_sha))
    paths = {page_key(path): path for path in tree if path.endswith(".md")}
    ticks = planned(ticked, paths, applied, request.fresh, request.today)
    edits = yield from _editable(base_sha, ticks)
    ticks = [tick for tick, _ in edits]
    if not (on_base and ticks == applied):
        sha = yield from _build(base_sha, edits, login)
        yield from _move(branch, head, sha, appending=on_base and ticks[: len(applied)] == applied)
    return (yield from _pull(request, quarter, issue, branch, ticks))


def _editable(base_sha: str, ticks: list[Tick]) -> Job[list[tuple[Tick, bytes]]]:
    """The ticks whose pages tierbot can edit, each with its page edited."""
    if not ticks:
        return []
    found: dict[str, bytes | Unreadable | None] = yield from ask(
        ReadFiles(base_sha, tuple(t.path for t in ticks))
    )
    kept = []
    for tick in ticks:
        data = found.get(tick.path)
        edited = _edited(data, tick.day) if isinstance(data, bytes) else None
        if edited is None:
            log.warning("%s: no front matter tierbot can edit; left out", tick.path)
        elif edited != data:  # else the base says so already: a merged tick
            kept.append((tick, edited))
    return kept


def _edited(data: bytes, day: date) -> bytes | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    edited = set_last_reviewed(text, day)
    return None if edited is None else edited.encode("utf-8")


def _build(base_sha: str, edits: list[tuple[Tick, bytes]], login: str) -> Job[str]:
    """A commit per tick on ``base_sha``; the last one's SHA."""
    parent = base_sha
    for tick, edited in edits:
        signature = Signature(login, f"{login}@users.noreply.github.com", tick.day)
        message = commit_message(tick)
        made = yield from ask(CreateCommit(parent, ((tick.path, edited),), message, signature))
        if made is None:  # a dry run makes no commit to build on
            return parent
        parent = made
    return parent


def _move(branch: str, head: str | None, sha: str, *, appending: bool) -> Job[None]:
    if head is None:
        yield from ask(CreateBranch(branch, sha))
    elif head != sha:
        # Adding pages only fast-forwards, so a run that read an older branch is refused.
        yield from ask(MoveBranch(branch, sha, force=not appending))


def _pull(
    request: TicksRequest, quarter: str, issue: Issue, branch: str, ticks: list[Tick]
) -> Job[TicksOutcome]:
    pulls: tuple[PullRequest, ...] = yield from ask(ListPulls(branch))
    pages = tuple(t.path for t in ticks)
    body = pull_body(quarter, issue.html_url, ticks)
    for extra in pulls[1:]:  # should two ever be open: the oldest is kept
        yield from ask(UpdatePull(extra.number, state="closed"))
    if not pulls:
        if not ticks:
            return TicksOutcome("unchanged")
        made = yield from ask(CreatePull(TITLE.format(quarter=quarter), branch, request.base, body))
        return TicksOutcome("created", made.number if made else None, pages)  # None: a dry run
    pull = pulls[0]
    if not ticks:
        yield from ask(UpdatePull(pull.number, state="closed"))
        return TicksOutcome("closed", pull.number)
    if normalize(pull.body) != body:
        yield from ask(UpdatePull(pull.number, body=body))
        return TicksOutcome("updated", pull.number, pages)
    return TicksOutcome("unchanged", pull.number, pages)


def _say_refused(number: int, comments: tuple[Comment, ...], login: str, why: str) -> Job[None]:
    """Say once in the issue why its boxes cannot be acted on."""
    if any(markers.TICKS_REFUSED in c.body and c.author == login for c in comments):
        return
    log.warning("the quarter's boxes cannot be acted on: %s", why)
    reason = "its token may not write to the repository (a read-only token, or a fork)"
    try:
        yield from ask(CreateComment(number, REFUSED.format(why=reason)))
    except TokenCannotWrite:
        log.warning("nor may it say so in the issue")
