"""The quarterly review's facts (pure): quarters, pages, what needs attention, what changed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PurePosixPath

from bot.core.documents import EMPTY
from bot.core.quarterly.model import Changes, PageFacts, Quarter, is_archived
from bot.core.rules.evaluate import Unreadable, check_page
from bot.core.rules.policy import Policy
from bot.core.tiers import TIERS, banner_tier
from bot.errors import UsageError

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


def quarter_of(day: date) -> Quarter:
    """The calendar quarter holding ``day``."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter:
    """``2026-Q4`` as a Quarter; anything else is a usage error."""
    match = _QUARTER.fullmatch(text.strip())
    if not match:
        raise UsageError(f"a quarter looks like 2026-Q4, not {text!r}")
    return Quarter(int(match[1]), int(match[2]))


def quarter_end(quarter: Quarter) -> datetime:
    """The last moment of ``quarter``, in UTC."""
    year, month = divmod(quarter.number * 3, 12)
    first_after = date(quarter.year + year, month + 1, 1)
    return datetime.combine(first_after, time(), UTC) - timedelta(microseconds=1)


def earlier_quarters(quarter: Quarter, count: int) -> list[Quarter]:
    """The ``count`` quarters before ``quarter``, oldest first."""
    return [Quarter.of_ordinal(o) for o in range(quarter.ordinal - count, quarter.ordinal)]


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


def changes_between(
    before: Mapping[str, str | None],
    after: Mapping[str, str | None],
    moves: Mapping[str, str] = EMPTY,
) -> Changes:
    """Pages added, removed, renamed, archived (moved into an ``archive`` folder) and
    re-tiered; ``moves`` (old path -> new path) are the renames git or GitHub detected."""
    old = {p: t for p, t in before.items() if not is_archived(p)}
    new = {p: t for p, t in after.items() if not is_archived(p)}
    moved = {a: b for a, b in moves.items() if a in old and b in after and b not in before}
    archive = {PurePosixPath(p).name: p for p in after if is_archived(p) and p not in before}
    archive_names = set(moved.values())
    for path in sorted(old.keys() - new.keys() - moved.keys()):  # moved, but not seen as moved
        found = archive.get(PurePosixPath(path).name)
        if found and found not in archive_names:
            moved[path] = found
            archive_names.add(found)
    rank = {tier: index for index, tier in enumerate(reversed(TIERS))}  # bronze < silver < gold
    pairs = [(p, p) for p in sorted(old.keys() & new.keys())]
    pairs += [(a, b) for a, b in sorted(moved.items()) if not is_archived(b)]
    retiered = [
        (b, before_tier, after_tier)
        for a, b in pairs
        if (before_tier := old[a]) in rank
        and (after_tier := after[b]) in rank
        and before_tier != after_tier
    ]
    return Changes(
        added=tuple(sorted(new.keys() - old.keys() - set(moved.values()))),
        removed=tuple(sorted(old.keys() - new.keys() - moved.keys())),
        renamed=tuple((a, b) for a, b in sorted(moved.items()) if not is_archived(b)),
        archived=tuple((a, b) for a, b in sorted(moved.items()) if is_archived(b)),
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
