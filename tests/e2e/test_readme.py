"""The README shows what the repository really holds and runs."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from support.git_repo import GitRepo, drop_key, example_library, set_key
from support.pages import stub
from support.readme import ROOT, readme_section

from bot.cli.main import main

EXAMPLES = sorted((ROOT / "examples" / "workflows").glob("*.yml"))
LIB = "docs/pattern-library"


def test_the_workflow_examples_are_the_one_init_writes_and_its_forks_variant() -> None:
    names = [path.name for path in EXAMPLES]
    assert names == ["tierbot-forks.yml", "tierbot.yml"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_workflow_example_is_in_the_readme_verbatim(example: Path) -> None:
    assert f"```yaml\n{example.read_text(encoding='utf-8')}```\n" in readme_section("GitHub Action")


def test_every_action_input_and_output_is_documented() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    text = readme_section("GitHub Action")
    for name in [*action["inputs"], *action["outputs"]]:
        assert f"\n| `{name}` |" in text, name


def test_quick_start_commands_are_the_ones_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", readme_section("Quick start"), re.S)
    assert len(blocks) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    *setup, test = [command.strip() for command in blocks[1].split("&&")]

    def ci_runs(command: str) -> bool:
        return re.search(rf"^\s*{re.escape(command)}( |$)", ci, re.M) is not None

    assert test == "python -m pytest" and ci_runs(test)  # the very command CI runs
    # CI installs the `dev` extra, which holds the `test` extra the README installs.
    assert "pip install -e '.[test]'" in setup
    assert ci_runs("python -m pip install --quiet -e '.[dev]'")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "tierbot[test]" in pyproject["project"]["optional-dependencies"]["dev"]
    # The first block installs tierbot and checks the bundled examples.
    assert blocks[0].strip().endswith("pip install . && tierbot check examples")


def example_pull_request(repo: GitRepo) -> None:
    """The README's example: a branch of the bundled library with something in every section.

    It breaks a gold page, promotes a silver page and gives an untiered one its first tier
    (both then lack what gold needs: one problem on three pages), fixes a page, moves one to
    archive/ (its problem is older than the branch) and edits the prose of a clean one.
    """
    repo.git("remote", "add", "origin", "https://github.com/acme/patterns.git")
    breaker = f"{LIB}/resilience/circuit-breaker.md"
    promoted = f"{LIB}/data-management/event-sourcing.md"
    first = f"{LIB}/scaling/auto-scaling.md"
    fixed = f"{LIB}/scaling/load-balancing.md"
    clean = f"{LIB}/coordination/two-phase-commit.md"
    examples = "\n  - company: A\n    implementation: B\n    scale: C" * 2
    repo.move(f"{LIB}/data-management/cqrs.md", f"{LIB}/archive/cqrs.md")
    repo.commit(
        {
            breaker: drop_key(repo.read(breaker), "modern_examples"),
            promoted: set_key(repo.read(promoted), "excellence_tier", "gold"),
            first: repo.read(first).replace("---\n", "---\nexcellence_tier: gold\n", 1),
            fixed: repo.read(fixed).replace("modern_examples:", "modern_examples:" + examples),
            clean: repo.read(clean) + "\nMore prose.\n",
        },
        message="the example pull request",
    )


def test_the_review_comment_shown_is_what_tierbot_posts(git_repo: GitRepo, capsys) -> None:
    repo = example_library(git_repo)
    example_pull_request(repo)
    assert main(["review", "--repo", str(repo.path), "--base", "main"]) == 1
    comment = capsys.readouterr().out.split("\nLabels to add:")[0]
    block = f"```markdown\n{comment}```\n"
    section = readme_section("Pull request review")
    assert block in section, f"the README should show:\n{block}"
    # And nothing after it but prose: an example rewritten by hand (or cut at a fence inside
    # the comment) leaves no stale lines of an older comment behind.
    after = section[section.index(block) + len(block) :].lstrip("\n")
    assert not after.startswith(("- [", "<!-- tierbot", "**", "<details>")), after[:200]


def test_the_fix_since_example_is_what_it_prints_on_the_example_branch(
    git_repo: GitRepo, capsys, monkeypatch
) -> None:
    shown = re.search(
        r"```console\n\$ tierbot fix --since main --check\n(.*?)```",
        readme_section("Using tierbot check"),
        re.S,
    )
    assert shown, "the README shows `tierbot fix --since main --check`"
    repo = example_library(git_repo)
    example_pull_request(repo)
    monkeypatch.chdir(repo.path)
    assert main(["fix", "--since", "main", "--check"]) == 1
    assert capsys.readouterr().out == shown.group(1)


def test_the_stub_notice_shown_is_what_tierbot_says(git_repo: GitRepo, capsys) -> None:
    repo = example_library(git_repo)
    breaker = f"{LIB}/resilience/circuit-breaker.md"
    repo.commit({breaker: stub("/circuit-breaker-transformed/")}, message="a stub, as DStudio's")
    assert main(["review", "--repo", str(repo.path), "--base", "main", "--format", "json"]) == 0
    [page] = json.loads(capsys.readouterr().out)["files"]
    [notice] = page["findings"]
    block = f"```text\n{notice['message']}\n```\n"
    assert block in readme_section("Pull request review"), f"the README should show:\n{block}"
