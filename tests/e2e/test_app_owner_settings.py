"""`tierbot serve` reviewing with the owner's `.github` settings, as a real subprocess.

Each test is an owner of its own (one installation each) on the module's fake GitHub.
"""

from __future__ import annotations

from typing import Any

from support.app_server import AppServer, SlowGitHub, wait_until_reviewed
from support.app_site import BREAKER, BROKEN_PAGE, GOLD_PAGE, AppSite, Pull
from support.owner_settings import (
    ORG_CONFIG,
    ORG_LABEL,
    ORG_RULES,
    ORG_RULES_PATH,
    owner_repository,
)

from bot.core.config import CONFIG_PATH

README = {"README.md": "# Patterns\n"}


def review(server: AppServer, site: AppSite, pull: Pull, action: str = "opened") -> dict[str, Any]:
    """Deliver ``action`` for ``pull`` and wait until it is reviewed; the completed run."""
    assert server.deliver(site.opened(pull, action)).status == 202
    [run] = wait_until_reviewed(
        [server], lambda: site.completed(pull.head), f"a completed run on {pull.head}"
    )
    return run


def owner_reads(github: SlowGitHub, owner: str) -> int:
    """How many times the owner's `.github` default branch was asked for."""
    return len(github.state.requests_to(rf"^/repos/{owner}/\.github/commits/HEAD$"))


def test_the_owners_settings_and_rules_rule_a_repository_without_its_own(
    server: AppServer, github: SlowGitHub
) -> None:
    site = AppSite(github.state, "orgone/patterns")
    site.grant(
        owner_repository(
            github.state, "orgone", {CONFIG_PATH: ORG_CONFIG, ORG_RULES_PATH: ORG_RULES}
        )
    )
    pull = site.open_pull(README, {BREAKER: GOLD_PAGE})
    github.state.clear_log()

    run = review(server, site, pull)

    [comment] = site.bot_comments(pull)
    assert "needs-owner" in comment and "gold-modern-examples" not in comment  # their rules
    assert site.labels(pull) == {"tier: gold", ORG_LABEL}
    footer = "rules and config from `orgone/.github` › `.github/tierbot.yml` ·"
    assert footer in comment and footer in run["output"]["summary"]
    assert run["conclusion"] == "failure" and owner_reads(github, "orgone") == 1

    github.state.clear_log()  # a rerun reads the owner's settings again, once, writes nothing
    review(server, site, pull, "reopened")
    assert owner_reads(github, "orgone") == 1
    assert github.state.landed_writes() == []


def test_extends_lays_the_repositorys_settings_over_the_owners(
    server: AppServer, github: SlowGitHub
) -> None:
    site = AppSite(github.state, "orgtwo/patterns")
    owner_settings = f"fail-on: never\nlabels:\n  needs-metadata: '{ORG_LABEL}'\n"
    site.grant(owner_repository(github.state, "orgtwo", {CONFIG_PATH: owner_settings}))
    own = "_extends: .github\nlabels:\n  gold: 'repo: gold'\n"
    pull = site.open_pull({CONFIG_PATH: own}, {BREAKER: BROKEN_PAGE})

    run = review(server, site, pull)

    [comment] = site.bot_comments(pull)
    assert "gold-modern-examples" in comment  # the bundled rules: neither file names others
    assert site.labels(pull) == {"repo: gold", ORG_LABEL}
    assert run["conclusion"] == "neutral"  # the owner's `fail-on: never`
    assert "from `main`, laid over `orgtwo/.github` › `.github/tierbot.yml` ·" in comment


def test_without_a_github_repository_the_defaults_rule_and_nothing_is_said(
    server: AppServer, github: SlowGitHub
) -> None:
    site = AppSite(github.state, "orgthree/patterns")
    # A `.github` the App is not installed on: GitHub answers 404, as if there were none.
    owner_repository(github.state, "orgthree", {CONFIG_PATH: "fail-on: never\n"})
    pull = site.open_pull(README, {BREAKER: BROKEN_PAGE})

    run = review(server, site, pull)

    [comment] = site.bot_comments(pull)
    assert site.labels(pull) == {"tier: gold", "needs: tier-metadata"}
    assert run["conclusion"] == "failure"
    assert "rules and config from `main` ·" in comment and ".github`" not in comment
    assert owner_reads(github, "orgthree") == 1


def test_owner_settings_github_refuses_stop_the_review_saying_what_to_do(
    server: AppServer, github: SlowGitHub
) -> None:
    site = AppSite(github.state, "orgfour/patterns")
    site.grant(owner_repository(github.state, "orgfour", {CONFIG_PATH: ORG_CONFIG}))
    github.state.refuse_reads(r"^/repos/orgfour/\.github/")
    pull = site.open_pull(README, {BREAKER: BROKEN_PAGE})

    run = review(server, site, pull)

    said = run["output"]["summary"]
    assert run["conclusion"] == "neutral" and "settings are invalid" in run["output"]["title"]
    assert "orgfour/.github:.github/tierbot.yml: GitHub refused to read it" in said
    assert "Install tierbot on orgfour/.github" in said
    assert site.bot_comments(pull) == [] and site.labels(pull) == set()
