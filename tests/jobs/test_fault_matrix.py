"""The fault matrix: `tierbot pr`'s review job and the quarterly job, through each GitHub
adapter over HTTP against the fake, with each request of a fault-free run answered in turn
500, 502, 429, 403 (a secondary rate limit), not at all once the work is done (lost), or with a
reset connection before it.

Each case either completes, leaving exactly what a fault-free run leaves (`done`), or stops
with a ``TierbotError`` naming the operation (`stop`), leaving nothing doubled, and a rerun
then leaves exactly what a fault-free run leaves. Never two comments, two issues, a person's
label lost, or another exception (a traceback). See support/fault_matrix.py for the sites and
what each fault does; the totals are printed at the end of the session (tests/jobs/conftest.py).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple

import pytest
from support.fake_github import FakeGitHubServer
from support.fault_matrix import FAULTS, REPO, SITES, drive
from support.forges import ADAPTERS, SyncForge, forge_maker

from bot.errors import TierbotError

DONE, STOP = "done", "stop"
OUTCOMES = {"D": DONE, "S": STOP}
P = f"^/repos/{REPO}"
#: A repository without settings of its own asks for its owner's: there are none (404).
OWNER_SETTINGS = r"^/repos/octo/\.github/commits/HEAD$"


class Row(NamedTuple):
    """One request of a fault-free run: the operation that sent it, and the outcome of a run
    whose request meets each fault (the columns of ``FAULTS``, in order)."""

    operation: str
    note: str
    method: str
    path: str  # a regular expression, searched in the request's path
    outcomes: str  # D (done) or S (stop), one per fault
    after: int = 0  # earlier requests of the run that the path also matches

    @property
    def name(self) -> str:
        return f"{self.operation}({self.note})" if self.note else self.operation


#: Reads are retried whatever the fault. Writes are retried after a 5xx or a rate limit
#: (a create GitHub may have made is looked for first: bot/jobs/once.py); a write without an
#: answer may have been made, so the run stops naming it, and a rerun finds what it made.
#: The suggestions' review is optional: without an answer, it is logged and left out.
#   operation         note        method    path                    500 502 429 403 lost reset
READS = "D D D D D D"
REVIEW = [
    ("GetPullRequest", "", "GET", f"{P}/pulls/1$", READS),
    ("ListPullFiles", "", "GET", f"{P}/pulls/1/files$", READS),
    ("ReadFiles", "config", "POST", "^/graphql$", READS),
    ("ResolveRef", "no .github", "GET", OWNER_SETTINGS, READS),
    ("GetMergeBase", "", "GET", f"{P}/compare/", READS),
    ("ReadFiles", "base", "POST", "^/graphql$", READS),
    ("ReadFiles", "head", "POST", "^/graphql$", READS),
    ("GetPullRequest", "head moved?", "GET", f"{P}/pulls/1$", READS),
    ("ListComments", "", "GET", f"{P}/issues/1/comments$", READS),
]
LABELS = [
    ("CreateLabel", "gold", "POST", f"{P}/labels$", "D D D D S S"),
    ("CreateLabel", "bronze", "POST", f"{P}/labels$", "D D D D S S"),
    ("CreateLabel", "needs", "POST", f"{P}/labels$", "D D D D S S"),
    ("AddLabels", "", "POST", f"{P}/issues/1/labels$", "D D D D S S"),
]
SUGGESTIONS = [
    ("ListReviewComments", "", "GET", f"{P}/pulls/1/comments$", READS),
    ("CreateReview", "suggestions", "POST", f"{P}/pulls/1/reviews$", "D D D D S S"),
]
STATUS = [
    ("GetCommitStatus", "", "GET", f"{P}/commits/[0-9a-f]+/status$", READS),
    ("SetCommitStatus", "", "POST", f"{P}/statuses/", "D D D D S S"),
]
MATRIX: dict[str, list[tuple[str, str, str, str, str]]] = {
    "pr-first": [
        *REVIEW,
        ("CreateComment", "", "POST", f"{P}/issues/1/comments$", "D D D D S S"),
        *LABELS,
        *SUGGESTIONS,
        *STATUS,
    ],
    "pr-rerun": [
        *REVIEW,
        ("DeleteComment", "twin", "DELETE", f"{P}/issues/comments/", "D D D D S S"),
        ("UpdateComment", "", "PATCH", f"{P}/issues/comments/", "D D D D S S"),
        *LABELS,
        ("RemoveLabel", "silver", "DELETE", f"{P}/issues/1/labels/", "D D D D S S"),
        *SUGGESTIONS,
        *STATUS,
    ],
    "quarterly": [
        ("ResolveRef", "HEAD", "GET", f"{P}/commits/HEAD$", READS),
        ("ReadFiles", "config", "POST", "^/graphql$", READS),
        ("ResolveRef", "no .github", "GET", OWNER_SETTINGS, READS),
        ("ListTree", "", "GET", f"{P}/git/trees/", READS),
        ("ReadFiles", "pages", "POST", "^/graphql$", READS),
        ("ReadFiles", "binary page", "GET", f"{P}/git/blobs/", READS),
        ("ListIssues", "", "GET", f"{P}/issues$", READS),
        ("ListTree", "Q1", "GET", f"{P}/git/trees/", READS),
        ("ReadFiles", "Q1 pages", "POST", "^/graphql$", READS),
        ("CompareCommits", "renames since Q1", "GET", f"{P}/compare/", READS),
        ("CommitAsOf", "2024-Q3's end", "GET", f"{P}/commits$", READS),
        ("CommitAsOf", "2024-Q4's end", "GET", f"{P}/commits$", READS),
        ("CommitAsOf", "2025-Q1's end", "GET", f"{P}/commits$", READS),
        ("LastCommitDates", "", "POST", "^/graphql$", READS),
        ("GetRepository", "health", "GET", "^/repos/netflix/hystrix$", READS),
        ("CreateLabel", "lock", "POST", f"{P}/labels$", "D D D D S S"),
        ("ListIssues", "locked", "GET", f"{P}/issues$", READS),
        ("CreateIssue", "", "POST", f"{P}/issues$", "S D D D S S"),
        ("DeleteLabel", "lock", "DELETE", f"{P}/labels/", "D D D D S S"),
        ("ListIssues", "created", "GET", f"{P}/issues$", READS),
        ("ListComments", "parts", "GET", f"{P}/issues/2/comments$", READS),
        ("ListIssues", "earlier", "GET", f"{P}/issues$", READS),
        ("ListComments", "Q1", "GET", f"{P}/issues/1/comments$", READS),
        ("CreateComment", "superseded", "POST", f"{P}/issues/1/comments$", "S S D D S S"),
        ("UpdateIssue", "close Q1", "PATCH", f"{P}/issues/1$", "D D D D S S"),
    ],
}


def rows(site: str) -> list[Row]:
    """The site's rows, each knowing how many earlier requests its path matches too."""
    found: list[Row] = []
    for operation, note, method, path, outcomes in MATRIX[site]:
        after = sum(1 for r in found if (r.method, r.path) == (method, path))
        found.append(Row(operation, note, method, path, outcomes.replace(" ", ""), after))
    return found


