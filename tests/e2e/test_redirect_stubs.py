"""Redirect stubs on the real DStudio pages: 2a233545 replayed with its stubs (three of the
five gold pages made stubs, two untiered). The review says merged, `tierbot check` skips
them with the reason, the quarterly review never lists them."""

from __future__ import annotations

import json

import pytest
from support.git_repo import GitRepo
from support.replays import Replay, corpus_library, stubs_made

from bot.cli.main import main

LIB = "docs/pattern-library"
#: Maps one more page away in mkdocs.yml (not committed: `tierbot check` reads the tree).
MAPPED = f"{LIB}/resilience/timeout-advanced.md"
SITE = f"""\
site_name: DStudio
plugins:
  - redirects:
      redirect_maps:
        {MAPPED.removeprefix("docs/")}: pattern-library/resilience/timeout.md
"""


@pytest.fixture
def replay(corpus, git_repo: GitRepo) -> Replay:
    """The corpus on `main`; on `feature`, 2a233545 with three stubs (checked out)."""
    return stubs_made(corpus_library(git_repo))


def where_sent(path: str, url: str) -> str:
    """What the notice names: the folder's index page a URL means, else the URL as written."""
    return f"docs{url}index.md" if not url.endswith("-transformed/") else url


def test_the_review_says_each_stub_is_a_merge_and_asks_nothing_of_it(
    replay: Replay, git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["review", "--repo", str(git_repo.path), "--base", "main", "--format", "json"]
    code = main(args)
    data = json.loads(capsys.readouterr().out)

    assert code == 1  # the two untiered pages: new errors
    files = {f["path"]: f for f in data["files"]}
    assert len(files) == replay.pages > 100
    for path, url in replay.stubs:
        [notice] = files[path]["findings"]  # no tier-missing, no gold rules, nothing fixed
        assert (notice["rule"], notice["severity"], notice["state"]) == (
            "pattern-merged",
            "notice",
            "new",
        )
        assert notice["message"] == (
            "The page is now a redirect: `redirect_to` sends its readers to "
            f"`{where_sent(path, url)}`, where its content was merged."
        )
        assert (files[path]["tier_base"], files[path]["tier_head"]) == ("gold", None)
        assert f"{path.removeprefix(LIB + '/')}`: 🏆 gold → none" not in data["comment"]
    for path in replay.untiered:
        assert ("tier-missing", "new") in [(f["rule"], f["state"]) for f in files[path]["findings"]]
    assert data["summary"] == f"2 new errors on 2 of {replay.pages} pages · 2 tiers removed"


def test_check_skips_the_stubs_saying_why(
    replay: Replay, git_repo: GitRepo, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (git_repo.path / "mkdocs.yml").write_text(SITE)
    monkeypatch.chdir(git_repo.path)

    main(["check", "--format", "json", LIB])
    data = json.loads(capsys.readouterr().out)
    main(["check", LIB])
    (summary,) = [line for line in capsys.readouterr().out.splitlines() if "skipped" in line]

    redirects = [(s["path"], s["detail"]) for s in data["skipped"] if s["reason"] == "redirect"]
    assert redirects == sorted(
        [*((path, "redirect_to") for path, _ in replay.stubs), (MAPPED, "mkdocs.yml")]
    )
    checked = {f["path"] for f in data["files"]}
    assert not checked & {path for path, _ in replay.stubs} and MAPPED not in checked
    assert set(replay.untiered) <= checked
    assert "; redirect redirect_to 3, mkdocs.yml 1; " in summary


def test_the_quarterly_review_never_lists_a_stub(
    replay: Replay, git_repo: GitRepo, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL", "GITHUB_GRAPHQL_URL"):
        monkeypatch.delenv(name, raising=False)
    args = ["quarterly", "--date", "2025-12-01", "--dry-run", "--format", "json"]

    assert main([*args, "--repo", str(git_repo.path)]) == 0
    plan = json.loads(capsys.readouterr().out)
    listed = {item["page"] for item in (*plan["items"], *plan["waiting"])}

    assert not listed & {path for path, _ in replay.stubs}
    assert set(replay.untiered) <= listed  # pages without a tier are: the stubs were not read so
