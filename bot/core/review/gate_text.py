"""The promotion gate in words: its check run's output, its commit status, the Action's lines."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.limits import STATUS_DESCRIPTION, clip
from bot.core.markdown import code, code_list
from bot.core.review.check_run import CheckOutput
from bot.core.review.gate import Gate, Promotion
from bot.core.review.sections import tier_label

NEEDS = "Needs approval from {who}"
APPROVED = "Promotion approved by {who}"
NO_PROMOTION = "No promotion"
PROMOTED = "- {page}: {change}"
#: The gate's state as a check run's conclusion and as a commit status's state.
CONCLUSIONS = {"required": "action_required", "approved": "success", "none": "success"}
STATUS_STATES = {"required": "pending", "approved": "success", "none": "success"}
SUMMARY = {
    "required": (
        "### 🔒 {title}\n\nThis pull request promotes {pages}:\n\n{list}\n\n"
        "An approving review from {who} lets it through; a push that changes a promoted page "
        "asks for approval again."
    ),
    "approved": "### ✅ {title}\n\nThe promotion of {pages} is approved:\n\n{list}",
    "none": "### {title}\n\nThis pull request promotes no page to {tiers}.",
}


def gate_title(gate: Gate) -> str:
    if gate.state == "required":
        return NEEDS.format(who=code_list(gate.approvers))
    if gate.state == "approved":
        return APPROVED.format(who=", ".join(code(login) for login in gate.approved_by))
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
    title = gate_title(gate)
    count = len(gate.promotions)
    summary = SUMMARY[gate.state].format(
        title=title,
        pages="a page" if count == 1 else f"{count} pages",
        list=promoted_list(gate.promotions),
        who=code_list(gate.approvers),
        tiers=" or ".join(tiers),
    )
    return CheckOutput(CONCLUSIONS[gate.state], title, summary)


def gate_description(gate: Gate) -> str:
    """The `tierbot/promotion` commit status's description (at most 140 characters)."""
    return clip(gate_title(gate), STATUS_DESCRIPTION)