#: Where an adapter's HTTP client differs: aiohttp sends an idempotent request (GET, PUT,
#: DELETE) once more by itself when a kept-alive connection is reset (RFC 9112 9.3.1); a
#: DELETE met again answers 404, which the jobs take as done. PyGithub sends once (retry=None).
#: (A DELETE whose answer is late past aiohttp's timeout is not sent again: it stops the run, as
#: PyGithub's row says.)
ADAPTER_OUTCOMES = {("gidgethub", "DELETE", "reset"): DONE, ("gidgethub", "DELETE", "lost"): DONE}


def cases() -> list[Any]:
    made = []
    for adapter in sorted(ADAPTERS):
        for site in MATRIX:
            for row in rows(site):
                for fault, mark in zip(FAULTS, row.outcomes, strict=True):
                    outcome = ADAPTER_OUTCOMES.get((adapter, row.method, fault), OUTCOMES[mark])
                    case_id = f"{adapter}-{site}-{row.name}-{fault}-{outcome}"
                    made.append(pytest.param(adapter, site, row, fault, outcome, id=case_id))
    return made


class FaultFree(NamedTuple):
    requests: list[tuple[str, str, str]]  # (operation, method, path) of every request
    left: dict[str, Any]


@cache
def fault_free(adapter: str, site: str) -> FaultFree:
    """A fault-free run of ``site`` through ``adapter``: its requests and what it leaves."""
    with FakeGitHubServer() as server, forge_maker(adapter, REPO) as make:
        SITES[site].seed(server.state)
        sent: list[tuple[str, str, str]] = []
        drive(_traced(make(server), server, sent), SITES[site].job())
        return FaultFree(sent, SITES[site].left(server.state))


