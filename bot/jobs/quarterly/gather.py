"""The quarterly review as one job: read the library, look its projects up, plan, publish.

The library is read through the port at a commit (the git adapter answers from a checkout,
the GitHub adapters from the API) or handed over whole for a plain directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.quarterly.dashboard import measure
from bot.core.quarterly.dashboard_page import render_dashboard
from bot.core.quarterly.facts import inventory, tier_counts
from bot.core.quarterly.model import (
    DashboardFacts,
    DashboardPull,
    Library,
    Links,
    Plan,
    Previous,
    Quarter,
    QuarterCounts,
)
from bot.core.quarterly.plan import plan_quarter
from bot.core.quarterly.rotation import rotation_of
from bot.errors import ConfigError
from bot.jobs.quarterly.dashboard import refreshing_pull
from bot.jobs.quarterly.library import (
    Tiers,
    commit_dates,
    fetch_health,
    inventory_at,
    library_at,
    moves_between,
    quarter_commits,
    quarter_snapshots,
)
from bot.jobs.quarterly.publish import (
    QuarterlyOutcome,
    Timing,
    previous_review,
    publish_quarterly,
    reviews,
)
from bot.port.operations import Job, ListIssues, ResolveRef, ask
from bot.port.results import Issue


@dataclass(frozen=True, slots=True)
class QuarterlyRequest:
    """What to review and where to publish it."""

    quarter: Quarter
    today: date
    login: str
    server: str = "https://github.com"
    repository: str | None = None  # OWNER/NAME, for links; None: pages are not linked
    offline: bool = False  # no GitHub at all: nothing is looked up (a dry run only)
    timing: Timing = field(default_factory=Timing)
    since: str | None = None  # a git revision to compare with instead of the previous issue


def history(
    quarter: Quarter, head: str, snap: Library, known: dict[str, Tiers | None]
) -> Job[list[QuarterCounts]]:
    """The pages per tier at the end of the quarters before ``quarter`` (as many as the chart
    shows), from the commit of ``head``'s history each ended at; ``known`` caches
    inventories by commit."""
    found: list[QuarterCounts] = []
    for earlier, sha in (yield from quarter_commits(quarter, head)):
        tiers = yield from inventory_at(sha, snap, known)
        if tiers is not None:
            found.append((earlier, tier_counts(tiers)))
    return found


def renames(previous: Previous | None, sha: str | None) -> Job[dict[str, str]]:
    """Old path -> new path of the files renamed since the previous review's commit."""
    if previous is None or previous.tiers is None or not previous.sha or not sha:
        return {}
    return (yield from moves_between(previous.sha, sha))


def baseline(
    request: QuarterlyRequest,
    issues: tuple[Issue, ...],
    snap: Library,
    known: dict[str, Tiers | None],
) -> Job[Previous | None]:
    """What the review is compared with: ``request.since``, else the previous quarter's issue."""
    if request.since is not None:
        sha = yield from ask(ResolveRef(request.since))
        tiers = yield from inventory_at(sha, snap, known)
        return Previous(None, None, sha, tiers, ref=request.since)
    found = previous_review(issues, request.quarter)
    if found is None:
        return None
    tiers = (yield from inventory_at(found.sha, snap, known)) if found.sha else None
    return Previous(found.quarter, found.issue.number, found.sha, tiers)


def quarterly_job(
    request: QuarterlyRequest, library: Library | None = None
) -> Job[tuple[Plan, QuarterlyOutcome]]:
    """Review the library (read at HEAD unless given) for ``request.quarter``; publish it."""
    home = None if request.offline else request.repository
    snap = library if library is not None else (yield from library_at("HEAD", home))
    quarterly = snap.config.quarterly
    if not quarterly.labels:
        raise ConfigError("`quarterly.labels`: name at least one label; the issue is found by it")
    issues = yield from ask(ListIssues(quarterly.labels[0], "all"))
    known: dict[str, Tiers | None] = {snap.sha: inventory(snap.pages)} if snap.sha else {}
    previous = yield from baseline(request, issues, snap, known)
    moves = yield from renames(previous, snap.sha)
    past = (yield from history(request.quarter, snap.sha, snap, known)) if snap.sha else []
    pages = (yield from commit_dates(snap.pages, snap.sha)) if snap.sha else snap.pages
    cap = None if request.offline else quarterly.health.max_requests
    health = yield from fetch_health(pages, snap.config, cap)
    links = Links(request.server, request.repository, snap.sha or "HEAD")
    dashboard: str | DashboardPull | None = None
    if quarterly.dashboard and snap.sha:  # the quarter's pull request refreshes it, else here
        dashboard = yield from refreshing_pull(request.quarter)
    if quarterly.dashboard and snap.sha and dashboard is None:  # as `tierbot dashboard` writes it
        snapshots = yield from quarter_snapshots(request.quarter, snap.sha, snap, known)
        facts = DashboardFacts(
            request.today,
            request.quarter,
            snap.sha,
            quarterly,
            pages,
            snapshots,
            health,
            looked_up=not request.offline,
        )
        dashboard = render_dashboard(facts, measure(facts), links)
    plan = plan_quarter(
        pages,
        request.today,
        quarterly,
        request.quarter,
        sha=snap.sha,
        links=links,
        previous=previous,
        health=health,
        rotation=rotation_of([(r.quarter, r.issue.body) for r in reviews(issues)]),
        history=past,
        codeowners=snap.codeowners,
        moves=moves,
        dashboard=dashboard,
    )
    outcome = yield from publish_quarterly(
        plan,
        request.login,
        issues,
        close_previous=quarterly.close_previous,
        timing=request.timing,
    )
    return plan, outcome
