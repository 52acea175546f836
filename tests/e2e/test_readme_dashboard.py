"""The README's dashboard is what `tierbot dashboard` prints for the example library grown
over a year in git (the Quarterly review section's example)."""

from __future__ import annotations

import pytest
from support.git_repo import GitRepo, example_year
from support.readme import readme_section

from bot.cli.main import main


def test_the_dashboard_shown_is_what_tierbot_writes(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    example_year(git_repo)
    assert main(["dashboard", "--repo", str(git_repo.path), "--date", "2026-11-26"]) == 0
    block = f"````markdown\n{capsys.readouterr().out}````\n"
    assert block in readme_section("Health dashboard"), f"the README should show:\n{block}"
