"""The promotion gate: which pages a pull request promotes, and whose approval lets them through.

A promotion is a page whose tier at head ranks above its tier at base (a new page counts from
none) and is one of the gated tiers. An approval stands when the reviewer's latest deciding
review (approved, changes requested, dismissed) approves, the reviewer is an approver, and it
was given at head or at a commit since which no promoted page changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bot.core.config import PromotionsConfig
from bot.core.rules.kinds import PageChange
from bot.core.tiers import promotes

#: The review states that decide a reviewer's stance; a comment leaves it as it was.
DECIDING = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


class PullReview(NamedTuple):
    """A review of a pull request as GitHub lists it (the core judges it, so defines it)."""

    id: int
    user: str
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING
    commit_id: str  # the head it was given at


class Promotion(NamedTuple):
    path: str
    tier_base: str | None
    tier_head: str


class Gate(NamedTuple):
    """The gate's state at one head: what is promoted, who may approve, whose approval stands."""

    promotions: tuple[Promotion, ...]
    approvers: tuple[str, ...]
    approved_by: tuple[str, ...] = ()

    @property
    def state(self) -> str:
        """none (nothing promoted) | approved | required."""
        if not self.promotions:
            return "none"
        return "approved" if self.approved_by else "required"


def promotions_of(changes: Iterable[PageChange], config: PromotionsConfig) -> tuple[Promotion, ...]:
    """The pages ``changes`` promote to a gated tier, by path; none when the gate is off."""
    if not config.enabled:
        return ()
    found = [
        Promotion(change.path, change.tier_base, change.tier_head)
        for change in changes
        if change.status != "removed"
        and change.merged_into is None
        and change.tier_head in config.tiers
        and promotes(change.tier_base, change.tier_head)
    ]
    return tuple(sorted(found))


def standing_approvals(reviews: Iterable[PullReview]) -> tuple[PullReview, ...]:
    """Each reviewer's latest deciding review, where it approves; by reviewer."""
    latest: dict[str, PullReview] = {}
    for review in sorted(reviews, key=lambda review: review.id):  # GitHub's ids grow
        if review.state in DECIDING:
            latest[review.user.lower()] = review
    return tuple(review for _, review in sorted(latest.items()) if review.state == "APPROVED")


def approver_logins(approvers: Iterable[str]) -> frozenset[str]:
    """The approvers named by login, lower-cased (GitHub's logins ignore case)."""
    return frozenset(name.lower() for name in approvers if "/" not in name)


def approver_teams(approvers: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The approvers named as teams: (organisation, team slug)."""
    return tuple(
        (org, slug) for org, _, slug in (name.partition("/") for name in approvers if "/" in name)
    )


def touched(changed_paths: Iterable[str], promotions: Sequence[Promotion]) -> bool:
    """Whether a change listing ``changed_paths`` touches a promoted page."""
    return not {promotion.path for promotion in promotions}.isdisjoint(changed_paths)


def decide(
    promotions: tuple[Promotion, ...],
    approvals: Iterable[PullReview],
    approvers: tuple[str, ...],
    *,
    members: Iterable[str],
    head_sha: str,
    untouched_since: Iterable[str],
) -> Gate:
    """The gate: ``approvals`` standing (``standing_approvals``) that count. ``members``: the
    reviewers found active in an approving team; ``untouched_since``: the commits since which
    no promoted page changed (head counts without being named)."""
    allowed = approver_logins(approvers) | {login.lower() for login in members}
    current = {head_sha, *untouched_since}
    approved_by = tuple(
        review.user
        for review in approvals
        if review.user.lower() in allowed and review.commit_id in current
    )
    return Gate(promotions, approvers, approved_by if promotions else ())
