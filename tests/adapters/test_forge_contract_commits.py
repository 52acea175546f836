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
