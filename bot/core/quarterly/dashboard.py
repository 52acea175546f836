"""The health dashboard's figures (pure): the quarterly review's facts counted per tier, and
as the JSON a site's JavaScript reads.

Nothing here is typed in: each figure is counted from the pages at one commit (their front
matter, their findings, their last commit's date), from git's history, or from GitHub's answers
on the day of the run, and the JSON names that commit and that day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from bot.core.quarterly.due import OVERDUE, due_items
from bot.core.quarterly.export import plain
from bot.core.quarterly.facts import changes_between, inventory, quarter_end, tier_counts
from bot.core.quarterly.health import demotions
from bot.core.quarterly.model import Changes, DashboardFacts, HealthReport, Item, Snapshot
from bot.core.quarterly.summary import ACTIVE, per_bucket

DASHBOARD_VERSION = 1


class TierFigures(NamedTuple):
    """One tier's row: its pages, those failing no error rule, those reviewed within
    ``quarterly.max-age-days`` (by their front matter), and those the quarterly review
    counts overdue."""

    pages: int
    passing: int
    reviewed: int
    overdue: int


class Measured(NamedTuple):
    """The dashboard's figures, counted once for both its formats."""

    tiers: Mapping[str, TierFigures]  # per active bucket (each tier, then ``none``)
    archived: int
    overdue: tuple[Item, ...]  # the overdue pages, the oldest first
    changes: tuple[Changes | None, ...]  # per snapshot: since the one before (None: the first)


def measure(facts: DashboardFacts) -> Measured:
    """Count the figures as the quarterly review does: its due pages, its buckets."""
    tiers = inventory(facts.pages)
    counts = tier_counts(tiers)
    found = demotions(facts.health, tiers, facts.today)
    due = due_items(facts.pages, facts.quarterly, facts.today, found, {})
    failing = per_bucket((i for i in due if "errors" in i.kinds), tiers)
    stale = [item for item in due if "stale" in item.kinds]
    overdue = per_bucket(stale, tiers)
    limit = facts.quarterly.max_age_days
    reviewed = per_bucket(
        (p for p in facts.pages if p.reviewed and (facts.today - p.reviewed).days <= limit),
        tiers,
    )
    figures = {
        name: TierFigures(
            counts[name],
            counts[name] - failing.get(name, 0),
            reviewed.get(name, 0),
            overdue.get(name, 0),
        )
        for name in ACTIVE
    }
    oldest_first = sorted(stale, key=lambda item: (item.since is not None, item.since, item.path))
    return Measured(figures, counts["archived"], tuple(oldest_first), _changes(facts.snapshots))


def _changes(snapshots: Sequence[Snapshot]) -> tuple[Changes | None, ...]:
    """Each quarter's tier changes since the one before it (None for the first); none
    without snapshots (a directory that is no git checkout has no history)."""
    before = (None, *snapshots)  # zip stops at the last snapshot: a quarter and the one before
    return tuple(
        changes_between(old.tiers, new.tiers, new.moves) if old is not None else None
        for old, new in zip(before, snapshots, strict=False)
    )


def dashboard_json(facts: DashboardFacts, measured: Measured) -> dict[str, Any]:
    """The dashboard for a program: ``date`` and ``sha`` say when and where it was counted."""
    return {
        "version": DASHBOARD_VERSION,
        "date": facts.today.isoformat(),
        "quarter": facts.quarter.id,
        "sha": facts.sha,
        "max_age_days": facts.quarterly.max_age_days,
        "tiers": {name: figures._asdict() for name, figures in measured.tiers.items()},
        "archived": measured.archived,
        "overdue": [
            {
                "page": item.path,
                "tier": item.tier,
                "since": item.since.isoformat() if item.since else None,
                "dated": plain(item.dated.removeprefix(OVERDUE)),
            }
            for item in measured.overdue
        ],
        "quarters": [
            _snapshot_json(snapshot, change, snapshot is facts.snapshots[-1])
            for snapshot, change in zip(facts.snapshots, measured.changes, strict=True)
        ],
        "health": _health_json(facts.health, facts.today.isoformat() if facts.looked_up else None),
    }


def _snapshot_json(snapshot: Snapshot, change: Changes | None, last: bool) -> dict[str, Any]:
    return {
        "quarter": snapshot.quarter.id,
        "as_of": None if last else quarter_end(snapshot.quarter).date().isoformat(),
        "sha": snapshot.sha,
        "tiers": {name: tier_counts(snapshot.tiers)[name] for name in (*ACTIVE, "archived")},
        "changes": None if change is None else change_counts(change),
    }


def change_counts(change: Changes) -> dict[str, int]:
    """How many pages each kind of change moved."""
    return {name: len(getattr(change, name)) for name in Changes._fields}


def _health_json(report: HealthReport, asked: str | None) -> dict[str, Any]:
    repositories = []
    for name in sorted({repo for repos in report.pages.values() for repo in repos}):
        found = report.found.get(name)
        repositories.append(
            {
                "name": name,
                "pages": sorted(page for page, repos in report.pages.items() if name in repos),
                "looked_up": name in report.found,
                "found": found is not None,
                "stars": found.stars if found else None,
                "pushed_at": found.pushed_at if found else None,
                "archived": found.archived if found else None,
            }
        )
    return {
        "date": asked,
        "repositories": repositories,
        "skipped": list(report.skipped),
        "reason": report.reason if report.skipped else "",
    }
