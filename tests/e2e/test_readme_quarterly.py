"""The README's quarterly issue is what `tierbot quarterly --dry-run` prints for the bundled
example library, grown over a year in git, with a CODEOWNERS file and a small budget."""

from __future__ import annotations

import pytest
from support.git_repo import EXAMPLES, GitRepo
from support.readme import readme_section

from bot.cli.main import main

LIB = "docs/pattern-library"
CODEOWNERS = (
    "docs/ @acme/docs\n"
    "/docs/pattern-library/resilience/ @ana\n"
    "/docs/pattern-library/data-management/ @bo\n"
)


def example_year(repo: GitRepo) -> None:
    """The example library, a third of its pages added each of three quarters; then, after
    the tag `2026-Q3`, owners, a budget of six pages, and a page moved to another folder."""
    repo.git("remote", "add", "origin", "https://github.com/acme/patterns.git")
    written = sorted(repo.copy_tree(EXAMPLES))
    for index, day in enumerate(("2026-02-10", "2026-05-12", "2026-08-11")):
        repo.git("add", "--", *written[index::3])
        repo.git("commit", "--quiet", "-m", f"pages {index}", date=f"{day}T12:00:00Z")
    repo.git("tag", "2026-Q3")
    repo.move(f"{LIB}/resilience/health-check.md", f"{LIB}/communication/health-check.md")
    settings = {
        ".github/CODEOWNERS": CODEOWNERS,
        ".github/tierbot.yml": "quarterly:\n  budget: 6\n",
    }
    repo.commit(settings, message="owners, a budget", date="2026-10-01T12:00:00Z")


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
