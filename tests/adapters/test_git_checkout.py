"""GitCheckout over real git repositories: the reads it answers, and what it hands on."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest
from support.git_repo import GitRepo

from bot.adapters.git import GitCheckout, remote_url
from bot.errors import NotFound, UsageError
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import (
    CompareCommits,
    GetMergeBase,
    GetTeamMembership,
    ListComments,
    ListPullReviews,
    ListTree,
    Operation,
    ReadFiles,
    ResolveRef,
)
from bot.port.results import ChangedFile, FileList

PNG = b"\x89PNG\r\n\x1a\n\0\1"


class Recorder:
    """A forward forge that records what it is asked and answers with a marker."""

    login = "tierbot-test[bot]"

    def __init__(self) -> None:
        self.calls: list[Operation] = []

    def execute(self, op: Operation) -> Any:
        self.calls.append(op)
        return ("forwarded", op)


class History(NamedTuple):
    repo: GitRepo
    base: str  # on main: docs/a.md, docs/b.md, gone.md, img/logo.png
    head: str  # on feature, from base: a.md renamed, b.md modified, gone.md removed, new.md
    main: str  # main moved on after feature left it


@pytest.fixture
def history(git_repo: GitRepo) -> History:
    base = git_repo.commit(
        {"docs/a.md": "alpha\n" * 20, "docs/b.md": "beta\n", "gone.md": "x\n", "img/logo.png": PNG}
    )
    git_repo.git("tag", "v1")
    git_repo.switch("feature", create=True)
    git_repo.move("docs/a.md", "docs/archive/a.md")
    head = git_repo.commit({"docs/b.md": "beta 2\n", "gone.md": None, "new.md": "new\n"})
    git_repo.switch("main")
    main = git_repo.commit({"main.md": "m\n"})
    return History(git_repo, base, head, main)


@pytest.fixture
def shallow(history: History, tmp_path: Path) -> Path:
    """A clone of ``feature`` one commit deep: it holds ``head`` but not ``base``."""
    target = tmp_path / "shallow"
    url = f"file://{history.repo.path}"
    history.repo.git("clone", "--quiet", "--depth", "1", "--branch", "feature", url, str(target))
    return target


def test_resolve_ref(history: History) -> None:
    checkout = GitCheckout(history.repo.path)
    assert checkout.execute(ResolveRef("main")) == history.main
    assert checkout.execute(ResolveRef("HEAD")) == history.main
    assert checkout.execute(ResolveRef("feature")) == history.head
    assert checkout.execute(ResolveRef("v1")) == history.base  # a tag names its commit
    assert checkout.execute(ResolveRef(history.head[:12])) == history.head
    with pytest.raises(UsageError):
        checkout.execute(ResolveRef("no-such-branch"))


def test_get_merge_base(history: History) -> None:
    checkout = GitCheckout(history.repo.path)
    assert checkout.execute(GetMergeBase("main", "feature")) == history.base
    assert checkout.execute(GetMergeBase(history.main, history.head)) == history.base
    assert checkout.execute(GetMergeBase(history.base, history.head)) == history.base


def test_compare_commits_added_modified_renamed_removed(history: History) -> None:
    checkout = GitCheckout(history.repo.path)
    listed = checkout.execute(CompareCommits(history.base, history.head))
    assert listed == FileList(
        (
            ChangedFile("docs/archive/a.md", "renamed", "docs/a.md"),
            ChangedFile("docs/b.md", "modified"),
            ChangedFile("gone.md", "removed"),
            ChangedFile("new.md", "added"),
        )
    )
    assert listed.truncated is False
    assert checkout.execute(CompareCommits(history.head, history.head)) == FileList(())


def test_read_files(history: History) -> None:
    checkout = GitCheckout(history.repo.path)
    paths = ("docs/b.md", "img/logo.png", "missing.md", "docs/b.md", "docs/archive/a.md")
    assert checkout.execute(ReadFiles(history.head, paths)) == {
        "docs/b.md": b"beta 2\n",
        "img/logo.png": PNG,
        "missing.md": None,
        "docs/archive/a.md": b"alpha\n" * 20,
    }
    assert checkout.execute(ReadFiles(history.base, ("docs/a.md", "new.md"))) == {
        "docs/a.md": b"alpha\n" * 20,
        "new.md": None,
    }
    assert checkout.execute(ReadFiles(history.head, ())) == {}


def test_read_files_a_directory_is_none_and_the_paths_after_it_are_read(history: History) -> None:
    checkout = GitCheckout(history.repo.path)
    assert checkout.execute(ReadFiles(history.head, ("docs", "new.md", "missing.md"))) == {
        "docs": None,
        "new.md": b"new\n",
        "missing.md": None,
    }


def test_list_tree(history: History) -> None:
    checkout = GitCheckout(history.repo.path)
    assert checkout.execute(ListTree(history.head)) == (
        "docs/archive/a.md",
        "docs/b.md",
        "img/logo.png",
        "new.md",
    )
    assert checkout.execute(ListTree("main")) == (
        "docs/a.md",
        "docs/b.md",
        "gone.md",
        "img/logo.png",
        "main.md",
    )


def test_answered_reads_never_reach_the_forward_forge(history: History) -> None:
    forward = Recorder()
    checkout = GitCheckout(history.repo.path, forward)
    assert checkout.execute(ListTree(history.head))
    assert checkout.execute(ReadFiles(history.head, ("new.md",))) == {"new.md": b"new\n"}
    assert checkout.execute(GetMergeBase("main", "feature")) == history.base
    assert forward.calls == []


def test_a_commit_the_checkout_lacks_is_not_found_without_a_forward_forge(
    history: History, shallow: Path
) -> None:
    checkout = GitCheckout(shallow)
    assert checkout.execute(ListTree(history.head)) == (
        "docs/archive/a.md",
        "docs/b.md",
        "img/logo.png",
        "new.md",
    )
    with pytest.raises(NotFound, match="not in the checkout"):
        checkout.execute(ReadFiles(history.base, ("docs/a.md",)))
    with pytest.raises(NotFound):
        checkout.execute(ListTree(history.base))


def test_a_commit_the_checkout_lacks_is_fetched_through_the_forward_forge(
    history: History, shallow: Path
) -> None:
    forward = Recorder()
    checkout = GitCheckout(shallow, forward, fetch_missing=True)
    read, tree = ReadFiles(history.base, ("docs/a.md",)), ListTree(history.base)
    assert checkout.execute(read) == ("forwarded", read)
    assert checkout.execute(tree) == ("forwarded", tree)
    assert checkout.execute(ReadFiles(history.head, ("new.md",))) == {"new.md": b"new\n"}
    assert forward.calls == [read, tree]


def test_fetch_missing_false_keeps_missing_commits_not_found(
    history: History, shallow: Path
) -> None:
    forward = Recorder()
    checkout = GitCheckout(shallow, forward, fetch_missing=False)
    with pytest.raises(NotFound):
        checkout.execute(ReadFiles(history.base, ("docs/a.md",)))
    with pytest.raises(NotFound):
        checkout.execute(ListTree(history.base))
    assert forward.calls == []


def test_operations_it_does_not_answer_go_to_the_forward_forge(history: History) -> None:
    forward = Recorder()
    checkout = GitCheckout(history.repo.path, forward)
    assert checkout.execute(ListComments(7)) == ("forwarded", ListComments(7))
    assert forward.calls == [ListComments(7)]
    assert checkout.login == "tierbot-test[bot]"


def test_without_a_forward_forge_they_are_a_usage_error(history: History) -> None:
    checkout = GitCheckout(history.repo.path)
    with pytest.raises(UsageError, match="ListComments needs GitHub"):
        checkout.execute(ListComments(7))
    for approvals in (ListPullReviews(7), GetTeamMembership("acme", "maintainers", "ana")):
        with pytest.raises(UsageError, match=f"{type(approvals).__name__} needs GitHub"):
            checkout.execute(approvals)
    assert checkout.login == ACTIONS_LOGIN


def test_another_repositorys_files_are_githubs_even_at_a_commit_the_checkout_holds(
    history: History,
) -> None:
    elsewhere = (
        ResolveRef("HEAD", "octo/.github"),
        ReadFiles(history.base, ("docs/b.md",), "octo/.github"),
    )
    forward = Recorder()
    checkout = GitCheckout(history.repo.path, forward)
    assert [checkout.execute(op) for op in elsewhere] == [("forwarded", op) for op in elsewhere]

    alone = GitCheckout(history.repo.path)
    for op in elsewhere:
        with pytest.raises(UsageError, match=f"{type(op).__name__} of octo/.github needs GitHub"):
            alone.execute(op)


def test_remote_url_is_origins_else_the_first_remotes(git_repo: GitRepo) -> None:
    assert remote_url(git_repo.path) is None
    git_repo.git("remote", "add", "upstream", "git@github.com:octo/patterns.git")
    assert remote_url(git_repo.path) == "git@github.com:octo/patterns.git"
    git_repo.git("remote", "add", "origin", "https://github.com/me/patterns.git")
    assert remote_url(git_repo.path) == "https://github.com/me/patterns.git"
