"""The README's quarterly issue is what `tierbot quarterly --dry-run` prints for the bundled
example library, grown over a year in git, with a CODEOWNERS file and a small budget."""

from __future__ import annotations

import pytest
from support.git_repo import GitRepo, example_year
from support.readme import readme_section

from bot.cli.main import main


def test_the_quarterly_issue_shown_is_what_tierbot_publishes(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    example_year(git_repo)
    argv = ["quarterly", "--repo", str(git_repo.path), "--since", "2026-Q3"]
    assert main([*argv, "--date", "2026-11-26", "--dry-run"]) == 0
    out = capsys.readouterr().out
    body = out[out.index("<!-- tierbot:quarterly ") : out.index("\nDry run: ")]
    block = f"````markdown\n{body}````\n"
    assert block in readme_section("Quarterly review"), f"the README should show:\n{block}"
