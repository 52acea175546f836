"""GitCheckout's LastCommitDates over real git repositories: one walk for many paths, merges,
paths taken literally, and shallow clones (whose cut history dates nothing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from support.git_repo import GitRepo

from bot.adapters.git import GitCheckout
from bot.port.operations import CommitAsOf, LastCommitDates, Operation

GLOB = "docs/[draft] *.md"  # a pathspec would match every page: it must be taken literally


class DatingForge:
    """A forward forge that dates every path it is asked about 2020-01-01."""

    login = "tierbot-test[bot]"

    def __init__(self) -> None:
        self.calls: list[Operation] = []

    def execute(self, op: Any) -> Any:
        self.calls.append(op)
        return dict.fromkeys(op.paths, datetime(2020, 1, 1, tzinfo=UTC))


def dated(repo: GitRepo) -> str:
    """a.md and the glob-named page on 2025-01-10, a.md again on 2025-03-01 (+02:00), then a
    side branch changing b.md on 2025-04-01, merged on 2025-05-01; HEAD's SHA."""
    repo.commit({"docs/a.md": "a\n", GLOB: "g\n", "docs/b.md": "b\n"}, date="2025-01-10T09:00:00Z")
    repo.commit({"docs/a.md": "a2\n"}, date="2025-03-01T10:00:00+02:00")
    repo.switch("side", create=True)
    repo.commit({"docs/b.md": "b2\n"}, date="2025-04-01T00:00:00Z")
    repo.switch("main")
    repo.commit({"docs/c.md": "c\n"}, date="2025-04-15T00:00:00Z")
    repo.git("merge", "--quiet", "--no-ff", "-m", "merge", "side", date="2025-05-01T00:00:00Z")
    return repo.sha()


def test_each_path_is_dated_by_the_newest_commit_that_changed_it(git_repo: GitRepo) -> None:
    head = dated(git_repo)
    paths = ("docs/a.md", GLOB, "docs/b.md", "docs/none.md")

    dates = GitCheckout(git_repo.path).execute(LastCommitDates(head, paths))

    assert dates == {
        "docs/a.md": datetime(2025, 3, 1, 10, tzinfo=timezone(timedelta(hours=2))),
        GLOB: datetime(2025, 1, 10, 9, tzinfo=UTC),
        "docs/b.md": datetime(2025, 4, 1, tzinfo=UTC),  # its commit, not the merge
        "docs/none.md": None,
    }


def test_a_shallow_clone_dates_nothing_its_cut_history_hides(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    head = dated(git_repo)
    git_repo.commit({"docs/a.md": "a3\n"}, date="2025-06-01T00:00:00Z")
    head = git_repo.sha()
    clone = tmp_path / "shallow"
    git_repo.git("clone", "--quiet", "--depth", "1", f"file://{git_repo.path}", str(clone))
    op = LastCommitDates(head, ("docs/a.md", "docs/b.md"))

    # Only HEAD is there: it seems to add every file, so no date can be trusted.
    assert GitCheckout(clone).execute(op) == {"docs/a.md": None, "docs/b.md": None}
    forward = DatingForge()
    dates = GitCheckout(clone, forward).execute(op)
    assert forward.calls == [op]
    assert set(dates.values()) == {datetime(2020, 1, 1, tzinfo=UTC)}
    # A full clone never asks the forge, even for a path no commit changed.
    full = DatingForge()
    GitCheckout(git_repo.path, full).execute(LastCommitDates(head, ("docs/none.md",)))
    assert full.calls == []


def test_the_commit_as_of_a_moment_follows_first_parents(git_repo: GitRepo, tmp_path: Path) -> None:
    head = dated(git_repo)
    checkout = GitCheckout(git_repo.path)

    def as_of(day: str) -> str | None:
        return checkout.execute(CommitAsOf(head, datetime.fromisoformat(day)))

    assert as_of("2025-01-01T00:00:00+00:00") is None  # the history starts later
    assert as_of("2025-01-10T09:00:00+00:00") == git_repo.sha("HEAD~3")
    assert as_of("2025-04-01T12:00:00+00:00") == git_repo.sha("HEAD~2")  # not the side branch
    assert as_of("2025-04-20T00:00:00+00:00") == git_repo.sha("HEAD^1")
    assert as_of("2026-01-01T00:00:00+00:00") == head
    # A shallow clone asks the forge about what its cut history hides; a full one never does.
    clone = tmp_path / "shallow"
    git_repo.git("clone", "--quiet", "--depth", "1", f"file://{git_repo.path}", str(clone))
    forward = AnsweringForge("f" * 40)
    op = CommitAsOf(head, datetime(2025, 2, 1, tzinfo=UTC))
    assert GitCheckout(clone).execute(op) is None
    assert GitCheckout(clone, forward).execute(op) == "f" * 40 and forward.calls == [op]
    full = AnsweringForge("f" * 40)
    assert GitCheckout(git_repo.path, full).execute(op) == git_repo.sha("HEAD~3")
    assert (
        GitCheckout(git_repo.path, full).execute(CommitAsOf(head, datetime(2024, 1, 1, tzinfo=UTC)))
        is None
    )
    assert full.calls == []


class AnsweringForge:
    """A forward forge that answers every operation with one value, and records them."""

    login = "tierbot-test[bot]"

    def __init__(self, answer: Any) -> None:
        self.answer, self.calls = answer, []

    def execute(self, op: Any) -> Any:
        self.calls.append(op)
        return self.answer
