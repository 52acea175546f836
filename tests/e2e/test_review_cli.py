"""`tierbot review`: the JSON contract and the Markdown output, over real git repositories (the
real DStudio pull requests among them, replayed on the shared corpus)."""

from __future__ import annotations

import json
import re

import pytest
from support.git_repo import GitRepo, drop_key, example_library
from support.rendered import first_screen, seen
from support.replays import corpus_library, keys_renamed, links_fixed, tiers_removed

from bot.cli.main import main
from bot.core.markers import REVIEW as REVIEW_MARKER

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
EVENT_SOURCING = f"{LIB}/data-management/event-sourcing.md"

FILE_KEYS = {"path", "previous_path", "status", "tier_base", "tier_head", "findings"}
FINDING_KEYS = {"rule", "severity", "message", "line", "field", "checklist", "spelling", "state"}


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


# --- the real DStudio pull requests, replayed on the shared corpus (support/replays.py) --------

DSTUDIO = "https://github.com/deepaucksharma/DStudio"
FOLD = re.compile(r"<details>.*?</details>", re.S)


@pytest.fixture
def dstudio(corpus, git_repo: GitRepo) -> GitRepo:
    """The corpus on `main` of a clone of DStudio, branch `feature` checked out."""
    repo = corpus_library(git_repo)
    repo.git("remote", "add", "origin", f"{DSTUDIO}.git")
    return repo


def reviewed(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    """The review's JSON, and its comment's text outside the one ``<details>`` block."""
    _, out = review(repo, capsys, "--head", "feature", "--format", "json")
    data = json.loads(out)
    comment = data["comment"]
    assert comment.count("<details>") == comment.count("</details>") == 1
    return data, FOLD.sub("", comment)


def test_a_pr_removing_five_gold_tiers_says_what_to_do_in_6000_characters(
    dstudio: GitRepo, capsys
) -> None:
    replay = tiers_removed(dstudio)  # like 2a233545: 116 pages, 5 gold tiers dropped
    data, outside = reviewed(dstudio, capsys)
    assert len(data["files"]) == replay.pages > 100
    assert len(outside) <= 6000, len(outside)
    headline = data["comment"].splitlines()[1]
    assert headline.startswith(f"### ❌ tierbot: 5 new errors on 5 of {replay.pages} pages · ")
    assert headline.endswith(" · 5 tiers removed") and len(headline) <= 120
    head = dstudio.sha("feature")
    (lost,) = [line for line in outside.splitlines() if "🏆 gold → none: " in line]
    # Said once: the tier change carries what to do, and is not a new problem besides.
    assert lost.startswith("- [ ] ❌ 🏆 gold → none: ") and "**New problems**" not in outside
    assert lost.endswith("to the front matter.** `tier-missing`")
    for path in replay.untiered:  # each linked to the page at head
        assert f"[`{path.removeprefix(LIB + '/')}`]({DSTUDIO}/blob/{head}/{path})" in lost
        asked = outside.split("**Fixed**")[0]  # what the comment asks: each page once
        assert asked.count(f"`{path.removeprefix(LIB + '/')}`") == 1
    folded = FOLD.search(data["comment"])[0]
    assert "- [ ]" not in folded
    assert all(f"- `{path.removeprefix(LIB + '/')}` · " in folded for path in replay.linked)


def test_a_pr_fixing_links_on_109_pages_says_so_in_600_characters(dstudio: GitRepo, capsys) -> None:
    replay = links_fixed(dstudio)  # like 9c79ba87
    data, outside = reviewed(dstudio, capsys)
    assert len(data["files"]) == replay.pages == 109
    assert len(outside) <= 600, outside
    assert data["comment"].splitlines()[1] == "### ✅ tierbot: no new problems on 109 pages"
    assert f"reviewed at [`{dstudio.sha('feature')[:12]}`]({DSTUDIO}/tree/" in outside


def test_a_pr_hyphenating_keys_on_100_pages_fits_two_screens_and_says_one_command(
    dstudio: GitRepo, capsys, monkeypatch
) -> None:
    replay = keys_renamed(dstudio)  # like 2a622afc: 100 pages, keys spelt with hyphens
    data, outside = reviewed(dstudio, capsys)
    comment = data["comment"]
    assert len(data["files"]) == replay.pages == 100
    assert len(outside) <= 6000, len(outside)
    # Every kind of new problem is on the first screen, each instruction once, as a rename.
    new = [f for page in data["files"] for f in page["findings"] if f["state"] == "new"]
    screen = first_screen(comment)
    assert all(seen(f["rule"], screen) for f in new)
    items = [line for line in outside.splitlines() if line.startswith("- [ ] ")]
    assert len(items) == len({f["checklist"] for f in new})
    assert all(item.startswith(("- [ ] ❌ **Rename", "- [ ] ⚠️ **Rename")) for item in items)
    # One command, said once and first, that fixes them: and it does.
    assert comment.count("tierbot fix") == 1
    assert f"🛠️ **All {len(new)} new problems can be fixed with one command**: " in outside
    assert outside.index("`tierbot fix --since main`") < outside.index("**New problems**")
    # What is left out is counted exactly, and the command given prints it all again.
    named = sum(len(re.findall(r"\.md` line \d+", item)) for item in items)
    note = re.search(r"Shortened to fit: (\d+) new and (\d+) fixed findings are not", outside)
    fixed = [f for page in data["files"] for f in page["findings"] if f["state"] == "fixed"]
    assert note and int(note[1]) == len(new) - named
    fixed_named = outside.split("**Fixed**")[1].split("> [!NOTE]")[0].count(".md` line")
    assert int(note[2]) == len(fixed) - fixed_named
    command = re.search(r"`(tierbot review --base \w+ --head \w+ --full)`", outside)
    assert command
    args = command[1].split()[2:]
    assert main(["review", "--repo", str(dstudio.path), *args]) == 1
    full = capsys.readouterr().out
    assert len(re.findall(r"(?m)^  - \[`[\w/.-]+\.md` line \d+\]", full)) == len(new)
    assert "Shortened to fit" not in full and "- [ ] " not in full
    # The one command fixes every new problem.
    monkeypatch.chdir(dstudio.path)
    assert main(["fix", "--since", "main"]) in (0, 1)  # 1: errors older than the PR remain
    dstudio.commit(message="tierbot fix --since main")
    capsys.readouterr()
    after, _ = reviewed(dstudio, capsys)
    assert not [f for page in after["files"] for f in page["findings"] if f["state"] == "new"]
