"""The excellence tiers: their names, emoji, the front-matter field, and banners naming them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

TIERS = ("gold", "silver", "bronze")
TIER_FIELD = "excellence_tier"
#: The dates the quarterly review reads a page's last review from, in order.
REVIEW_FIELDS = ("last_reviewed", "last_updated")
#: The fields tierbot reads whatever the rules say (`key-spelling` knows them too).
OWN_FIELDS = (TIER_FIELD, *REVIEW_FIELDS)
TIER_EMOJI: Mapping[str, str] = {"gold": "🏆", "silver": "🥈", "bronze": "🥉"}

_BANNER = re.compile(r'^!!! [a-z]+ "([^"\n]*)"', re.MULTILINE)
_TIER_WORD = re.compile(r"\b(gold|silver|bronze)\b", re.IGNORECASE)


def tier_of(meta: Mapping[str, Any] | None) -> str | None:
    """The page's tier when it is one of the valid tiers, else None."""
    value = (meta or {}).get(TIER_FIELD)
    return value if isinstance(value, str) and value in TIERS else None


def tier_rank(tier: str | None) -> int:
    """Where a tier stands: none (or a tier that is not one) 0, bronze 1, silver 2, gold 3."""
    return len(TIERS) - TIERS.index(tier) if tier in TIERS else 0


def promotes(base: str | None, head: str | None) -> bool:
    """Whether going from tier ``base`` to ``head`` raises a page (none → gold does)."""
    return tier_rank(head) > tier_rank(base)


def banner_tier(body: str) -> tuple[str, int] | None:
    """The tier named by the body's first tier banner, and its 0-based line in the body."""
    found = first_tier_banner(body)
    return (found[0], body.count("\n", 0, found[1].start())) if found else None


@lru_cache(maxsize=4)  # two rules ask in turn about each page's body
def first_tier_banner(body: str) -> tuple[str, re.Match[str]] | None:
    """The tier named by the first banner (``!!! kind "title"``) naming one, and its match."""
    for match in _BANNER.finditer(body):
        title = match.group(1)
        word = _TIER_WORD.search(title)
        tier = (
            word.group(1).lower()
            if word
            else next((tier for tier, emoji in TIER_EMOJI.items() if emoji in title), None)
        )
        if tier:
            return tier, match
    return None
