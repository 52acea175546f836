"""The Forge contract for commit history: each page's last commit date (LastCommitDates), over
real HTTP against the fake GitHub, for every adapter (the fixtures: conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.fake_github import FakeGitHub
from support.forges import REPO

from bot.errors import NotFound
from bot.port import operations as ops
from bot.port.forge import Forge


def test_last_commit_dates_are_of_the_newest_commit_that_changed_each_path(
    forge: Forge, state: FakeGitHub
) -> None:
    first = state.add_commit(REPO, {"a.md": "a", "b c.md": "b"}, date="2025-01-02T03:04:05Z")
    second = state.add_commit(REPO, {"a.md": "a2"}, parent=first, date="2025-06-01T00:00:00Z")
    head = state.add_commit(REPO, {"other.md": "o"}, parent=second, date="2025-09-01T00:00:00Z")
    state.clear_log()

    dates = forge.execute(ops.LastCommitDates(head, ("a.md", "b c.md", "never.md", "a.md")))

    assert dates == {
        "a.md": datetime(2025, 6, 1, tzinfo=UTC),
        "b c.md": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        "never.md": None,
    }
    asked = state.requests_to(rf"/repos/{REPO}/commits$")
    assert [r.query for r in asked] == [
        {"sha": head, "path": path, "per_page": "1"} for path in ("a.md", "b c.md", "never.md")
    ]
    assert forge.execute(ops.LastCommitDates(first, ("a.md",))) == {
        "a.md": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    }


def test_last_commit_dates_at_an_unknown_commit_is_not_found(
    forge: Forge, state: FakeGitHub
) -> None:
    state.add_commit(REPO, {"a.md": "a"})
    with pytest.raises(NotFound):
        forge.execute(ops.LastCommitDates("0" * 40, ("a.md",)))


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
