"""Plan the quarterly review issue (pure): pages, date, config and last review in; a Plan out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.config import QuarterlyConfig
from bot.health import HealthReport, demotion_items, render_health
from bot.quarterly_facts import (
    Item,
    PageFacts,
    Quarter,
    attention,
    changes_between,
    inventory,
    rotate,
    tier_counts,
)
from bot.quarterly_render import Links, Sections, render_body


@dataclass(frozen=True)
class Previous:
    """The latest earlier quarter's review issue, as its marker records it."""

    quarter: Quarter
    number: int
    sha: str | None
    tiers: Mapping[str, str | None] | None = None  # the inventory at ``sha``, when it was read


@dataclass(frozen=True)
class Plan:
    """Everything to publish for a quarter; ``body`` is whole (ticks not merged, not split)."""

    quarter: Quarter
    sha: str | None
    title: str
    body: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    items: tuple[Item, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)


def title_for(quarter: Quarter) -> str:
    return f"Pattern review {quarter.id}"


def plan_quarter(
    pages: Sequence[PageFacts],
    today: date,
    settings: QuarterlyConfig,
    quarter: Quarter,
    *,
    sha: str | None,
    links: Links,
    previous: Previous | None = None,
    health: HealthReport | None = None,
) -> Plan:
    """The quarter's issue for ``pages`` (every pattern page of the reviewed commit)."""
    tiers = inventory(pages)
    counts = tier_counts(tiers)
    items = attention(pages, settings, today)
    health = health or HealthReport()
    items += demotion_items(health, tiers, today)
    known = previous is not None and previous.tiers is not None
    sections = Sections(
        quarter=quarter,
        sha=sha,
        tiers=tiers,
        counts=counts,
        previous_counts=tier_counts(previous.tiers) if known else None,
        items=items,
        previous=previous,
        changes=changes_between(previous.tiers, tiers) if known else None,
        health=render_health(health, today, {p: links.page(p) for p in health.pages}),
        max_age=settings.max_age_days,
        min_examples=settings.min_modern_examples,
    )
    return Plan(
        quarter=quarter,
        sha=sha,
        title=title_for(quarter),
        body=render_body(sections, links),
        labels=settings.labels,
        assignees=rotate(settings.assignees, quarter),
        items=tuple(items),
        counts=counts,
    )