class _Traced:
    """An adapter whose ``execute`` notes which operation sent each request the fake logs."""

    def __init__(self, forge: Any, log: list[Any], sent: list[tuple[str, str, str]]) -> None:
        self.forge, self.log, self.sent = forge, log, sent

    def note(self, op: Any, start: int) -> None:
        self.sent.extend((type(op).__name__, r.method, r.path) for r in self.log[start:])

    def execute(self, op: Any) -> Any:
        start = len(self.log)
        try:
            return self.forge.execute(op)
        finally:
            self.note(op, start)


class _TracedAsync(_Traced):
    async def execute(self, op: Any) -> Any:  # type: ignore[override]
        start = len(self.log)
        try:
            return await self.forge.execute(op)
        finally:
            self.note(op, start)


def _traced(forge: Any, server: FakeGitHubServer, sent: list[tuple[str, str, str]]) -> Any:
    log = server.state.log
    if isinstance(forge, SyncForge):  # an async adapter, run on its own loop
        return SyncForge(forge.loop, _TracedAsync(forge.forge, log, sent))
    return _Traced(forge, log, sent)


@pytest.mark.parametrize("adapter", sorted(ADAPTERS))
@pytest.mark.parametrize("site", sorted(MATRIX))
def test_the_matrix_has_a_row_for_every_request_of_a_fault_free_run(
    adapter: str, site: str
) -> None:
    sent = fault_free(adapter, site).requests
    expected = rows(site)
    listed = [(r.operation, r.method, r.path) for r in expected]
    assert len(sent) == len(expected), f"requests {sent}\nrows {listed}"
    for (operation, method, path), row in zip(sent, expected, strict=True):
        assert (operation, method) == (row.operation, row.method), f"{path} is not {row.name}"
        assert re.search(row.path, path), f"{path} is not {row.name}"
    for index, row in enumerate(expected):  # a fault with `after` meets this very request
        matching = [
            i for i, (_, m, p) in enumerate(sent) if m == row.method and re.search(row.path, p)
        ]
        assert matching[row.after] == index, f"{row.name} is not the request faulted"


@pytest.mark.fault_matrix
@pytest.mark.parametrize(("adapter", "site", "row", "fault", "outcome"), cases())
def test_a_fault_on_one_request(
    adapter: str, site: str, row: Row, fault: str, outcome: str, record_property: Any
) -> None:
    record_property("fault_matrix", outcome)
    expected = fault_free(adapter, site).left
    where = SITES[site]
    with FakeGitHubServer() as server, forge_maker(adapter, REPO) as make:
        state = server.state
        where.seed(state)
        before = where.left(state)
        FAULTS[fault](state, row.method, row.path, after=row.after)
        stopped: TierbotError | None = None
        try:
            drive(make(server), where.job())
        except TierbotError as error:  # anything else: a traceback, and the test fails
            stopped = error
        assert [f.remaining for f in state.faults] == [0], "the fault met no request"
        if outcome == DONE:
            assert stopped is None, f"stopped: {stopped}"
            assert where.left(state) == expected
            return
        assert stopped is not None, "completed"
        assert str(stopped).startswith(f"{row.operation}: "), f"does not name it: {stopped}"
        assert where.harm(before, where.left(state), expected) == []
        drive(make(server), where.job())  # the rerun
        # A stopped run set an error status, which the rerun's replaced.
        assert without(where.left(state), "statuses set") == without(expected, "statuses set")


def without(left: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in left.items() if key not in keys}
