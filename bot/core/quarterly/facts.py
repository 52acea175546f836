"""The quarterly review's facts (pure): quarters, pages, what needs attention, what changed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import PurePosixPath

from bot.core.config import QuarterlyConfig
from bot.core.markdown import code
from bot.core.quarterly.model import (
    Changes,
    Item,
    PageFacts,
    Quarter,
    is_archived,
)
from bot.core.rules.evaluate import Unreadable, check_page
from bot.core.rules.kinds import is_empty
from bot.core.rules.policy import Policy
from bot.core.tiers import REVIEW_FIELDS, TIER_FIELD, TIERS, banner_tier
from bot.errors import UsageError

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
#: Attention kinds, in priority order.
ATTENTION_KINDS = ("errors", "no-tier", "banner", "stale", "bronze", "gold", "health")
#: The front-matter field an attention kind already speaks for (so errors do not repeat it).
_HYPHENATED_DATES = tuple(name.replace("_", "-") for name in REVIEW_FIELDS)
KIND_FIELDS = {"no-tier": TIER_FIELD, "bronze": "modern_alternatives", "gold": "modern_examples"}


def quarter_of(day: date) -> Quarter:
    """The calendar quarter holding ``day``."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter:
    """``2026-Q4`` as a Quarter; anything else is a usage error."""
    match = _QUARTER.fullmatch(text.strip())
    if not match:
        raise UsageError(f"a quarter looks like 2026-Q4, not {text!r}")
    return Quarter(int(match[1]), int(match[2]))


def rotate(assignees: Sequence[str], quarter: Quarter) -> tuple[str, ...]:
    """This quarter's assignee from the configured rota: the same quarter, the same person."""
    return (assignees[quarter.ordinal % len(assignees)],) if assignees else ()


def page_facts(path: str, data: bytes | Unreadable, policy: Policy) -> PageFacts:
    """Parse and check one page's bytes (one not read: its error, no front matter)."""
    document, report = check_page(path, data, policy)
    found = banner_tier(document.body) if document.meta is not None else None
    return PageFacts(path, document.meta, report.tier, found[0] if found else None, report.findings)


def read_pages(
    contents: Mapping[str, bytes | Unreadable | None], policy: Policy
) -> list[PageFacts]:
    """Facts for every page there (absent ones, None, left out; unreadable ones kept), by path."""
    return [page_facts(p, data, policy) for p, data in sorted(contents.items()) if data is not None]


def attention(pages: Iterable[PageFacts], quarterly: QuarterlyConfig, today: date) -> list[Item]:
    """Every attention item of the active (not archived) pages, in priority order."""
    found: list[Item] = []
    for page in pages:
        if page.archived:
            continue
        items: list[Item] = []
        meta = page.meta
        if meta is not None:
            if page.tier is None:
                raw = page.raw_tier
                detail = (
                    f"no {code(TIER_FIELD)}"
                    if is_empty(raw)
                    else f"{code(f'{TIER_FIELD}: {raw}')} is not one of {', '.join(TIERS)}"
                )
                items.append(Item("no-tier", page.path, detail))
            if page.tier and page.banner and page.banner != page.tier:
                detail = f"the banner says {page.banner}, the front matter {page.tier}"
                items.append(Item("banner", page.path, detail))
            items.extend(_stale(page, quarterly.max_age_days, today))
            if page.tier == "bronze" and is_empty(meta.get("modern_alternatives")):
                items.append(Item("bronze", page.path, f"no {code('modern_alternatives')}"))
            examples = meta.get("modern_examples")
            count = len(examples) if isinstance(examples, list) else 0
            if page.tier == "gold" and count < quarterly.min_modern_examples:
                detail = f"{count} of {quarterly.min_modern_examples} {code('modern_examples')}"
                items.append(Item("gold", page.path, detail))
        covered = {KIND_FIELDS.get(item.kind) for item in items}
        errors = sorted(
            {f.rule for f in page.findings if f.severity == "error" and f.field not in covered}
        )
        if errors:
            items.append(Item("errors", page.path, "fails " + ", ".join(map(code, errors))))
        found.extend(items)
    return sorted(found, key=lambda item: (ATTENTION_KINDS.index(item.kind), item.order, item.path))


