"""`tierbot quarterly` dates undated pages by their last commit, from a real git checkout (the
shared corpus among them) or through the GraphQL API of the fake GitHub; `--since REF` and
`--format json` work offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.fake_github import FakeGitHubServer
from support.git_repo import GitRepo
from support.pages import DROP, GOLD, SILVER, page

from bot.cli.main import main

LIB = "docs/pattern-library"
UNDATED = {"last_updated": DROP}
OLDEST, OLD, REVIEWED = f"{LIB}/a/oldest.md", f"{LIB}/b/old.md", f"{LIB}/c/reviewed.md"
FRESH = f"{LIB}/d/fresh.md"


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL", "GITHUB_GRAPHQL_URL"):
        monkeypatch.delenv(name, raising=False)


def quarterly(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["quarterly", "--date", "2025-12-01", "--dry-run", *args]) == 0
    return capsys.readouterr().out


def stale(data: dict) -> list[tuple[str, str]]:
    pages = [*data["items"], *data["waiting"]]
    return [(i["page"], i["dated"]) for i in pages if "stale" in i["kinds"]]


def test_the_corpus_committed_this_quarter_has_no_undated_items(
    corpus: Path, git_repo: GitRepo, capsys
) -> None:
    """Every page committed in the last three months: none is "no valid date" any more."""
    written = git_repo.copy_tree(corpus / "docs", "docs")
    for index, day in enumerate(("2025-09-10", "2025-10-15", "2025-11-20")):
        git_repo.git("add", "--", *written[index::3])
        git_repo.git("commit", "--quiet", "-m", f"pages {index}", date=f"{day}T12:00:00Z")

    data = json.loads(quarterly(capsys, "--repo", str(git_repo.path), "--format", "json"))

    dated = re.compile(r"(?m)^last_(updated|reviewed): *\S")
    undated = [p for p in written if p.endswith(".md") and not dated.search(git_repo.read(p))]
    assert len(undated) > 100  # the dates that front matter lacks came from git
    reasons = [reason for _, reason in stale(data)]
    assert not [r for r in reasons if "no valid" in r or "(from git)" in r]
    # Only pages whose own last_updated is over a year old are stale, and none is undated.
    assert all(r.startswith("last reviewed ") for r in reasons)
    assert sum(data["counts"].values()) > 150 and data["items"]


def library(repo: GitRepo) -> GitRepo:
    repo.commit({OLDEST: page(GOLD, UNDATED)}, date="2021-02-03T00:00:00Z")
    repo.commit({OLD: page(SILVER, UNDATED)}, date="2023-04-05T00:00:00Z")
    repo.commit({REVIEWED: page(GOLD, {"last_updated": "2022-01-01"})}, date="2025-11-01T00:00:00Z")
    repo.commit({FRESH: page(GOLD, UNDATED)}, date="2025-10-01T00:00:00Z")
    return repo


def test_undated_pages_are_dated_by_git_oldest_first(git_repo: GitRepo, capsys) -> None:
    repo = library(git_repo)

    data = json.loads(quarterly(capsys, "--repo", str(repo.path), "--format", "json"))
    text = quarterly(capsys, "--repo", str(repo.path))

    assert stale(data) == [
        (OLDEST, "last changed 2021-02-03 (from git), 1762 days ago"),
        (REVIEWED, "last reviewed 2022-01-01, 1430 days ago"),  # not its recent commit
        (OLD, "last changed 2023-04-05 (from git), 971 days ago"),
    ]
    assert "🕰️ last changed 2021-02-03 (from git), 1762 days ago" in text
    assert data["writes"] and data["writes"][0].startswith("CreateLabel(")


def test_since_compares_with_a_revision_offline(git_repo: GitRepo, capsys) -> None:
    repo = library(git_repo)
    repo.git("tag", "v1")
    repo.commit({OLD: page(GOLD, UNDATED)}, message="promote", date="2025-11-15T00:00:00Z")

    text = quarterly(capsys, "--repo", str(repo.path), "--since", "v1")

    assert "Since revision `v1`, computed at" in text
    assert "`b/old.md`: silver → gold" in text
    assert "first quarterly review" not in text


def test_the_api_dates_pages_in_one_graphql_query(
    fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    state = fake_github.state
    state.add_repo("octo/patterns")
    first = state.add_commit(
        "octo/patterns", {OLDEST: page(GOLD, UNDATED)}, date="2021-02-03T00:00:00Z"
    )
    state.add_commit(
        "octo/patterns",
        {FRESH: page(GOLD, UNDATED)},
        parent=first,
        date="2025-10-01T00:00:00Z",
        branch="main",
    )
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_test")
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", fake_github.graphql_url)

    data = json.loads(quarterly(capsys, "--api", "--github", "octo/patterns", "--format", "json"))

    assert stale(data) == [(OLDEST, "last changed 2021-02-03 (from git), 1762 days ago")]
    asked = state.requests_to(r"/repos/octo/patterns/commits$")  # CommitAsOf's, not by path
    assert asked and not [r for r in asked if "path" in r.query]
    # the config, the pages at the head and at the end of Q3, then both undated pages' dates
    assert len(state.requests_to(r"^/graphql$")) == 4


def test_since_names_one_repository_so_app_refuses_it(capsys) -> None:
    assert main(["quarterly", "--app", "--since", "v1", "--dry-run"]) == 2
    assert "drop --github and --since" in capsys.readouterr().err
