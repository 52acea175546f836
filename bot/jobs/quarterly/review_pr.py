"""The quarter's ticked boxes as one pull request (a job): a commit per page setting its
`last_reviewed`, on a branch rebuilt from the base branch's head and the ticks; the last
commit also writes the dashboard page `quarterly.dashboard` names, when its text differs.

GitHub is the database: the ticks are the issue's boxes, and a tick already applied keeps
the day and reviewer its commit records. The commits are dated, so rebuilding the same
ticks on the same base makes the same commits, and a run whose branch already says it all,
the dashboard included, writes nothing. Two runs at once meet at the branch: creating it is
atomic, and a run adding pages adds commits on the branch, a fast-forward; one refused reads
again and redoes its work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from bot.core import markers
from bot.core.markers import issue_marker, normalize
from bot.core.quarterly.model import Links, page_key
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
from bot.errors import AlreadyExists, ConfigError, Conflict, TokenCannotWrite
from bot.jobs.quarterly.dashboard import reviewed_dashboard
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
    page = yield from _dashboard(issue, base_sha, edits)
    said = _Said(quarter, issue, branch, ticks, page[0] if page else None)
    appending = on_base and ticks[: len(applied)] == applied
    if head is not None and appending and ticks == applied:
        if page is None or (yield from _holds(head, page)):
            return (yield from _pull(request, said))
        appending = False  # a commit records a tick: a new dashboard alone is a rebuild
    parent = head if appending and head is not None else base_sha
    todo = edits[len(applied) :] if appending else edits
    if page is not None and (yield from _holds(parent, page)):
        page = None
    sha = yield from _build(parent, todo, login, page)
    yield from _move(branch, head, sha, appending=appending)
    return (yield from _pull(request, said))


def _dashboard(
    issue: Issue, base_sha: str, edits: list[tuple[Tick, bytes]]
) -> Job[tuple[str, bytes] | None]:
    """The dashboard page as the branch's last commit leaves the library, counted on the last
    tick's day (None: no page is ticked, or `quarterly.dashboard` names none)."""
    if not edits:
        return None
    day = max(tick.day for tick, _ in edits)
    reviewed = {tick.path: edited for tick, edited in edits}
    links = Links.of_web_url(issue.html_url)
    try:
        return (yield from reviewed_dashboard(base_sha, reviewed, day, links))
    except ConfigError as error:  # the reviews still count: the dashboard waits for a fix
        log.warning("the dashboard is left as it is: %s", error)
        return None


def _holds(ref: str, page: tuple[str, bytes]) -> Job[bool]:
    """Whether the file at ``ref`` says ``page``'s text already."""
    path, text = page
    found: dict[str, bytes | Unreadable | None] = yield from ask(ReadFiles(ref, (path,)))
    return found.get(path) == text


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


def _build(
    parent: str, edits: list[tuple[Tick, bytes]], login: str, page: tuple[str, bytes] | None
) -> Job[str]:
    """A commit per tick on ``parent``, the last one writing ``page`` too; the last SHA."""
    for index, (tick, edited) in enumerate(edits, start=1):
        signature = Signature(login, f"{login}@users.noreply.github.com", tick.day)
        files: tuple[tuple[str, bytes], ...] = ((tick.path, edited),)
        refreshed = None
        if page is not None and index == len(edits):
            files, refreshed = (*files, page), page[0]
        message = commit_message(tick, refreshed)
        made = yield from ask(CreateCommit(parent, files, message, signature))
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


class _Said(NamedTuple):
    """What the quarter's pull request says: its branch, its ticks, the dashboard it carries."""

    quarter: str
    issue: Issue
    branch: str
    ticks: list[Tick]
    dashboard: str | None  # the path of the page `quarterly.dashboard` names


def _pull(request: TicksRequest, said: _Said) -> Job[TicksOutcome]:
    quarter, ticks = said.quarter, said.ticks
    pulls: tuple[PullRequest, ...] = yield from ask(ListPulls(said.branch))
    pages = tuple(t.path for t in ticks)
    body = pull_body(quarter, said.issue.html_url, ticks, said.dashboard)
    for extra in pulls[1:]:  # should two ever be open: the oldest is kept
        yield from ask(UpdatePull(extra.number, state="closed"))
    if not pulls:
        if not ticks:
            return TicksOutcome("unchanged")
        title = TITLE.format(quarter=quarter)
        made = yield from ask(CreatePull(title, said.branch, request.base, body))
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
