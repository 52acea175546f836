"""What `tierbot init` writes into a repository: each file's path and text (pure).

The workflow and the config are tierbot's examples as shipped (the README shows the same
files); the pull request template's checklist comes from the rules in force.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.core.config import CONFIG_PATH
from bot.core.markers import TEMPLATE_END, TEMPLATE_START
from bot.core.rules.policy import Policy
from bot.core.tiers import TIER_EMOJI, TIERS

WORKFLOW_EXAMPLE = "workflows/tierbot.yml"
WORKFLOW = ".github/workflows/tierbot.yml"  # the path the example's header names
CONFIG_EXAMPLE = "tierbot.yml"
PR_TEMPLATE = ".github/pull_request_template.md"
PRE_COMMIT = ".pre-commit-config.yaml"
#: Where tierbot is published: the action's `uses:` and the pre-commit hook's `repo:`.
REPOSITORY = "https://github.com/tierbot/tierbot"


class SetupFile(NamedTuple):
    path: str
    text: str
    merged: bool = False  # a marked block merged into the file, which may hold more


def setup_files(examples: dict[str, str], policy: Policy, version: str) -> list[SetupFile]:
    """Every file `tierbot init` writes, from the shipped ``examples`` (name -> text)."""
    files = [SetupFile(CONFIG_PATH, examples[CONFIG_EXAMPLE])]
    files.append(SetupFile(WORKFLOW, examples[WORKFLOW_EXAMPLE]))
    files.append(SetupFile(PR_TEMPLATE, template_block(policy), merged=True))
    files.append(SetupFile(PRE_COMMIT, pre_commit_config(version)))
    return files


def template_block(policy: Policy) -> str:
    """The pull request template's tier checklist: one line per tier, naming what its rules
    ask (their descriptions), between tierbot's markers."""
    lines = [
        TEMPLATE_START,
        "### Excellence tiers",
        "",
        "Every pattern page this pull request adds or changes declares its `excellence_tier`"
        " (run `tierbot check` before pushing):",
        "",
    ]
    for tier in TIERS:
        asks = [rule.description or rule.id for rule in policy.rules if rule.tiers == (tier,)]
        if asks:
            lines.append(f"- [ ] {TIER_EMOJI[tier]} **{tier}**: " + " ".join(asks))
    lines.append(TEMPLATE_END)
    return "\n".join(lines) + "\n"


def merge_block(existing: str | None, block: str) -> str:
    """``existing`` with tierbot's marked block in it: replaced where it is, else appended."""
    if not existing:
        return block
    start, end = existing.find(TEMPLATE_START), existing.find(TEMPLATE_END)
    if start != -1 and end > start:
        return existing[:start] + block + existing[end + len(TEMPLATE_END) :].lstrip("\n")
    return existing.rstrip("\n") + "\n\n" + block


def pre_commit_config(version: str) -> str:
    """A pre-commit config running tierbot's hook (README, "pre-commit")."""
    return (
        "# .pre-commit-config.yaml: tierbot checks the staged pattern pages before each commit\n"
        "repos:\n"
        f"  - repo: {REPOSITORY}\n"
        f"    rev: v{version}\n"
        "    hooks:\n"
        "      - id: tierbot # or tierbot-fix: apply the safe fixes, then check\n"
    )
