"""The promotion gate in words: its check run's output, its commit status, the Action's lines."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.limits import STATUS_DESCRIPTION, clip
from bot.core.markdown import code, or_list
from bot.core.review.check_run import CheckOutput
from bot.core.review.gate import Gate, Promotion
from bot.core.review.tier_lines import tier_label

#: Titles are plain text (a check run's title, a status's description, an Action's line):
#: logins and teams are named bare, which pings nobody without an `@`.
NEEDS = "Needs approval from {who}"
APPROVED = "Promotion approved by {who}"
NO_PROMOTION = "No promotion"
PROMOTED = "- {page}: {change}"
#: The gate's state as a check run's conclusion and as a commit status's state.
CONCLUSIONS = {"required": "action_required", "approved": "success", "none": "success"}
STATUS_STATES = {"required": "pending", "approved": "success", "none": "success"}
#: The summary under the title (the check run shows the title above it).
SUMMARY = {
    "required": (
        "This pull request promotes {pages}:\n\n{list}\n\n"
        "An approving review from one of the approvers lets it through; a push that changes a "
        "promoted page asks for approval again."
    ),
    "approved": "The promotion of {pages} is approved:\n\n{list}",
    "none": "This pull request promotes no page to {tiers}.",
}
#: The job summary's heading for the gate, where no title is shown above it.
HEADING = {"required": "### 🔒 {title}", "approved": "### ✅ {title}", "none": "### {title}"}


def gate_title(gate: Gate) -> str:
    if gate.state == "required":
        return NEEDS.format(who=or_list(gate.approvers))
    if gate.state == "approved":
        return APPROVED.format(who=", ".join(gate.approved_by))
    return NO_PROMOTION


def promoted_list(promotions: Iterable[Promotion]) -> str:
    return "\n".join(
        PROMOTED.format(
            page=code(p.path), change=f"{tier_label(p.tier_base)} → {tier_label(p.tier_head)}"
        )
        for p in promotions
    )


def gate_output(gate: Gate, tiers: Iterable[str]) -> CheckOutput:
    """The `tierbot / promotion` check run's conclusion, title and summary."""
    count = len(gate.promotions)
    summary = SUMMARY[gate.state].format(
        pages="a page" if count == 1 else f"{count} pages",
        list=promoted_list(gate.promotions),
        tiers=" or ".join(tiers),
    )
    return CheckOutput(CONCLUSIONS[gate.state], gate_title(gate), summary)


def gate_report(gate: Gate, tiers: Iterable[str]) -> str:
    """The gate in a job summary: its title as a heading, then its summary."""
    output = gate_output(gate, tiers)
    return HEADING[gate.state].format(title=output.title) + "\n\n" + output.summary


def gate_description(gate: Gate) -> str:
    """The `tierbot/promotion` commit status's description (at most 140 characters)."""
    return clip(gate_title(gate), STATUS_DESCRIPTION)
