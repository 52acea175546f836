"""The quarterly issue's summary (pure): per tier, what this review holds, and a chart of the
pages per tier over the last four quarters that GitHub draws itself (a Mermaid block)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.core.quarterly.facts import bucket
from bot.core.quarterly.model import Item, PageFacts, QuarterCounts, Sections
from bot.core.tiers import TIER_EMOJI, TIERS

BUCKET_EMOJI = {**TIER_EMOJI, "none": "❔", "archived": "🗄️"}
BUCKET_NAMES = {"none": "no valid tier", "archived": "archived"}
ACTIVE = (*TIERS, "none")

SUMMARY_HEAD = "### Summary"
TABLE_HEAD = (
    "| Tier | Pages | In this review | Overdue | Failing |{since}\n|:--|--:|--:|--:|--:|{align}"
)
TABLE_ROW = "| {name} | {pages} | {chosen} | {overdue} | {failing} |{change}"
TOTAL = "**active pages**"
#: Series colours in the tiers' order (gold, silver, bronze), then the pages without one.
PALETTE = "#D4A017, #A7A9AC, #CD7F32, #6E7781"
CHART = """```mermaid
%%{{init: {{"themeVariables": {{"xyChart": {{"plotColorPalette": "{palette}"}}}}}}}}%%
xychart-beta
    title "Pages per tier: {names}"
    x-axis [{quarters}]
    y-axis "Pages" 0 --> {top}
{lines}
```"""
CHART_LINE = "    line [{values}]"


def render_summary(s: Sections) -> list[str]:
    """The table, then the chart when there are two quarters or more to draw."""
    return [SUMMARY_HEAD, "", *_table(s), *tier_chart([*s.history, (s.quarter, s.counts)])]


def _table(s: Sections) -> list[str]:
    since = f" Since {s.previous.column if s.previous else 'last quarter'} |"
    compare = s.previous_counts is not None
    lines = [TABLE_HEAD.format(since=since if compare else "", align="--:|" if compare else "")]
    chosen, overdue, failing = (
        per_bucket(items, s.tiers)
        for items in (
            s.chosen,
            (i for i in s.due if "stale" in i.kinds),
            (i for i in s.due if "errors" in i.kinds),
        )
    )
    for tier in (*ACTIVE, "total", "archived"):
        names = ACTIVE if tier == "total" else (tier,)
        pages = sum(s.counts[name] for name in names)
        if tier == "archived" and not pages and not (s.previous_counts or {}).get(tier):
            continue
        change = ""
        if s.previous_counts is not None:
            delta = pages - sum(s.previous_counts[name] for name in names)
            change = f" {delta:+d} |" if delta else " 0 |"
        counted = {
            key: "—" if tier == "archived" else sum(found.get(n, 0) for n in names)
            for key, found in (("chosen", chosen), ("overdue", overdue), ("failing", failing))
        }
        lines.append(TABLE_ROW.format(name=_name(tier), pages=pages, change=change, **counted))
    return lines


def _name(tier: str) -> str:
    if tier == "total":
        return TOTAL
    return f"{BUCKET_EMOJI[tier]} {BUCKET_NAMES.get(tier, tier)}"


def per_bucket(
    items: Iterable[Item | PageFacts], tiers: Mapping[str, str | None]
) -> dict[str, int]:
    """How many of ``items`` (due items or pages) each bucket holds."""
    counts: dict[str, int] = {}
    for item in items:
        where = bucket(item.path, tiers.get(item.path))
        counts[where] = counts.get(where, 0) + 1
    return counts


def tier_chart(points: Sequence[QuarterCounts]) -> list[str]:
    """Pages per tier, one line each (no valid tier only when some page had none)."""
    if len(points) < 2:
        return []
    series = [t for t in ACTIVE if t in TIERS or any(counts[t] for _, counts in points)]
    top = max(max(counts[t] for t in series) for _, counts in points)
    chart = CHART.format(
        palette=", ".join(PALETTE.split(", ")[: len(series)]),
        names=", ".join(BUCKET_NAMES.get(t, t) for t in series),
        quarters=", ".join(f'"{quarter.id}"' for quarter, _ in points),
        top=max(top + (-top % 10), 10),
        lines="\n".join(
            CHART_LINE.format(values=", ".join(str(counts[t]) for _, counts in points))
            for t in series
        ),
    )
    return ["", chart]
