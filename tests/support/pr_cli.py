"""`tierbot pr OWNER/REPO#N` against the fake GitHub: its environment, a pull request, a run."""

from __future__ import annotations

import pytest

from bot.cli.main import main

from .fake_github import FakeGitHub, FakeGitHubServer

REPO = "acme/patterns"
BOT = "github-actions[bot]"


def pr_environment(server: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """The environment `tierbot pr` reads, pointed at ``server``, which gets REPO."""
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_test")
    monkeypatch.setenv("GITHUB_API_URL", server.url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", server.graphql_url)
    monkeypatch.delenv("TIERBOT_LOGIN", raising=False)
    server.state.add_repo(REPO)
    return server.state


def open_pull(
    state: FakeGitHub, base: dict[str, str], head: dict[str, str | None], **kwargs
) -> int:
    """A pull request from `feature` (``head``'s changes on ``base``) into `main`."""
    base_sha = state.add_commit(REPO, base, branch="main")
    head_sha = state.add_commit(REPO, head, parent=base_sha, branch="feature")
    return state.add_pull(REPO, base_sha, head_sha, **kwargs)


def run_pr(capsys: pytest.CaptureFixture[str], number: int, *args: str) -> tuple[int, str, str]:
    """`tierbot pr REPO#number *args`: its exit code, stdout and stderr."""
    code = main(["pr", f"{REPO}#{number}", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
