"""`tierbot fix --since REV`: the pages a branch changed, committed or not, in a real git repo."""

from __future__ import annotations

import pytest
from support.fix_cli import fixed_pages, snapshot, tierbot
from support.git_repo import GitRepo, example_library
from support.replays import corpus_library, keys_renamed, pattern_pages

LIB = "docs/pattern-library"
BREAKER, RETRY = f"{LIB}/resilience/circuit-breaker.md", f"{LIB}/resilience/retry-with-backoff.md"
RETRIES, TIMEOUT = f"{LIB}/resilience/retries.md", f"{LIB}/resilience/timeout.md"
ELECTION, CQRS = f"{LIB}/coordination/leader-election.md", f"{LIB}/data-management/cqrs.md"
#: Pages of main with a fix waiting, that the branch does not touch.
ON_MAIN = [
    f"{LIB}/architecture/lambda-architecture.md",
    f"{LIB}/data-management/write-ahead-log.md",
]


def broken(repo: GitRepo, name: str, old: str, new: str) -> str:
    """Page ``name``'s text with a fixable problem: ``old`` (once) written as ``new``."""
    text = repo.read(name)
    assert old in text, (name, old)
    return text.replace(old, new, 1)


@pytest.fixture
def branch(git_repo: GitRepo) -> tuple[GitRepo, dict[str, str]]:
    """The example library with main moved on, and a branch that breaks a fixable thing on
    pages committed, renamed, staged, changed and new; each such page with its text on main."""
    repo = example_library(git_repo)
    main = {name: repo.read(name) for name in (BREAKER, RETRY, ELECTION, CQRS)}
    repo.switch("main")  # after the branch left: git diff main would list this page too
    repo.commit({ON_MAIN[0]: repo.read(ON_MAIN[0]) + "\nMore on main.\n"}, message="main moves")
    repo.switch("feature")
    repo.move(RETRY, RETRIES)
    repo.commit(
        {
            BREAKER: broken(repo, BREAKER, "introduced: 2007-03", "introduced: 2007-3"),
            RETRIES: broken(repo, RETRIES, "production_checklist:", "production-checklist:"),
            f"{LIB}/resilience/bulkhead.md": None,  # deleted: nothing to fix, nothing said
            f"{LIB}/index.md": "---\nbest-for: an excluded page\n---\n",
        },
        message="the branch's commit",
    )
    repo.write({ELECTION: broken(repo, ELECTION, "trade_offs:", "trade-offs:")})
    repo.git("add", ELECTION)  # staged
    repo.write(
        {
            CQRS: broken(repo, CQRS, "best_for:", "best-for:"),  # changed, not staged
            TIMEOUT: main[BREAKER].replace("pattern_status:", "pattern-status:"),  # untracked
            f"{LIB}/guide.md": "---\ntype: guide\nbest-for: guides are not checked\n---\n",
        }
    )
    main[RETRIES] = main.pop(RETRY)
    return repo, {**main, TIMEOUT: main[BREAKER]}


def test_since_fixes_the_pages_the_branch_changed_and_no_other(branch) -> None:
    repo, fixed = branch
    before = snapshot(repo.path)
    checked = tierbot(repo.path, "fix", "--since", "main", "--check")
    assert checked.returncode == 1, checked.stderr
    assert fixed_pages(checked) == sorted(fixed)
    assert checked.stdout.endswith("would fix 5 problems in 5 of 5 pages\n")
    assert snapshot(repo.path) == before  # --check writes nothing

    result = tierbot(repo.path, "fix", "--since", "main")
    assert result.returncode == 0, result.stderr
    assert "\nfixed 5 problems in 5 of 5 pages\n" in result.stdout
    assert result.stdout.endswith("\n5 pages checked: 0 errors, 3 warnings, 0 notices\n")
    after = snapshot(repo.path)
    assert {name for name in after if after[name] != before[name]} == set(fixed)
    assert {name: after[name].decode() for name in fixed} == fixed  # each back as on main
    assert fixed_pages(tierbot(repo.path, "fix", "--check")) == ON_MAIN  # main's own: left
    again = tierbot(repo.path, "fix", "--since", "main", "--check")
    # Three pages are as on main again: only the moved and the new one differ from it now.
    assert again.returncode == 0 and again.stdout == "would fix 0 problems in 0 of 2 pages\n"


