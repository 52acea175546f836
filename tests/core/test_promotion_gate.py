"""The promotion gate's decisions: what a promotion is, and whose approval stands where."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.config import PromotionsConfig
from bot.core.config_file import parse_config
from bot.core.review.gate import (
    Gate,
    Promotion,
    PullReview,
    decide,
    promotions_of,
    standing_approvals,
    touched,
)
from bot.core.review.gate_text import gate_description, gate_output, gate_report
from bot.core.rules.kinds import PageChange
from bot.errors import ConfigError

GATED = PromotionsConfig(approvers=("lead", "acme/maintainers"))
PROMOTED = (Promotion("p.md", "silver", "gold"),)
HEAD, OLD = "h" * 40, "o" * 40


@pytest.mark.parametrize(
    ("status", "base", "head", "merged", "promoted"),
    [
        ("modified", "silver", "gold", None, True),
        ("modified", "bronze", "gold", None, True),
        ("renamed", None, "gold", None, True),  # a tier that is none (or platinum) ranks lowest
        ("added", None, "gold", None, True),  # a new page counts from none
        ("modified", "gold", "gold", None, False),
        ("modified", "bronze", "silver", None, False),  # a raise, but not to a gated tier
        ("modified", "gold", "silver", None, False),
        ("modified", "silver", None, None, False),
        ("removed", "silver", None, None, False),
        ("modified", "silver", "gold", "q.md", False),  # made a redirect: a merge
    ],
)
def test_a_promotion_raises_a_page_to_a_gated_tier(
    status: str, base: str | None, head: str | None, merged: str | None, promoted: bool
) -> None:
    change = PageChange("p.md", status, None, base, head, merged)
    assert bool(promotions_of([change], GATED)) is promoted
    assert promotions_of([change], PromotionsConfig()) == ()  # no approvers: no gate


def test_gated_tiers_are_configured_and_checked() -> None:
    config = parse_config("promotions:\n  tiers: [gold, silver]\n  approvers: lead\n").promotions
    assert config == PromotionsConfig(("gold", "silver"), ("lead",)) and config.enabled
    change = PageChange("p.md", "modified", None, "bronze", "silver")
    assert promotions_of([change], config) == (Promotion("p.md", "bronze", "silver"),)
    assert parse_config("promotions: {}\n").promotions == PromotionsConfig()
    for wrong in ("tiers: [platinum]", "approvers: ['@lead']", "approvers: [a/b/c]", "who: x"):
        with pytest.raises(ConfigError, match="promotions"):
            parse_config(f"promotions:\n  {wrong}\n")


def review(n: int, user: str, state: str, commit: str = HEAD) -> PullReview:
    return PullReview(n, user, state, commit)


def gate_of(reviews: list[PullReview], members: tuple[str, ...] = (), untouched=()) -> str:
    return decide(
        PROMOTED,
        standing_approvals(reviews),
        GATED.approvers,
        members=members,
        head_sha=HEAD,
        untouched_since=untouched,
    ).state


def test_whose_approval_stands_where() -> None:
    assert gate_of([]) == "required"
    assert gate_of([review(1, "stranger", "APPROVED")]) == "required"
    assert gate_of([review(1, "LEAD", "APPROVED")]) == "approved"  # logins ignore case
    assert gate_of([review(1, "ana", "APPROVED")], members=("Ana",)) == "approved"
    assert gate_of([review(1, "lead", "APPROVED", OLD)]) == "required"
    assert gate_of([review(1, "lead", "APPROVED", OLD)], untouched=(OLD,)) == "approved"
    later = [review(1, "lead", "APPROVED"), review(2, "lead", "COMMENTED")]
    assert gate_of(later) == "approved"  # a comment decides nothing
    for state in ("CHANGES_REQUESTED", "DISMISSED"):
        assert gate_of([*later, review(3, "lead", state)]) == "required"
    # GitHub's order is by time; ids grow with it
    assert gate_of([review(3, "lead", "APPROVED"), review(2, "lead", "DISMISSED")]) == "approved"


def test_a_change_touches_a_promoted_page_by_its_path() -> None:
    assert touched(["p.md"], PROMOTED) and not touched(["q.md"], PROMOTED)


USERS = st.sampled_from(["lead", "Lead", "ana", "stranger"])
STATES = st.sampled_from(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"])
COMMITS = st.sampled_from([HEAD, OLD, "x" * 40])
REVIEWS = st.lists(st.tuples(USERS, STATES, COMMITS), max_size=12).map(
    lambda found: [review(n, user, state, commit) for n, (user, state, commit) in enumerate(found)]
)


@given(REVIEWS, STATES.filter(lambda s: s != "APPROVED"), COMMITS)
def test_the_latest_deciding_review_of_each_user_decides(
    reviews: list[PullReview], other: str, commit: str
) -> None:
    before = gate_of(reviews, members=("ana",), untouched=(OLD,))
    n = len(reviews)
    # Comments and pending reviews change nothing; approving at head lets it through;
    # anything else an approver does last takes their approval back.
    quiet = [*reviews, review(n, "lead", "COMMENTED"), review(n + 1, "ana", "PENDING")]
    assert gate_of(quiet, members=("ana",), untouched=(OLD,)) == before
    assert gate_of([*reviews, review(n, "ana", "APPROVED")], members=("ana",)) == "approved"
    taken = [*reviews, review(n, "lead", other, commit), review(n + 1, "ana", other, commit)]
    still = gate_of(taken, members=("ana",), untouched=(OLD,))
    assert still == "required" or other in ("COMMENTED", "PENDING")


@given(REVIEWS)
def test_nothing_promoted_is_nothing_gated(reviews: list[PullReview]) -> None:
    gate = decide(
        (),
        standing_approvals(reviews),
        GATED.approvers,
        members=(),
        head_sha=HEAD,
        untouched_since=(),
    )
    assert (gate.state, gate.approved_by) == ("none", ())


def test_the_gate_is_said_once_a_plain_title_over_its_summary() -> None:
    gate = Gate(PROMOTED, GATED.approvers)
    output = gate_output(gate, GATED.tiers)
    # Titles and statuses are plain text: code spans would show their backticks.
    assert output.title == gate_description(gate) == "Needs approval from lead or acme/maintainers"
    assert output.conclusion == "action_required"
    assert "lead" not in output.summary  # GitHub shows the title right above the summary
    assert "- `p.md`: 🥈 silver → 🏆 gold" in output.summary
    # A job summary has no title above it: the report heads the summary with it.
    assert gate_report(gate, GATED.tiers) == f"### 🔒 {output.title}\n\n{output.summary}"
    approved = gate_output(gate._replace(approved_by=("Lead",)), GATED.tiers)
    assert (approved.conclusion, approved.title) == ("success", "Promotion approved by Lead")
