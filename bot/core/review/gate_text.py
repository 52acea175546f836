"""The promotion gate in words: its check run's output, its commit status, the Action's lines."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.limits import STATUS_DESCRIPTION, clip
from bot.core.markdown import code
from bot.core.review.check_run import CheckOutput
from bot.core.review.gate import Gate, Promotion
from bot.core.review.sections import tier_label

NEEDS = "Needs approval from {who}"
APPROVED = "Promotion approved by {who}"
NO_PROMOTION = "No promotion"
#: What the comment's tier-change line of a gated promotion says after its pages.
COMMENT_PHRASE = " — needs approval from {who}"
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


def names(logins_or_teams: Iterable[str]) -> str:
    """``alice`` or ``org/maintainers``, each in a code span: shown, never @-mentioned."""
    shown = [code(name) for name in logins_or_teams]
    return ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else "".join(shown)


def gate_title(gate: Gate) -> str:
    if gate.state == "required":
        return NEEDS.format(who=names(gate.approvers))
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
        who=names(gate.approvers),
        tiers=" or ".join(tiers),
    )
    return CheckOutput(CONCLUSIONS[gate.state], title, summary)


def gate_description(gate: Gate) -> str:
    """The `tierbot/promotion` commit status's description (at most 140 characters)."""
    return clip(gate_title(gate), STATUS_DESCRIPTION)


def comment_phrase(approvers: Iterable[str]) -> str:
    """What the comment says after a gated promotion's pages: whose approval it waits for."""
    return COMMENT_PHRASE.format(who=names(approvers))
