"""A local range with broken objects: outside the pattern directories they cannot stop the
review; a pattern page git cannot read is a finding (exit 1), never an exit 2 or clean."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.git_repo import GitRepo
from support.pages import GOLD, SILVER, page

from bot.adapters.git import GitCheckout
from bot.cli.main import main
from bot.port.operations import CompareCommits, ReadFiles
from bot.port.results import ChangedFile, Unreadable

LIB = "docs/pattern-library"
PAGE = f"{LIB}/resilience/circuit-breaker.md"
OTHER = f"{LIB}/scaling/chunking.md"


def break_object(repo: GitRepo, oid: str, *, delete: bool = False) -> None:
    """Make the loose object ``oid`` unreadable: garbage in it, or gone."""
    loose = repo.path / ".git" / "objects" / oid[:2] / oid[2:]
    loose.chmod(0o644)
    if delete:
        loose.unlink()
    else:
        loose.write_bytes(b"not a zlib stream")


@pytest.fixture
def pull(git_repo: GitRepo) -> GitRepo:
    """main: a gold page and a file elsewhere; feature: both changed, plus a new page."""
    git_repo.commit({PAGE: page(GOLD), "site/theme.css": "a {}\n", "site/js/app.js": "1\n"})
    git_repo.switch("feature", create=True)
    git_repo.commit({PAGE: page(GOLD, {"title": "Breaker"}), "site/theme.css": "b {}\n"})
    git_repo.commit({OTHER: page(SILVER), "site/js/app.js": "2\n"})
    return git_repo


def review(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> tuple[int, dict]:
    code = main(["review", "--repo", str(repo.path), "--base", "main", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def findings(report: dict, path: str) -> list[tuple[str, str, str]]:
    (found,) = [p for p in report["files"] if p["path"] == path]
    return [(f["rule"], f["severity"], f["state"]) for f in found["findings"]]


def test_a_broken_tree_outside_the_pattern_directories_cannot_fail_the_review(
    pull: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    break_object(pull, pull.git("rev-parse", "HEAD:site/js"))
    break_object(pull, pull.git("rev-parse", "main:site/js"))
    with pytest.raises(subprocess.CalledProcessError):
        pull.git("diff", "--name-status", "main", "HEAD")  # the whole-repository diff dies

    code, report = review(capsys, pull)

    assert code == 0
    assert sorted(p["path"] for p in report["files"]) == [PAGE, OTHER]


@pytest.mark.parametrize("delete", [False, True], ids=["corrupt", "missing"])
def test_a_pattern_page_git_cannot_read_is_an_error_finding_not_exit_2(
    pull: GitRepo, capsys: pytest.CaptureFixture[str], delete: bool
) -> None:
    oid = pull.git("rev-parse", f"HEAD:{OTHER}")
    break_object(pull, oid, delete=delete)

    code, report = review(capsys, pull)

    assert code == 1
    assert findings(report, OTHER) == [("front-matter", "error", "new")]
    assert report["conclusion"] == "failure"
    assert "needs: tier-metadata" in report["labels"]["add"]
    assert findings(report, PAGE) == []  # the readable page is judged as usual


def test_read_files_tells_absent_from_unreadable(git_repo: GitRepo) -> None:
    git_repo.write({"docs/a.md": "a\n", "docs/sub/b.md": "b\n"})
    (git_repo.path / "docs" / "link.md").symlink_to("a.md")
    git_repo.commit()
    child_sha = GitRepo(git_repo.path.parent / "child").commit({"x.md": "x\n"})
    git_repo.git("update-index", "--add", "--cacheinfo", f"160000,{child_sha},docs/module.md")
    git_repo.git("commit", "--quiet", "-m", "a submodule")  # commit() would stage its removal
    head = git_repo.sha()
    paths = ("docs/a.md", "docs/link.md", "docs/module.md", "docs/sub", "docs/none.md")

    found = GitCheckout(git_repo.path).execute(ReadFiles(head, paths))

    assert found == {
        "docs/a.md": b"a\n",
        "docs/link.md": Unreadable("the path is a symbolic link", "git"),
        "docs/module.md": Unreadable("the path is a submodule", "git"),
        "docs/sub": None,
        "docs/none.md": None,
    }
    message = found["docs/module.md"].problem
    assert message == "git returned no content for this revision (the path is a submodule)"


def test_compare_commits_reads_only_under_the_directories_given(pull: GitRepo) -> None:
    checkout = GitCheckout(pull.path)
    base, head = pull.sha("main"), pull.sha()

    listed = checkout.execute(CompareCommits(base, head, (f"{LIB}/",)))
    everything = checkout.execute(CompareCommits(base, head))

    assert listed.files == (ChangedFile(PAGE, "modified"), ChangedFile(OTHER, "added"))
    assert len(everything.files) == 4


def test_directories_are_names_not_patterns(git_repo: GitRepo) -> None:
    base = git_repo.commit({"d*/a.md": "a\n", "dx/a.md": "a\n"})
    head = git_repo.commit({"d*/a.md": "b\n", "dx/a.md": "b\n"})
    listed = GitCheckout(Path(git_repo.path)).execute(CompareCommits(base, head, ("d*/",)))
    assert [f.path for f in listed.files] == ["d*/a.md"]
