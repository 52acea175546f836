"""The Forge contract for tierbot's own branch and pull request: commits made through the Git
Data API, a branch created and moved, a pull request opened, found and closed; over real
HTTP against the fake GitHub, for every adapter (the fixtures: conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest
from support.fake_github import FakeGitHub
from support.forges import REPO

from bot.errors import AlreadyExists, Conflict
from bot.port import operations as ops
from bot.port.forge import Forge
from bot.port.results import Signature

BOT = Signature("tierbot[bot]", "tierbot[bot]@users.noreply.github.com", date(2026, 11, 26))
BRANCH = "tierbot/quarterly-2026-Q4"


def test_a_commit_made_through_the_api_holds_the_bytes_and_its_message(
    forge: Forge, state: FakeGitHub
) -> None:
    base = state.add_commit(REPO, {"a.md": "a", "b.md": "\ufeffb\r\n"}, branch="main")
    content = "\ufeff---\r\nlast_reviewed: 2026-11-26\r\n---\r\n".encode()

    def commit() -> str:
        message = "Subject\n\nReviewed-by: ana <a@x>"
        return forge.execute(ops.CreateCommit(base, (("b.md", content),), message, BOT))

    sha = commit()

    assert commit() == sha  # the same parent, content, message and date: the same commit
    assert state.repo(REPO).commits[sha] == {"a.md": b"a", "b.md": content}
    assert forge.execute(ops.GetBranch(BRANCH)) is None
    forge.execute(ops.CreateBranch(BRANCH, sha))
    assert forge.execute(ops.GetBranch(BRANCH)) == sha
    with pytest.raises(AlreadyExists):
        forge.execute(ops.CreateBranch(BRANCH, sha))
    listed = forge.execute(ops.ListBranchCommits(base, BRANCH))
    assert listed.on_base
    assert [(c.sha, c.message, c.day) for c in listed.commits] == [
        (sha, "Subject\n\nReviewed-by: ana <a@x>", date(2026, 11, 26))
    ]


def test_a_branch_moves_forward_and_only_by_force_elsewhere(
    forge: Forge, state: FakeGitHub
) -> None:
    base = state.add_commit(REPO, {"a.md": "a"}, branch="main")
    first = forge.execute(ops.CreateCommit(base, (("a.md", b"1"),), "one", BOT))
    second = forge.execute(ops.CreateCommit(first, (("a.md", b"2"),), "two", BOT))
    other = forge.execute(ops.CreateCommit(base, (("a.md", b"3"),), "three", BOT))
    forge.execute(ops.CreateBranch(BRANCH, first))

    forge.execute(ops.MoveBranch(BRANCH, second))
    with pytest.raises(Conflict):
        forge.execute(ops.MoveBranch(BRANCH, other))
    forge.execute(ops.MoveBranch(BRANCH, other, force=True))

    assert state.repo(REPO).branches[BRANCH] == other
    assert [c.message for c in forge.execute(ops.ListBranchCommits("main", BRANCH)).commits] == [
        "three"
    ]


def test_one_pull_request_per_branch_found_updated_and_closed(
    forge: Forge, state: FakeGitHub
) -> None:
    base = state.add_commit(REPO, {"a.md": "a"}, branch="main")
    forge.execute(
        ops.CreateBranch(
            BRANCH, forge.execute(ops.CreateCommit(base, (("a.md", b"1"),), "one", BOT))
        )
    )
    assert forge.execute(ops.ListPulls(BRANCH)) == ()

    made = forge.execute(ops.CreatePull("Quarterly review 2026-Q4", BRANCH, "main", "body"))

    with pytest.raises(AlreadyExists):
        forge.execute(ops.CreatePull("Quarterly review 2026-Q4", BRANCH, "main", "body"))
    (found,) = forge.execute(ops.ListPulls(BRANCH))
    assert (found.number, found.head_ref, found.base_ref, found.body) == (
        made.number,
        BRANCH,
        "main",
        "body",
    )
    assert forge.execute(ops.UpdatePull(made.number, body="new")).body == "new"
    assert forge.execute(ops.UpdatePull(made.number, state="closed")).state == "closed"
    assert forge.execute(ops.ListPulls(BRANCH)) == ()
