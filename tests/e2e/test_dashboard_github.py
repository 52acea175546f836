"""`tierbot dashboard --github` against the fake GitHub over real HTTP: the upstream figures
are GitHub's answers with their dates, within `health.max-requests`, and a project beyond the
cap is named as not looked up, never given figures."""

from __future__ import annotations

import json

import pytest
from support.fake_github import FakeGitHubServer
from support.git_repo import EXAMPLE_LIB, GitRepo, example_year
from support.pr_cli import REPO, pr_environment
from support.rendered import raw_html

from bot.cli.main import main

DAY = "2026-11-26"
GOLD = f"{EXAMPLE_LIB}/resilience/circuit-breaker.md"
OTHER = f"{EXAMPLE_LIB}/architecture/sidecar.md"
CONFIG = (
    "quarterly:\n  budget: 6\n  health:\n    max-requests: 2\n    repos:\n"
    f"      {GOLD}: [resilience4j/resilience4j, netflix/hystrix]\n"
    f"      {OTHER}: [envoyproxy/envoy]\n"
)


@pytest.fixture
def library(
    git_repo: GitRepo, fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch
) -> GitRepo:
    """The example year naming three upstream projects, all three on the fake GitHub."""
    example_year(git_repo)
    git_repo.commit({".github/tierbot.yml": CONFIG}, message="health", date="2026-11-01T12:00:00Z")
    state = pr_environment(fake_github, monkeypatch)
    state.add_repo("resilience4j/resilience4j", stars=9_876, pushed_at="2026-11-20T08:00:00Z")
    state.add_repo("netflix/hystrix", stars=24_123, pushed_at="2018-11-20T17:21:37Z", archived=True)
    state.add_repo("envoyproxy/envoy", stars=25_000, pushed_at="2026-11-25T00:00:00Z")
    state.clear_log()
    return git_repo


def dashboard(capsys: pytest.CaptureFixture[str], repo: GitRepo, *options: str) -> str:
    argv = ["dashboard", "--repo", str(repo.path), "--date", DAY, "--github", REPO, *options]
    assert main(argv) == 0
    return capsys.readouterr().out


def test_upstream_figures_are_github_s_answers_within_the_cap(
    library: GitRepo, fake_github: FakeGitHubServer, capsys: pytest.CaptureFixture[str]
) -> None:
    found = json.loads(dashboard(capsys, library, "--format", "json"))["health"]

    asked = [(r.method, r.path) for r in fake_github.state.log]
    assert asked == [  # the gold page's projects first, by name; nothing else asked
        ("GET", "/repos/netflix/hystrix"),
        ("GET", "/repos/resilience4j/resilience4j"),
    ]
    assert found["date"] == DAY and found["skipped"] == ["envoyproxy/envoy"]
    assert "max-requests" in found["reason"]
    by_name = {repo["name"]: repo for repo in found["repositories"]}
    assert by_name["netflix/hystrix"] == {
        "name": "netflix/hystrix",
        "pages": [GOLD],
        "looked_up": True,
        "found": True,
        "stars": 24_123,
        "pushed_at": "2018-11-20T17:21:37Z",
        "archived": True,
    }
    assert by_name["resilience4j/resilience4j"]["stars"] == 9_876
    assert by_name["resilience4j/resilience4j"]["pushed_at"] == "2026-11-20T08:00:00Z"
    assert by_name["envoyproxy/envoy"] == {
        "name": "envoyproxy/envoy",
        "pages": [OTHER],
        "looked_up": False,
        "found": False,
        "stars": None,
        "pushed_at": None,
        "archived": None,
    }


def test_the_page_dates_the_look_up_and_names_what_was_not_looked_up(
    library: GitRepo, fake_github: FakeGitHubServer, capsys: pytest.CaptureFixture[str]
) -> None:
    page = dashboard(capsys, library)

    assert len(fake_github.state.log) == 2
    assert f"Looked up on GitHub on {DAY}." in page
    rows = {line.split(" | ")[1]: line for line in page.splitlines() if "| `" in line}
    assert "| 24,123 | 2018-11-20 | 🗄️ yes |" in rows["`netflix/hystrix`"]
    assert "| 9,876 | 2026-11-20 | no |" in rows["`resilience4j/resilience4j`"]
    assert "| — | not looked up | — | — |" in rows["`envoyproxy/envoy`"]
    assert "25,000" not in page
    assert "1 repository not looked up (at most 2 requests a run" in page
    assert raw_html(page) == 0
