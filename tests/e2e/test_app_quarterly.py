"""`tierbot quarterly --app`: every repository of every installation, read through the API.

Only the repositories whose config sets `quarterly: {enabled: true}` get an issue.
"""

from __future__ import annotations

import pytest
from support.app_site import BOT, LIB, SLUG
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.owner_settings import owner_repository
from support.pages import GOLD, SILVER, page

from bot.cli.main import main

ENABLED = "quarterly:\n  enabled: true\n"
LIBRARY = {
    f"{LIB}/resilience/circuit-breaker.md": page(GOLD, {"last_updated": "2025-05-01"}),
    f"{LIB}/scaling/sharding.md": page(SILVER, {"last_updated": "2020-01-01"}),
}
DAY = "2025-06-01"
CONFIG = ".github/tierbot.yml"


@pytest.fixture
def github(fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """Two installations: acme (two libraries, one enabled) and beta (one, enabled)."""
    state = fake_github.state
    app = state.add_app(SLUG)
    for name, config in [("acme/on", ENABLED), ("acme/off", None), ("beta/docs", ENABLED)]:
        state.add_repo(name)
        files = dict(LIBRARY) | ({".github/tierbot.yml": config} if config else {})
        state.add_commit(name, files, branch="main")
    app.add_installation("acme", ["acme/on", "acme/off"])
    app.add_installation("beta", ["beta/docs"])
    for variable in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "TIERBOT_PRIVATE_KEY_PATH"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("TIERBOT_APP_ID", str(app.id))
    monkeypatch.setenv("TIERBOT_PRIVATE_KEY", app.private_key_pem)
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", fake_github.graphql_url)
    return state


def issues(state: FakeGitHub, name: str) -> list:
    return list(state.repo(name).issues.values())


def test_each_enabled_library_gets_its_issue_and_the_others_a_dry_run(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bot.cli.quarterly")
    assert main(["quarterly", "--app", "--date", DAY]) == 0
    out = capsys.readouterr().out.splitlines()

    assert [line.split(":")[0] for line in out] == ["acme/on", "acme/off", "beta/docs"]
    for name in ("acme/on", "beta/docs"):
        [issue] = issues(github, name)
        assert issue.title == "Pattern review 2025-Q2" and issue.user == BOT
    assert issues(github, "acme/off") == []
    assert "dry run (`quarterly: {enabled: true}` is not set" in out[1]
    assert "created" in out[0] and "created" in out[2]
    assert any("acme/off: Dry run:" in r.message for r in caplog.records)
    assert any("acme/off: " in r.message and "CreateIssue" in r.message for r in caplog.records)


def test_dry_run_writes_nowhere(github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quarterly", "--app", "--dry-run", "--date", DAY]) == 0
    assert all("dry run (--dry-run)" in line for line in capsys.readouterr().out.splitlines())
    assert [r for r in github.writes() if "/app/installations/" not in r.path] == []


def test_a_failing_repository_does_not_stop_the_others(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    invalid = {".github/tierbot.yml": "quarterly: [not, a, mapping]\n"}
    github.add_commit(
        "acme/on", invalid, parent=github.repo("acme/on").branches["main"], branch="main"
    )
    assert main(["quarterly", "--app", "--date", DAY]) == 1
    out = capsys.readouterr().out
    assert "acme/on: failed: " in out and "beta/docs: Pattern review 2025-Q2: created" in out


def test_the_owners_settings_lie_under_a_repositorys_that_extends_them(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = owner_repository(github, "acme", {CONFIG: "quarterly:\n  labels: [org-review]\n"})
    assert github.app is not None
    [acme] = [i for i in github.app.installations.values() if i.account == "acme"]
    acme.repositories.append(owner)
    extends = {CONFIG: "_extends: .github\n" + ENABLED}
    github.add_commit(
        "acme/on", extends, parent=github.repo("acme/on").branches["main"], branch="main"
    )

    assert main(["quarterly", "--app", "--date", DAY]) == 0

    [issue] = issues(github, "acme/on")
    assert issue.labels == ["org-review"]  # the owner's labels, this repository's `enabled`
    assert "acme/.github: dry run" in capsys.readouterr().out  # `.github` itself: not enabled


def test_app_mode_takes_no_repository_and_needs_the_app(
    github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quarterly", "--app", "--github", "acme/on"]) == 2
    monkeypatch.delenv("TIERBOT_APP_ID")
    assert main(["quarterly", "--app"]) == 2
    assert "TIERBOT_APP_ID" in capsys.readouterr().err
