"""A new pattern page from its tier's template: what the rules ask of the tier, to fill in."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from bot.core.documents import parse_document
from bot.core.rules.evaluate import evaluate
from bot.core.rules.policy import Policy
from bot.core.tiers import TIER_FIELD


class Placeholder(NamedTuple):
    """A field the page leaves for a person to fill in: where, and what the rules ask."""

    field: str
    line: int
    checklist: str


class NewPage(NamedTuple):
    text: str
    placeholders: tuple[Placeholder, ...]


def new_page(path: str, policy: Policy, tier: str, title: str, today: date) -> NewPage:
    """The page: its title, `type: pattern`, the tier, reviewed ``today``, the YAML skeleton
    of every field the tier's rules find missing (as the review comment shows them), and the
    tier's banner under the title. Its placeholders are those fields, and any other the
    skeletons leave wanting (a list needing more entries)."""
    front = f"title: {title}\ntype: pattern\n{TIER_FIELD}: {tier}\nlast_reviewed: {today}\n"
    banner = banner_of(policy, tier)
    body = f"# {title}\n\n{banner}\n" if banner else f"# {title}\n"
    first = evaluate(parse_document(path, _page(front, body).encode()), policy)
    skeletons = dict.fromkeys(finding.skeleton for finding in first if finding.skeleton)
    text = _page(front + "".join(f"{skeleton}\n" for skeleton in skeletons), body)
    document = parse_document(path, text.encode())
    wanted = [finding for finding in first if finding.skeleton]
    wanted += evaluate(document, policy)
    asks: dict[str, Placeholder] = {}
    for finding in wanted:
        name = finding.field or ""
        if name not in asks:
            asks[name] = Placeholder(name, document.key_lines.get(name, 1), finding.checklist)
    return NewPage(text, tuple(sorted(asks.values(), key=lambda ask: ask.line)))


def banner_of(policy: Policy, tier: str) -> str | None:
    """The banner the rules write for ``tier`` (`tier-banner` and its kin), if they have one."""
    banners = (rule.params.get("banners") or {} for rule in policy.rules)
    return next((found[tier] for found in banners if tier in found), None)


def _page(front: str, body: str) -> str:
    return f"---\n{front}---\n\n{body}"
