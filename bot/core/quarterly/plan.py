"""Plan the quarterly review issue (pure): pages, date, config and last review in; a Plan out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.core.config import QuarterlyConfig
from bot.core.links import common_directory
from bot.core.quarterly.body import render_body
from bot.core.quarterly.due import due_items
from bot.core.quarterly.facts import changes_between, inventory, rotate, tier_counts
from bot.core.quarterly.health import demotions, render_health
from bot.core.quarterly.model import (
    DashboardPull,
    HealthReport,
    Links,
    PageFacts,
    Plan,
    Previous,
    Quarter,
    QuarterCounts,
    Rotation,
    Sections,
)
from bot.core.quarterly.owners import assignees, owners_of
from bot.core.quarterly.rotation import choose


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
    rotation: Rotation | None = None,
    history: Sequence[QuarterCounts] = (),
    codeowners: str | None = None,
    moves: Mapping[str, str] | None = None,
    dashboard: str | DashboardPull | None = None,
) -> Plan:
    """The quarter's issue for ``pages`` (every pattern page of the reviewed commit):
    ``rotation`` what earlier issues listed, ``history`` the pages per tier at the end of
    earlier quarters, ``codeowners`` the CODEOWNERS file's text, ``moves`` the renames
    since ``previous`` (old path -> new path), ``dashboard`` the text of the page
    ``quarterly.dashboard`` names, or the quarter's pull request that refreshes it."""
    tiers = inventory(pages)
    counts = tier_counts(tiers)
    health = health or HealthReport()
    owners = owners_of(codeowners, tiers)
    due = due_items(pages, quarterly, today, demotions(health, tiers, today), owners)
    chosen = choose(due, quarterly.budget, quarter, rotation or Rotation())
    before = previous.tiers if previous is not None else None
    previous_counts = tier_counts(before) if before is not None else None
    if previous_counts is None and history and history[-1][0].ordinal == quarter.ordinal - 1:
        previous_counts = dict(history[-1][1])  # last quarter's end, from git
    sections = Sections(
        quarter=quarter,
        sha=sha,
        tiers=tiers,
        counts=counts,
        previous_counts=previous_counts,
        chosen=chosen,
        due=due,
        budget=quarterly.budget,
        history=history,
        previous=previous,
        changes=changes_between(before, tiers, moves or {}) if before is not None else None,
        health=render_health(health, today, {p: links.page(p) for p in health.pages}),
        max_age=quarterly.max_age_days,
        prefix=common_directory(tiers),
        dashboard=(quarterly.dashboard, dashboard) if quarterly.dashboard and dashboard else None,
    )
    chosen_keys = {item.key for item in chosen}
    return Plan(
        quarter=quarter,
        sha=sha,
        title=title_for(quarter),
        body=render_body(sections, links),
        labels=quarterly.labels,
        assignees=assignees(chosen) or rotate(quarterly.assignees, quarter),
        items=tuple(chosen),
        counts=counts,
        waiting=tuple(item for item in due if item.key not in chosen_keys),
    )
