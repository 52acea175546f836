"""`tierbot pr` with the owner's `.github` settings, over real HTTP through PyGithubForge."""

from __future__ import annotations

import time

import pytest
from support.app_site import BREAKER, BROKEN_PAGE, GOLD_PAGE
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.owner_settings import (
    ORG_CONFIG,
    ORG_LABEL,
    ORG_RULES,
    ORG_RULES_PATH,
    owner_repository,
)
from support.pr_cli import BOT, REPO, open_pull, pr_environment, run_pr

from bot.core.config import CONFIG_PATH

OWNER = REPO.split("/")[0]
README = {"README.md": "# Patterns\n"}


@pytest.fixture
def github(fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # no retry waits a clock
    return pr_environment(fake_github, monkeypatch)


def test_the_owners_settings_rule_and_a_rerun_writes_nothing(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    owner_repository(github, OWNER, {CONFIG_PATH: ORG_CONFIG, ORG_RULES_PATH: ORG_RULES})
    number = open_pull(github, README, {BREAKER: GOLD_PAGE})

    code, _, err = run_pr(capsys, number)

    [comment] = [c.body for c in github.comments(REPO, number) if c.user == BOT]
    assert code == 1, err
    assert "needs-owner" in comment and "gold-modern-examples" not in comment
    assert f"rules and config from `{OWNER}/.github` › `.github/tierbot.yml` ·" in comment
    assert set(github.issue_labels(REPO, number)) == {"tier: gold", ORG_LABEL}

    github.clear_log()
    assert run_pr(capsys, number)[0] == 1
    assert github.landed_writes() == []
    assert len(github.requests_to(rf"^/repos/{OWNER}/\.github/commits/HEAD$")) == 1


def test_extends_with_an_override_and_without_a_github_repository(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    own = {CONFIG_PATH: "_extends: .github\nfail-on: errors\n"}
    number = open_pull(github, own, {BREAKER: BROKEN_PAGE})

    code, _, err = run_pr(capsys, number)  # asked for, but not there: say so

    assert code == 2 and github.comments(REPO, number) == []
    assert f"error: {CONFIG_PATH} at " in err  # the base commit
    assert f": `_extends`: no repository {OWNER}/.github this token can read" in err

    owner_repository(github, OWNER, {CONFIG_PATH: "fail-on: never\nseverity: {tier-banner: off}"})
    code, _, err = run_pr(capsys, number)

    [comment] = [c.body for c in github.comments(REPO, number) if c.user == BOT]
    assert code == 1, err  # the repository's `fail-on: errors` over the owner's `never`
    assert f"from `main`, laid over `{OWNER}/.github` › `.github/tierbot.yml` ·" in comment


def test_a_refused_github_repository_is_an_error_saying_what_to_do(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    owner_repository(github, OWNER, {CONFIG_PATH: ORG_CONFIG})
    github.refuse_reads(rf"^/repos/{OWNER}/\.github/")
    number = open_pull(github, README, {BREAKER: BROKEN_PAGE})

    code, _, err = run_pr(capsys, number)

    assert code == 2 and "Traceback" not in err
    assert f"{OWNER}/.github:.github/tierbot.yml: GitHub refused to read it" in err
    assert f"Install tierbot on {OWNER}/.github" in err
    assert f"add a `{CONFIG_PATH}` of this repository's own" in err