def test_since_from_a_subdirectory_reads_the_whole_branch(branch) -> None:
    repo, fixed = branch
    here = repo.path / LIB / "resilience"
    result = tierbot(here, "fix", "--since", "main", "--check")
    assert result.returncode == 1, result.stderr
    beneath = [(repo.path / name).relative_to(here).as_posix() for name in sorted(fixed)[2:]]
    assert fixed_pages(result) == [str(repo.path / ELECTION), str(repo.path / CQRS), *beneath]


def test_an_unknown_revision_says_what_to_fetch(git_repo: GitRepo) -> None:
    repo = example_library(git_repo)
    result = tierbot(repo.path, "fix", "--since", "origin/main")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"tierbot: error: no revision `origin/main` in {repo.path}: "
        "fetch it first (`git fetch origin main`)\n"
    )
    local = tierbot(repo.path, "fix", "--since", "release")
    assert local.returncode == 2 and "Traceback" not in local.stderr
    assert local.stderr.startswith("tierbot: error: no revision `release` in ")
    assert "`git fetch origin release` fetches GitHub's `release` as `origin/release`" in (
        local.stderr
    )


def test_a_revision_without_shared_history_is_a_usage_error(git_repo: GitRepo) -> None:
    repo = example_library(git_repo)
    repo.git("switch", "--quiet", "--orphan", "lonely")
    repo.commit({"README.md": "# Alone\n"})
    result = tierbot(repo.path, "fix", "--since", "main")
    assert result.returncode == 2
    assert result.stderr.endswith(" they share no history\n") and "merge base" in result.stderr


def test_a_shallow_clone_is_told_to_fetch_the_history(git_repo: GitRepo, tmp_path) -> None:
    repo = example_library(git_repo)
    repo.switch("main")
    repo.commit({ON_MAIN[0]: "moved on\n"}, message="main moves")
    repo.switch("feature")
    repo.commit({BREAKER: broken(repo, BREAKER, "introduced: 2007-03", "introduced: 2007-3")})
    clone = tmp_path / "clone"  # each branch's tip only: they share no commit
    repo.git(
        "clone", "--quiet", "--depth=1", "--no-single-branch", f"file://{repo.path}", str(clone)
    )
    result = tierbot(clone, "fix", "--since", "origin/main")
    assert result.returncode == 2
    assert result.stderr.endswith(
        "the checkout is shallow: fetch the history that joins them (`git fetch --unshallow`)\n"
    )


def test_since_needs_a_checkout_and_no_path(git_repo: GitRepo, tmp_path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    result = tierbot(outside, "fix", "--since", "main")
    assert (result.returncode, result.stderr) == (
        2,
        f"tierbot: error: {outside} is not in a git checkout\n",
    )
    repo = example_library(git_repo)
    named = tierbot(repo.path, "fix", "--since", "main", LIB)
    assert (named.returncode, named.stderr) == (
        2,
        "tierbot: error: --since takes the pages from git: name no PATH with it\n",
    )


# --- The real corpus -------------------------------------------------------------------------


def test_since_on_the_corpus_fixes_exactly_the_branch_s_pages(corpus, git_repo: GitRepo) -> None:
    repo = corpus_library(git_repo)
    on_main = set(fixed_pages(tierbot(repo.path, "fix", "--check")))
    main = snapshot(repo.path)
    replay = keys_renamed(repo, count=30)  # committed: keys hyphenated on 30 pages
    edited = next(  # and, in the working tree only, a misspelt key on one more page
        page
        for page in pattern_pages(repo)
        if page not in replay.renamed and "\npattern_status:" in repo.read(page)
    )
    repo.write({edited: broken(repo, edited, "\npattern_status:", "\npattern-status:")})
    branch = {*replay.renamed, edited}
    assert on_main - branch and on_main & branch  # main's fixes, off and on the branch's pages

    result = tierbot(repo.path, "fix", "--since", "main")
    assert "Traceback" not in result.stderr
    assert fixed_pages(result) == sorted(branch)
    after = snapshot(repo.path)
    # The branch's pages are as on main again, but for main's own fixes on them; no other
    # page changed: main's pages with a fix waiting are left to their own pull request.
    assert {name for name in after if after[name] != main[name]} == branch & on_main
    assert set(fixed_pages(tierbot(repo.path, "fix", "--check"))) == on_main - branch
    assert tierbot(repo.path, "fix", "--since", "main", "--check").returncode == 0
