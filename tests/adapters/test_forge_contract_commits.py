"""The Forge contract for commit history: each page's last commit date (LastCommitDates, in
GraphQL queries), over real HTTP against the fake GitHub, for every adapter (the fixtures:
conftest.py)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.fake_github.graphql import GRAPHQL_WALK_BUDGET
from support.forges import REPO, MakeForge
from support.raw_http import call

from bot.adapters.github_graphql import DATES_BATCH
from bot.errors import NotFound
from bot.port import operations as ops
from bot.port.forge import Forge

#: Paths GraphQL must carry as strings: a space, quotes, a backslash, a letter beyond ASCII.
ODD = ("b c.md", 'q "uoted" \\ back.md', "é.md")


def test_last_commit_dates_are_of_the_newest_commit_that_changed_each_path(
    forge: Forge, state: FakeGitHub, fake_github: FakeGitHubServer
) -> None:
    first = state.add_commit(
        REPO, {"a.md": "a", **dict.fromkeys(ODD, "b")}, date="2025-01-02T03:04:05Z"
    )
    second = state.add_commit(REPO, {"a.md": "a2"}, parent=first, date="2025-06-01T00:00:00Z")
    head = state.add_commit(REPO, {"other.md": "o"}, parent=second, date="2025-09-01T00:00:00Z")
    state.clear_log()

    dates = forge.execute(ops.LastCommitDates(head, ("a.md", *ODD, "never.md", "a.md")))

    assert dates == {
        "a.md": datetime(2025, 6, 1, tzinfo=UTC),
        **dict.fromkeys(ODD, datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        "never.md": None,
    }
    assert [(r.method, r.path) for r in state.log] == [("POST", "/graphql")]  # one query
    assert dates == {path: rest_date(fake_github, head, path) for path in dates}
    assert forge.execute(ops.LastCommitDates(first, ("a.md",))) == {
        "a.md": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    }
    assert forge.execute(ops.LastCommitDates(head, ())) == {}


def rest_date(server: FakeGitHubServer, sha: str, path: str) -> datetime | None:
    """What the commits API answers: the committer's date of the newest commit at ``sha``
    that changed ``path`` (how tierbot dated a page before it asked GraphQL)."""
    query = urlencode({"sha": sha, "path": path, "per_page": 1})
    status, _, found = call(server, "GET", f"/repos/{REPO}/commits?{query}")
    assert status == 200
    return datetime.fromisoformat(found[0]["commit"]["committer"]["date"]) if found else None


def test_last_commit_dates_at_an_unknown_commit_is_not_found(
    forge: Forge, state: FakeGitHub
) -> None:
    state.add_commit(REPO, {"a.md": "a"})
    with pytest.raises(NotFound) as raised:
        forge.execute(ops.LastCommitDates("0" * 40, ("a.md",)))
    assert raised.value.status == 404 and str(raised.value).startswith("LastCommitDates: ")


def test_last_commit_dates_in_an_unknown_repository_is_not_found(
    fake_github: FakeGitHubServer, make_forge: MakeForge
) -> None:
    forge = make_forge(fake_github, repository="octo/missing")
    with pytest.raises(NotFound) as raised:
        forge.execute(ops.LastCommitDates("0" * 40, ("a.md",)))
    assert str(raised.value).startswith("LastCommitDates: GitHub GraphQL answered: Could not")


def test_last_commit_dates_ask_a_hundred_paths_a_query(forge: Forge, state: FakeGitHub) -> None:
    paths = [f"docs/p{n:03d}.md" for n in range(250)]
    first = state.add_commit(REPO, dict.fromkeys(paths, "x"), date="2025-01-01T00:00:00Z")
    changed = {path: "y" for path in paths[::7]}
    head = state.add_commit(REPO, changed, parent=first, date="2025-02-01T00:00:00Z")
    state.clear_log()

    dates = forge.execute(ops.LastCommitDates(head, tuple(paths)))

    assert dates == {
        path: datetime(2025, 2 if path in changed else 1, 1, tzinfo=UTC) for path in paths
    }
    assert len(state.requests_to("/graphql$")) == 3 == math.ceil(250 / DATES_BATCH)
    assert len(state.log) == 3


def test_a_date_query_github_gives_up_on_is_asked_again_in_halves(
    forge: Forge, state: FakeGitHub
) -> None:
    # 120 pages added by the first of 60 commits: each history lookup walks all 60, and a
    # hundred of them walk more than GitHub answers in time (the fake's stand-in budget).
    assert 100 * 60 > GRAPHQL_WALK_BUDGET >= 50 * 60
    paths = [f"docs/p{n:03d}.md" for n in range(120)]
    sha = state.add_commit(REPO, dict.fromkeys(paths, "x"), date="2025-01-01T00:00:00Z")
    for n in range(59):
        sha = state.add_commit(REPO, {"other.md": str(n)}, parent=sha)
    state.clear_log()

    dates = forge.execute(ops.LastCommitDates(sha, tuple(paths)))

    assert dates == dict.fromkeys(paths, datetime(2025, 1, 1, tzinfo=UTC))
    # The 100 given up on (502), the 20 left over, then two halves of 50.
    assert sorted(state.response_statuses) == [200, 200, 200, 502]


def test_the_commit_as_of_a_moment_is_the_newest_committed_until_then(
    forge: Forge, state: FakeGitHub
) -> None:
    first = state.add_commit(REPO, {"a.md": "a"}, date="2025-01-02T03:04:05Z")
    second = state.add_commit(REPO, {"a.md": "a2"}, parent=first, date="2025-06-01T00:00:00Z")
    head = state.add_commit(REPO, {"b.md": "b"}, parent=second, date="2025-09-01T00:00:00Z")
    state.clear_log()

    def as_of(moment: datetime) -> str | None:
        return forge.execute(ops.CommitAsOf(head, moment))

    assert as_of(datetime(2025, 6, 30, 23, 59, 59, tzinfo=UTC)) == second
    assert as_of(datetime(2025, 6, 1, tzinfo=UTC)) == second  # at the moment itself
    assert as_of(datetime(2025, 3, 31, tzinfo=UTC)) == first
    assert as_of(datetime(2024, 12, 31, tzinfo=UTC)) is None
    asked = state.requests_to(rf"/repos/{REPO}/commits$")
    assert asked[0].query == {"sha": head, "until": "2025-06-30T23:59:59Z", "per_page": "1"}
    assert len(asked) == 4


def test_comparing_two_commits_lists_renames_as_renames(forge: Forge, state: FakeGitHub) -> None:
    base = state.add_commit(REPO, {"d/crdt.md": "crdt", "d/gone.md": "g", "d/kept.md": "k"})
    head = state.add_commit(
        REPO,
        {"d/crdt.md": None, "d/data/crdt.md": "crdt", "d/gone.md": None, "d/kept.md": "k2"},
        parent=base,
    )
    state.add_commit(REPO, {"elsewhere.md": "e"}, parent=head)

    listed = forge.execute(ops.CompareCommits(base, head, ("d/",)))

    assert [(f.path, f.status, f.previous_path) for f in listed.files] == [
        ("d/data/crdt.md", "renamed", "d/crdt.md"),
        ("d/gone.md", "removed", None),
        ("d/kept.md", "modified", None),
    ]
    assert not listed.truncated
    assert [f.path for f in forge.execute(ops.CompareCommits(base, head, ("e",))).files] == []