def _stale(page: PageFacts, max_age_days: int, today: date) -> list[Item]:
    """One item for a page older than ``max_age_days``: by its front-matter date, or, when it
    has none, by its last commit; a page neither dates comes first (it may be the oldest)."""
    reviewed, committed = page.reviewed, page.committed
    when = reviewed or committed
    if when is not None and (today - when).days <= max_age_days:
        return []
    names = " or ".join(map(code, REVIEW_FIELDS))
    if reviewed is not None:
        detail = f"last reviewed {reviewed.isoformat()}"
    elif committed is not None:
        detail = f"last changed {committed.isoformat()} (from git), no {names} date"
    else:
        detail = f"no valid {names} date, and no commit that dates it"
    misspelt = next((key for key in _HYPHENATED_DATES if key in (page.meta or {})), None)
    if misspelt:
        right = misspelt.replace("-", "_")
        detail += f" (the page has {code(misspelt)}: rename it to {code(right)})"
    return [Item("stale", page.path, detail, when.isoformat() if when else "")]


def undated(pages: Iterable[PageFacts]) -> list[str]:
    """The active pages no front-matter date dates: their last commit dates them instead."""
    return [page.path for page in pages if not page.archived and page.reviewed is None]


def with_commit_dates(
    pages: Iterable[PageFacts], dates: Mapping[str, datetime | None]
) -> list[PageFacts]:
    """``pages`` with the commit dates found for them."""
    return [
        page._replace(committed=found.date()) if (found := dates.get(page.path)) else page
        for page in pages
    ]


# --- Since last review ------------------------------------------------------------------------


def inventory(pages: Iterable[PageFacts]) -> dict[str, str | None]:
    """Path -> valid tier (None: no valid tier), archived pages included."""
    return {page.path: page.tier for page in pages}


def changes_between(before: Mapping[str, str | None], after: Mapping[str, str | None]) -> Changes:
    """Pages added, removed, archived (moved into an ``archive`` folder) and re-tiered."""
    old = {p: t for p, t in before.items() if not is_archived(p)}
    new = {p: t for p, t in after.items() if not is_archived(p)}
    archive = {PurePosixPath(p).name: p for p in after if is_archived(p) and p not in before}
    gone = sorted(old.keys() - new.keys())
    archived = tuple(
        (p, archive[PurePosixPath(p).name]) for p in gone if PurePosixPath(p).name in archive
    )
    moved = {p for p, _ in archived}
    rank = {tier: index for index, tier in enumerate(reversed(TIERS))}  # bronze < silver < gold
    retiered = [
        (p, before_tier, after_tier)
        for p in sorted(old.keys() & new.keys())
        if (before_tier := old[p]) in rank
        and (after_tier := new[p]) in rank
        and before_tier != after_tier
    ]
    return Changes(
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(p for p in gone if p not in moved),
        archived=archived,
        promoted=tuple(c for c in retiered if rank[c[2]] > rank[c[1]]),
        demoted=tuple(c for c in retiered if rank[c[2]] < rank[c[1]]),
    )


def bucket(path: str, tier: str | None) -> str:
    """Where a page is counted: its tier, ``none`` (no valid tier) or ``archived``."""
    return "archived" if is_archived(path) else tier or "none"


def tier_counts(tiers: Mapping[str, str | None]) -> dict[str, int]:
    """Pages per bucket: each tier, ``none`` and ``archived``."""
    counts = dict.fromkeys((*TIERS, "none", "archived"), 0)
    for path, tier in tiers.items():
        counts[bucket(path, tier)] += 1
    return counts
