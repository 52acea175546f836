"""Deleted pages that are merges: head's mkdocs.yml redirects them, over real git repositories
(`tierbot review`) and the same trees on the fake GitHub (`tierbot pr`, read through the API);
and a page made a redirect stub, read through the API too."""

from __future__ import annotations

import json
import logging

import pytest
from support.fake_github import FakeGitHubServer
from support.git_repo import GitRepo, example_library
from support.pages import stub

from bot.cli.main import main

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
# DStudio 9a0cc0b2 merged circuit-breaker-transformed.md into circuit-breaker.md.
TRANSFORMED = f"{LIB}/resilience/circuit-breaker-transformed.md"
REPO = "acme/patterns"

#: A Material for MkDocs site's configuration, tags and all, with one redirect.
MKDOCS = """\
site_name: DStudio
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
extra:
  analytics: !ENV [ANALYTICS_KEY, none]
plugins:
  - search
  - redirects:
      redirect_maps:
        pattern-library/resilience/circuit-breaker-transformed.md: {target}
"""


def merged(repo: GitRepo, target: str, mkdocs: str | None = None) -> GitRepo:
    """`main` with the transformed page; `merge` deletes it and redirects it to ``target``."""
    example_library(repo)
    repo.switch("main")
    repo.commit({TRANSFORMED: repo.read(BREAKER)}, message="the transformed page")
    repo.switch("merge", create=True, start="main")
    text = MKDOCS.format(target=target) if mkdocs is None else mkdocs
    repo.commit({TRANSFORMED: None, "mkdocs.yml": text}, message="merge into circuit-breaker")
    return repo


def deletion(data: dict) -> tuple[str, str, str]:
    (page,) = [f for f in data["files"] if f["path"] == TRANSFORMED]
    (finding,) = page["findings"]
    return finding["rule"], finding["severity"], finding["message"]


def review(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    args = ["review", "--repo", str(repo.path), "--base", "main", "--head", "merge"]
    code = main([*args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_redirect_to_a_kept_page_is_a_notice_not_an_error(git_repo: GitRepo, capsys) -> None:
    code, data = review(merged(git_repo, "pattern-library/resilience/circuit-breaker.md"), capsys)

    assert (code, data["conclusion"]) == (0, "success")
    rule, severity, message = deletion(data)
    assert (rule, severity) == ("pattern-merged", "notice")
    # The deleted page is the file's (named beside the message); the message names the target.
    assert data["files"][0]["path"] == TRANSFORMED and BREAKER in message


def test_a_redirect_to_a_missing_page_leaves_the_error(git_repo: GitRepo, capsys) -> None:
    code, data = review(merged(git_repo, "pattern-library/resilience/gone.md"), capsys)

    assert (code, data["conclusion"]) == (1, "failure")
    rule, severity, _ = deletion(data)
    assert (rule, severity) == ("pattern-deleted", "error")
    (page,) = [f for f in data["files"] if f["path"] == TRANSFORMED]
    assert "redirect_maps" in page["findings"][0]["checklist"]
    assert "archive/" in page["findings"][0]["checklist"]


def test_a_broken_mkdocs_yml_leaves_the_error_and_says_why_in_the_log(
    git_repo: GitRepo, capsys, caplog: pytest.LogCaptureFixture
) -> None:
    broken = MKDOCS.format(target="pattern-library/resilience/circuit-breaker.md") + "nav: [\n"
    repo = merged(git_repo, "", mkdocs=broken)
    with caplog.at_level(logging.WARNING):
        code, data = review(repo, capsys)

    assert code == 1
    assert deletion(data)[:2] == ("pattern-deleted", "error")
    assert "mkdocs.yml" not in deletion(data)[2]  # the finding does not blame the site file
    assert any(
        "mkdocs.yml" in r.getMessage() and "not valid YAML" in r.getMessage()
        for r in caplog.records
    )


def pull_request(
    fake_github: FakeGitHubServer, monkeypatch, at_base: dict, at_head: dict, capsys
) -> tuple[int, dict]:
    """`tierbot pr --dry-run --format json` on a pull request of the fake GitHub."""
    state = fake_github.state
    state.add_repo(REPO)
    base = state.add_commit(REPO, at_base, branch="main")
    head = state.add_commit(REPO, at_head, parent=base, branch="merge")
    number = state.add_pull(REPO, base, head)
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_test")
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", fake_github.graphql_url)

    code = main(["pr", f"{REPO}#{number}", "--dry-run", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_the_api_path_reads_the_redirect_too(
    git_repo: GitRepo, fake_github: FakeGitHubServer, monkeypatch, capsys
) -> None:
    repo = merged(git_repo, "pattern-library/resilience/circuit-breaker.md")
    site = repo.files_at("merge")["mkdocs.yml"]
    at_head = {TRANSFORMED: None, "mkdocs.yml": site}
    code, data = pull_request(fake_github, monkeypatch, repo.files_at("main"), at_head, capsys)

    assert code == 0
    assert deletion(data)[:2] == ("pattern-merged", "notice")


def test_the_api_path_finds_the_page_a_stub_redirects_to(
    git_repo: GitRepo, fake_github: FakeGitHubServer, monkeypatch, capsys
) -> None:
    at_base = example_library(git_repo).files_at("main")
    at_head = {BREAKER: stub("../bulkhead/").encode()}
    code, data = pull_request(fake_github, monkeypatch, at_base, at_head, capsys)

    assert (code, data["conclusion"]) == (0, "success")
    [page] = data["files"]
    [notice] = page["findings"]
    assert notice["rule"] == "pattern-merged"
    assert f"sends its readers to `{LIB}/resilience/bulkhead.md`" in notice["message"]
