"""The health dashboard's facts as one job, gathered as the quarterly review gathers them: the
library at HEAD, the commit each earlier quarter ended at, and the upstream projects looked up
when GitHub may be asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.quarterly.facts import inventory
from bot.core.quarterly.model import DashboardFacts, Library, Quarter, Snapshot
from bot.jobs.quarterly.gather import (
    Tiers,
    commit_dates,
    fetch_health,
    library_at,
    quarter_snapshots,
)
from bot.port.operations import Job


@dataclass(frozen=True, slots=True)
class DashboardRequest:
    """When the dashboard is counted, and whether GitHub may be asked about upstream projects."""

    quarter: Quarter
    today: date
    look_up: bool = False


def dashboard_job(request: DashboardRequest, library: Library | None = None) -> Job[DashboardFacts]:
    """Gather the dashboard's facts from the library (read at HEAD unless given)."""
    snap = library if library is not None else (yield from library_at("HEAD"))
    snapshots: tuple[Snapshot, ...] = ()
    pages = snap.pages
    if snap.sha:
        known: dict[str, Tiers | None] = {snap.sha: inventory(snap.pages)}
        snapshots = yield from quarter_snapshots(request.quarter, snap.sha, snap, known)
        pages = yield from commit_dates(snap.pages, snap.sha)
    cap = snap.config.quarterly.health.max_requests if request.look_up else None
    health = yield from fetch_health(pages, snap.config, cap)
    return DashboardFacts(
        today=request.today,
        quarter=request.quarter,
        sha=snap.sha,
        quarterly=snap.config.quarterly,
        pages=pages,
        snapshots=snapshots,
        health=health,
        looked_up=request.look_up,
    )
