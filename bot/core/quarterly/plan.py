"""Plan the quarterly review issue (pure): pages, date, config and last review in; a Plan out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.config import QuarterlyConfig
from bot.core.quarterly.body import render_body
from bot.core.quarterly.facts import attention, changes_between, inventory, rotate, tier_counts
from bot.core.quarterly.health import demotion_items, render_health
from bot.core.quarterly.model import (
    HealthReport,
    Links,
    PageFacts,
    Plan,
    Previous,
    Quarter,
    Sections,
)


def title_for(quarter: Quarter) -> str:
    return f"Pattern review {quarter.id}"


def plan_quarter(
    pages: Sequence[PageFacts],
    today: date,
    quarterly: QuarterlyConfig,
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
    items = attention(pages, quarterly, today)
    health = health or HealthReport()
    items += demotion_items(health, tiers, today)
    before = previous.tiers if previous is not None else None
    sections = Sections(
        quarter=quarter,
        sha=sha,
        tiers=tiers,
        counts=counts,
        previous_counts=tier_counts(before) if before is not None else None,
        items=items,
        previous=previous,
        changes=changes_between(before, tiers) if before is not None else None,
        health=render_health(health, today, {p: links.page(p) for p in health.pages}),
        max_age=quarterly.max_age_days,
        min_examples=quarterly.min_modern_examples,
    )
    return Plan(
        quarter=quarter,
        sha=sha,
        title=title_for(quarter),
        body=render_body(sections, links),
        labels=quarterly.labels,
        assignees=rotate(quarterly.assignees, quarter),
        items=tuple(items),
        counts=counts,
    )
