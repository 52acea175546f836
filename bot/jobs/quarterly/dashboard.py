"""The health dashboard's facts as one job, gathered as the quarterly review gathers them: the
library at HEAD, the commit each earlier quarter ended at, and the upstream projects looked up
when GitHub may be asked; and the page as the quarter's pull request carries it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.core.quarterly.dashboard import measure
from bot.core.quarterly.dashboard_page import render_dashboard
from bot.core.quarterly.facts import inventory, quarter_of, read_pages
from bot.core.quarterly.model import (
    DashboardFacts,
    DashboardPull,
    Library,
    Links,
    Quarter,
    Snapshot,
)
from bot.core.quarterly.reviewed import BRANCH
from bot.jobs.quarterly.library import (
    Tiers,
    commit_dates,
    fetch_health,
    library_at,
    pages_at,
    quarter_snapshots,
)
from bot.jobs.settings import settings_job
from bot.port.operations import Job, ListPulls, ask
from bot.port.results import PullRequest


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


def refreshing_pull(quarter: Quarter) -> Job[DashboardPull | None]:
    """The quarter's open pull request, which refreshes the dashboard page; None before a box
    is ticked (or once it is merged or closed)."""
    pulls: tuple[PullRequest, ...] = yield from ask(ListPulls(BRANCH.format(quarter=quarter.id)))
    return DashboardPull(pulls[0].number, pulls[0].html_url) if pulls else None


def reviewed_dashboard(
    base: str, edits: Mapping[str, bytes], day: date, links: Links
) -> Job[tuple[str, bytes] | None]:
    """The page `quarterly.dashboard` names and its text (None: it names none) as `tierbot
    dashboard` counts it on ``day`` at ``base`` with ``edits`` made (path -> the page with its
    `last_reviewed` set): what the quarter's pull request carries. Offline, as the command is
    by default: what a tick writes depends on the repository alone, so a rerun writes nothing."""
    settings = yield from settings_job(base, home=links.repository)  # over its owner's
    config, policy = settings.config, settings.policy
    path = config.quarterly.dashboard
    if not path:
        return None
    pages, _ = yield from pages_at(base, config, policy)
    edited = {page.path: page for page in read_pages(edits, policy)}
    reviewed = tuple(edited.get(page.path, page) for page in pages)
    library = Library(config, policy, base, reviewed)
    facts = yield from dashboard_job(DashboardRequest(quarter_of(day), day), library)
    facts = facts._replace(pending=len(edited))
    text = render_dashboard(facts, measure(facts), links._replace(ref=base))
    return path, text.encode("utf-8")
