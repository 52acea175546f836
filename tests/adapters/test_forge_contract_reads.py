"""The Forge contract, continued: pages GitHub does not give (GraphQL `null`, a blob gone
between two calls) and the commit status read back, over real HTTP against the fake."""

from __future__ import annotations

import pytest
from support.fake_github import FakeGitHub, blob_sha
from support.forges import REPO

from bot.errors import ForgeError, NotFound, RetryableError
from bot.port import operations as ops
from bot.port.forge import Forge
from bot.port.results import CommitStatus, Unreadable

LARGE = ("x" * 99 + "\n").encode() * 6000  # 600,000 bytes: GraphQL cuts text at 512,000
PNG = b"\x89PNG\r\n\x1a\n\0\0"


def test_graphql_null_for_a_file_that_is_there_reads_as_none(
    forge: Forge, state: FakeGitHub
) -> None:
    sha = state.add_commit(REPO, {"docs/a.md": "a", "docs/b.md": "b"})
    state.graphql_nulls.add((sha, "docs/a.md"))  # as GitHub answers for a submodule
    assert forge.execute(ops.ReadFiles(sha, ("docs/a.md", "docs/b.md"))) == {
        "docs/a.md": None,  # the job, knowing the change lists it, makes it unreadable
        "docs/b.md": b"b",
    }


@pytest.mark.parametrize("content", [LARGE, PNG], ids=["truncated", "binary"])
def test_a_blob_gone_between_graphql_and_the_blobs_api_is_unreadable(
    forge: Forge, state: FakeGitHub, content: bytes
) -> None:
    sha = state.add_commit(REPO, {"docs/a.md": content, "docs/b.md": "b"})
    state.gone_blobs.add(blob_sha(content))
    state.clear_log()

    found = forge.execute(ops.ReadFiles(sha, ("docs/a.md", "docs/b.md")))

    assert found["docs/b.md"] == b"b"
    unreadable = found["docs/a.md"]
    assert isinstance(unreadable, Unreadable)
    assert unreadable.problem == (
        "GitHub returned no content for this revision (the blob GraphQL named is no longer "
        "served: the blobs API answered 404: Not Found)"
    )
    assert [r.path.rsplit("/", 2)[-2] for r in state.log] == ["", "blobs"]


def test_large_and_binary_pages_are_read_whole_through_the_blobs_api(
    forge: Forge, state: FakeGitHub
) -> None:
    sha = state.add_commit(REPO, {"docs/big.md": LARGE, "docs/logo.md": PNG})
    found = forge.execute(ops.ReadFiles(sha, ("docs/big.md", "docs/logo.md")))
    assert found == {"docs/big.md": LARGE, "docs/logo.md": PNG}


def test_a_rate_limited_blob_read_is_still_an_error_not_unreadable(
    forge: Forge, state: FakeGitHub
) -> None:
    sha = state.add_commit(REPO, {"docs/a.md": PNG})
    state.rate_limit_next(1, 403, retry_after=3, path=r"/git/blobs/")
    with pytest.raises(RetryableError):
        forge.execute(ops.ReadFiles(sha, ("docs/a.md",)))


def test_get_commit_status_is_the_newest_of_its_context(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    assert forge.execute(ops.GetCommitStatus(sha, "tierbot")) is None
    forge.execute(ops.SetCommitStatus(sha, "failure", "tierbot", "1 new error", "https://c/1"))
    forge.execute(ops.SetCommitStatus(sha, "success", "tierbot", "no new problems", None))
    for n in range(120):  # newer contexts: ours on the combined status's second page
        forge.execute(ops.SetCommitStatus(sha, "success", f"ci/{n}", "ok"))
    state.clear_log()

    found = forge.execute(ops.GetCommitStatus(sha, "tierbot"))

    assert found == CommitStatus("tierbot", "success", "no new problems", None)
    assert [r.query.get("page") for r in state.log] == [None, "2"]
    assert forge.execute(ops.GetCommitStatus(sha, "other")) is None


OWNER_REPO = "octo/.github"


def test_another_repository_of_the_owner_is_read_at_its_default_branch(
    forge: Forge, state: FakeGitHub
) -> None:
    state.add_repo(OWNER_REPO, default_branch="trunk")
    first = state.add_commit(OWNER_REPO, {".github/tierbot.yml": "fail-on: errors\n"})
    head = state.add_commit(
        OWNER_REPO, {".github/tierbot.yml": "fail-on: never\n", "logo.md": PNG}, parent=first
    )
    state.repo(OWNER_REPO).branches["trunk"] = head
    state.add_commit(REPO, {".github/tierbot.yml": "mine\n"})  # same paths, another repository
    state.clear_log()

    sha = forge.execute(ops.ResolveRef("HEAD", OWNER_REPO))
    found = forge.execute(ops.ReadFiles(sha, (".github/tierbot.yml", "logo.md"), OWNER_REPO))

    assert sha == head
    assert found == {".github/tierbot.yml": b"fail-on: never\n", "logo.md": PNG}
    assert [r.path for r in state.log if not r.path.endswith("/graphql")] == [
        f"/repos/{OWNER_REPO}/commits/HEAD",
        f"/repos/{OWNER_REPO}/git/blobs/{blob_sha(PNG)}",  # the blob of that repository
    ]


def test_another_repository_not_there_or_refused_is_an_error_with_its_status(
    forge: Forge, state: FakeGitHub
) -> None:
    with pytest.raises(NotFound):
        forge.execute(ops.ResolveRef("HEAD", OWNER_REPO))
    state.add_repo(OWNER_REPO)
    state.add_commit(OWNER_REPO, {"a.md": "a"})
    state.refuse_reads(f"^/repos/{OWNER_REPO}/")

    with pytest.raises(ForgeError) as refused:
        forge.execute(ops.ResolveRef("HEAD", OWNER_REPO))

    assert refused.value.status == 403
