"""`tierbot dashboard` on a checkout: its counts are `tierbot check`'s, its page has no raw
HTML, its JSON the shape a site's JavaScript reads, and `--output` writes only a change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.git_repo import GitRepo, example_year
from support.rendered import html, raw_html, section
from support.replays import corpus_library

from bot.cli.main import main
from bot.core.quarterly.facts import parse_quarter, quarter_end
from bot.core.quarterly.summary import ACTIVE

DAY = "2026-11-26"


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)


def dashboard(capsys: pytest.CaptureFixture[str], repo: Path, *options: str) -> str:
    assert main(["dashboard", "--repo", str(repo), "--date", DAY, *options]) == 0
    return capsys.readouterr().out


def test_the_per_tier_counts_are_tierbot_checks_on_the_corpus(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = corpus_library(GitRepo(tmp_path / "repo"))
    found = json.loads(dashboard(capsys, repo.path, "--format", "json"))
    main(["check", "--format", "json", str(repo.path / "docs")])
    checked = json.loads(capsys.readouterr().out)["summary"]["tiers"]
    assert {tier: found["tiers"][tier]["pages"] for tier in checked} == checked
    assert sum(checked.values()) > 100 and found["archived"] == 0
    page = dashboard(capsys, repo.path)
    for tier, count in checked.items():
        assert any(row.split(" | ")[1] == str(count) for row in _rows(page, tier))


def test_a_directory_that_is_no_checkout_is_counted_without_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "library"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples", library)
    found = json.loads(dashboard(capsys, library, "--format", "json"))
    main(["check", "--format", "json", str(library / "docs")])
    checked = json.loads(capsys.readouterr().out)["summary"]["tiers"]
    assert {tier: found["tiers"][tier]["pages"] for tier in checked} == checked
    assert found["sha"] is None and found["quarters"] == []  # no git, no quarters to compare
    assert "nothing to compare with yet" in dashboard(capsys, library)


def _rows(page: str, tier: str) -> list[str]:
    name = "no valid tier" if tier == "none" else tier
    return [line for line in page.splitlines() if line.startswith("| ") and f" {name} |" in line]


def test_the_page_renders_on_github_without_raw_html_and_draws_the_chart(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    example_year(git_repo)
    page = dashboard(capsys, git_repo.path)
    assert raw_html(page) == 0
    rendered = html(page)
    assert '<pre lang="mermaid">' in rendered and rendered.count("<table>") == 2
    assert "<h1>Pattern health dashboard</h1>" in rendered


def test_the_corpus_page_has_no_raw_html_and_lists_its_overdue_pages(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = corpus_library(GitRepo(tmp_path / "repo"))
    page = dashboard(capsys, repo.path)
    found = json.loads(dashboard(capsys, repo.path, "--format", "json"))
    assert raw_html(page) == 0
    assert found["overdue"] and all(f"`{o['page']}`" in page for o in found["overdue"])


def test_the_json_names_each_figure_s_commit_and_day(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    example_year(git_repo)
    found = json.loads(dashboard(capsys, git_repo.path, "--format", "json"))
    assert found["version"] == 1 and found["date"] == DAY and found["quarter"] == "2026-Q4"
    assert found["sha"] == git_repo.sha()
    assert set(found["tiers"]) == {"gold", "silver", "bronze", "none"}
    assert found["tiers"]["gold"] == {"pages": 5, "passing": 4, "reviewed": 0, "overdue": 0}
    quarters = found["quarters"]
    assert [q["quarter"] for q in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert quarters[2]["sha"] == git_repo.sha("2026-Q3") and quarters[2]["as_of"] == "2026-09-30"
    assert quarters[0]["changes"] is None and quarters[-1]["as_of"] is None
    assert quarters[-1]["changes"]["renamed"] == 1 and quarters[1]["changes"]["added"] == 6
    assert found["health"] == {"date": None, "repositories": [], "skipped": [], "reason": ""}


def test_the_page_names_the_day_and_the_commit_of_every_figure(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    example_year(git_repo)
    page = dashboard(capsys, git_repo.path)
    found = json.loads(dashboard(capsys, git_repo.path, "--format", "json"))
    assert f"on {DAY} from the library at {_linked(git_repo.sha())}" in page
    history = section(page, "## Tier changes over the last four quarters")
    rows = [line.split(" | ") for line in history.splitlines() if line.startswith("| 2026-")]
    quarters = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    ended = [quarter_end(parse_quarter(q)).isoformat() for q in quarters[:-1]]
    in_git = [git_repo.git("rev-list", "-1", f"--before={end}", "HEAD") for end in ended]
    assert [row[1] for row in rows] == [_linked(sha) for sha in [*in_git, git_repo.sha()]]
    assert f"x-axis {json.dumps(quarters)}" in history
    drawn = [line.strip() for line in history.splitlines() if line.strip().startswith("line [")]
    counted = [[q["tiers"][tier] for q in found["quarters"]] for tier in ACTIVE]
    assert drawn == [f"line [{', '.join(map(str, counts))}]" for counts in counted]
    assert [[int(row[2 + i]) for row in rows] for i in range(len(ACTIVE))] == counted


def _linked(sha: str) -> str:
    return f"[`{sha[:12]}`](https://github.com/acme/patterns/tree/{sha})"


def test_upstream_projects_are_named_offline_and_not_looked_up(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    example_year(git_repo)
    page = "docs/pattern-library/resilience/circuit-breaker.md"
    config = f"quarterly:\n  health:\n    repos:\n      {page}: [resilience4j/resilience4j]\n"
    git_repo.commit(
        {".github/tierbot.yml": config},
        message="health",
        date="2026-11-01T12:00:00Z",
    )
    found = json.loads(dashboard(capsys, git_repo.path, "--format", "json"))["health"]
    assert found["date"] is None and found["skipped"] == ["resilience4j/resilience4j"]
    assert found["repositories"][0] == {
        "name": "resilience4j/resilience4j",
        "pages": [page],
        "looked_up": False,
        "found": False,
        "stars": None,
        "pushed_at": None,
        "archived": None,
    }
    text = dashboard(capsys, git_repo.path)
    assert "Not looked up: this dashboard was counted offline" in text and raw_html(text) == 0


def test_output_is_written_once_then_left_alone(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example_year(git_repo)
    target = tmp_path / "site" / "docs" / "reference" / "pattern-health-dashboard.md"
    assert dashboard(capsys, git_repo.path, "--output", str(target)) == f"{target}: written\n"
    written = target.stat().st_mtime_ns, target.read_text(encoding="utf-8")
    assert dashboard(capsys, git_repo.path, "--output", str(target)) == f"{target}: up to date\n"
    assert (target.stat().st_mtime_ns, target.read_text(encoding="utf-8")) == written
    assert written[1] == dashboard(capsys, git_repo.path)


def test_the_quarterly_issue_carries_the_page_quarterly_dashboard_names(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    example_year(git_repo)
    dashboard_path = "docs/reference/pattern-health-dashboard.md"
    config = f"quarterly:\n  budget: 6\n  dashboard: {dashboard_path}\n"
    git_repo.commit(
        {".github/tierbot.yml": config}, message="a dashboard", date="2026-11-01T12:00:00Z"
    )
    git_repo.git("remote", "remove", "origin")  # neither links pages: both are offline
    page = dashboard(capsys, git_repo.path)
    argv = ["quarterly", "--repo", str(git_repo.path), "--date", DAY, "--dry-run"]
    assert main(argv) == 0
    issue = capsys.readouterr().out
    assert f"<details><summary>`{dashboard_path}`</summary>\n\n````markdown\n{page}````" in issue
    git_repo.commit({".github/tierbot.yml": "quarterly:\n  budget: 6\n"}, message="none")
    assert main(argv) == 0
    assert "Health dashboard" not in capsys.readouterr().out
