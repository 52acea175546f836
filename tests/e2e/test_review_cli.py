"""`tierbot review`: the JSON contract and the Markdown output, over a real git repository."""

from __future__ import annotations

import json

import pytest
from support.git_repo import GitRepo, drop_key, example_library

from bot.cli.main import main
from bot.core.markers import REVIEW as REVIEW_MARKER

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
EVENT_SOURCING = f"{LIB}/data-management/event-sourcing.md"

FILE_KEYS = {"path", "previous_path", "status", "tier_base", "tier_head", "findings"}
FINDING_KEYS = {"rule", "severity", "message", "line", "field", "checklist", "state"}


@pytest.fixture
def change(git_repo: GitRepo) -> GitRepo:
    """A branch breaking a gold page, archiving a silver one, and touching non-pattern files."""
    repo = example_library(git_repo)
    repo.move(EVENT_SOURCING, f"{LIB}/archive/event-sourcing.md")
    repo.commit(
        {
            BREAKER: drop_key(repo.read(BREAKER), "modern_examples"),
            f"{LIB}/index.md": "# Index\n",
            f"{LIB}/pattern-template.md": "no front matter\n",
            "README.md": "# Read me\n",
            "docs/about.md": "no front matter\n",
        }
    )
    return repo


def review(repo: GitRepo, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["review", "--repo", str(repo.path), "--base", "main", *args])
    return code, capsys.readouterr().out


def test_json_output_matches_the_contract(change: GitRepo, capsys) -> None:
    code, out = review(change, capsys, "--head", "feature", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"version", "conclusion", "summary", "files", "labels", "comment"}
    assert (data["version"], data["conclusion"]) == (1, "failure")
    assert isinstance(data["summary"], str) and isinstance(data["comment"], str)
    assert data["labels"] == {
        "add": ["needs: tier-metadata", "tier: gold", "tier: silver"],
        "remove": [],
    }
    # Only pattern pages: no index, template, README or page outside the library.
    assert [(f["path"], f["previous_path"], f["status"]) for f in data["files"]] == [
        (f"{LIB}/archive/event-sourcing.md", EVENT_SOURCING, "renamed"),
        (BREAKER, None, "modified"),
    ]
    archived, broken = data["files"]
    assert set(archived) == set(broken) == FILE_KEYS
    assert (archived["tier_base"], archived["tier_head"], archived["findings"]) == (
        "silver",
        "silver",
        [],
    )
    assert (broken["tier_base"], broken["tier_head"]) == ("gold", "gold")
    (finding,) = broken["findings"]
    assert set(finding) == FINDING_KEYS
    assert finding["rule"] == "gold-modern-examples"
    assert (finding["severity"], finding["state"], finding["field"]) == (
        "error",
        "new",
        "modern_examples",
    )
    assert isinstance(finding["line"], int) and finding["message"] and finding["checklist"]
    assert data["comment"].startswith(REVIEW_MARKER)


def test_markdown_output_is_the_comment_labels_and_conclusion(change: GitRepo, capsys) -> None:
    _, as_json = review(change, capsys, "--head", "feature", "--format", "json")
    code, out = review(change, capsys, "--head", "feature")
    comment = json.loads(as_json)["comment"]
    assert code == 1
    assert out.startswith(comment)
    assert out[len(comment) :].splitlines()[1:] == [
        "Labels to add: needs: tier-metadata, tier: gold, tier: silver",
        "Labels to remove: none",
        f"Conclusion: failure ({json.loads(as_json)['summary']})",
    ]
    assert "printed by `tierbot review --base main`" not in comment  # nothing was left out
    assert f"reviewed at `{change.sha('feature')[:12]}`" in comment


def test_a_clean_change_exits_0_and_head_defaults_to_HEAD(git_repo: GitRepo, capsys) -> None:
    repo = example_library(git_repo)
    repo.commit({f"{LIB}/resilience/breaker-2.md": repo.read(BREAKER)})
    code, out = review(repo, capsys, "--format", "json")
    assert (code, json.loads(out)["conclusion"]) == (0, "success")


def test_no_pattern_page_is_neutral(git_repo: GitRepo, capsys) -> None:
    repo = example_library(git_repo)
    repo.commit({"README.md": "# Read me\n"})
    code, out = review(repo, capsys, "--format", "json")
    data = json.loads(out)
    assert (code, data["conclusion"], data["files"]) == (0, "neutral", [])


def test_an_unknown_base_is_a_usage_error(git_repo: GitRepo, capsys) -> None:
    example_library(git_repo)
    code = main(["review", "--repo", str(git_repo.path), "--base", "no-such-branch"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.startswith("tierbot: error: git rev-parse")
    assert "Traceback" not in captured.err
