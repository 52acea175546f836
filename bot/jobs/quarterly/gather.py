"""The quarterly review as one job: read the library, look its projects up, plan, publish.

The library is read through the port at a commit (the git adapter answers from a checkout,
the GitHub adapters from the API) or handed over whole for a plain directory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.core.config import Config
from bot.core.mkdocs import MKDOCS_FILES
from bot.core.quarterly.dashboard import measure
from bot.core.quarterly.dashboard_page import render_dashboard
from bot.core.quarterly.facts import (
    earlier_quarters,
    inventory,
    quarter_end,
    read_pages,
    tier_counts,
    undated,
    with_commit_dates,
)
from bot.core.quarterly.health import CAPPED, lookup_order, targets
from bot.core.quarterly.model import (
    DashboardFacts,
    HealthReport,
    Library,
    Links,
    PageFacts,
    Plan,
    Previous,
    Quarter,
    QuarterCounts,
    RepositoryHealth,
    Snapshot,
)
from bot.core.quarterly.owners import CODEOWNERS_PATHS, codeowners_text
from bot.core.quarterly.plan import plan_quarter
from bot.core.quarterly.rotation import rotation_of
from bot.core.rules.policy import Policy
from bot.core.selection import skipped_page
from bot.errors import ConfigError, NotFound
from bot.jobs.quarterly.publish import (
    QuarterlyOutcome,
    Timing,
    previous_review,
    publish_quarterly,
    reviews,
)
from bot.jobs.settings import settings_job
from bot.jobs.site import site_redirects
from bot.port.operations import (
    CommitAsOf,
    CompareCommits,
    GetRepository,
    Job,
    LastCommitDates,
    ListIssues,
    ListTree,
    ReadFiles,
    ResolveRef,
    ask,
)
from bot.port.results import FileList, Issue, Unreadable

log = logging.getLogger(__name__)

NO_GITHUB = "this run has no access to GitHub"
#: Pages dated a LastCommitDates (one request each through the API): a retry repeats few.
DATES_BATCH = 50
Tiers = dict[str, str | None]  # path -> tier
Contents = dict[str, bytes | Unreadable | None]
#: The quarters the chart of pages per tier shows, this one included.
CHART_QUARTERS = 4


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


def library_at(ref: str = "HEAD", home: str | None = None) -> Job[Library]:
    """The library at ``ref``: its commit, the settings there (over its owner's, for a
    repository ``home`` on GitHub), every pattern page, and the CODEOWNERS file GitHub would
    use there."""
    sha = yield from ask(ResolveRef(ref))
    settings = yield from settings_job(sha, home=home)
    config, policy = settings.config, settings.policy
    pages, found = yield from pages_at(sha, config, policy, CODEOWNERS_PATHS)
    return Library(config, policy, sha, tuple(pages), codeowners_text(found))


def pages_at(
    sha: str, config: Config, policy: Policy, also: tuple[str, ...] = ()
) -> Job[tuple[list[PageFacts], Contents]]:
    """Every pattern page at ``sha`` (not a redirect), and those of the files ``also`` names
    that are there: one tree listing, then the files and the site's mkdocs.yml, if it has
    one, in batches."""
    tree = yield from ask(ListTree(sha))
    wanted = tuple(p for p in tree if config.is_pattern_page(p))
    extra = tuple(name for name in (*MKDOCS_FILES, *also) if name in tree)
    found: Contents = (yield from ask(ReadFiles(sha, (*wanted, *extra)))) if wanted else {}
    redirects = site_redirects(found, sha)
    pages = read_pages({path: found.get(path) for path in wanted}, policy)
    kept = [page for page in pages if skipped_page(config, page.path, page.meta, redirects) is None]
    return kept, found


def tiers_at(sha: str, config: Config, policy: Policy) -> Job[Tiers | None]:
    """The inventory at an earlier commit, or None when it cannot be read."""
    try:
        pages, _ = yield from pages_at(sha, config, policy)
    except NotFound as error:
        log.warning("cannot read %s: %s", sha[:12], error)
        return None
    return inventory(pages)


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


def quarter_commits(quarter: Quarter, head: str) -> Job[list[tuple[Quarter, str]]]:
    """The commit of ``head``'s history each quarter before ``quarter`` ended at (as many as
    the chart shows, oldest first; a quarter before the history began is left out)."""
    found = []
    for earlier in earlier_quarters(quarter, CHART_QUARTERS - 1):
        sha: str | None = yield from ask(CommitAsOf(head, quarter_end(earlier)))
        if sha:
            found.append((earlier, sha))
    return found


def quarter_snapshots(
    quarter: Quarter, head: str, snap: Library, known: dict[str, Tiers | None]
) -> Job[tuple[Snapshot, ...]]:
    """The library at the end of each earlier quarter the chart shows, then at ``head`` (the
    commit ``snap`` was read at), each with the renames since the one before."""
    found: list[Snapshot] = []
    for earlier, sha in (yield from quarter_commits(quarter, head)):
        tiers = yield from inventory_at(sha, snap, known)
        if tiers is not None:
            found.append(Snapshot(earlier, sha, tiers))
    found.append(Snapshot(quarter, head, inventory(snap.pages)))
    for index in range(1, len(found)):
        old, new = found[index - 1].sha, found[index].sha
        if old != new:
            found[index] = found[index]._replace(moves=(yield from moves_between(old, new)))
    return tuple(found)


def inventory_at(sha: str, snap: Library, known: dict[str, Tiers | None]) -> Job[Tiers | None]:
    """The inventory at ``sha`` (None: unreadable), read once: ``known`` caches it by commit."""
    if sha not in known:
        known[sha] = yield from tiers_at(sha, snap.config, snap.policy)
    return known[sha]


def renames(previous: Previous | None, sha: str | None) -> Job[dict[str, str]]:
    """Old path -> new path of the files renamed since the previous review's commit."""
    if previous is None or previous.tiers is None or not previous.sha or not sha:
        return {}
    return (yield from moves_between(previous.sha, sha))


def moves_between(old: str, new: str) -> Job[dict[str, str]]:
    """Old path -> new path of the files renamed between two commits ({}: none, or GitHub
    cannot compare them)."""
    try:
        listed: FileList = yield from ask(CompareCommits(old, new))
    except NotFound as error:  # its inventory was read, but GitHub cannot compare them
        log.warning("cannot compare %s with %s: %s", old[:12], new[:12], error)
        return {}
    return {f.previous_path: f.path for f in listed.files if f.previous_path}


def commit_dates(pages: tuple[PageFacts, ...], sha: str) -> Job[tuple[PageFacts, ...]]:
    """The pages, those without a front-matter date dated by their last commit at ``sha``."""
    wanted = undated(pages)
    dates: dict[str, datetime | None] = {}
    for start in range(0, len(wanted), DATES_BATCH):
        dates.update(
            (yield from ask(LastCommitDates(sha, tuple(wanted[start : start + DATES_BATCH]))))
        )
    return tuple(with_commit_dates(pages, dates))


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


def fetch_health(
    pages: tuple[PageFacts, ...], config: Config, cap: int | None = None
) -> Job[HealthReport]:
    """Look up the pages' upstream repositories, at most ``cap`` requests (None: no GitHub)."""
    wanted = targets(pages, config.quarterly.health.repos)
    order = lookup_order(wanted, inventory(pages))
    limit = 0 if cap is None else cap
    found: dict[str, RepositoryHealth | None] = {}
    for name in order[:limit]:
        try:
            found[name] = yield from ask(GetRepository(name))
        except NotFound:
            found[name] = None
    reason = NO_GITHUB if cap is None else CAPPED.format(cap=cap)
    return HealthReport(wanted, found, tuple(order[limit:]), reason)


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
    dashboard = None
    if quarterly.dashboard and snap.sha:  # the page as `tierbot dashboard` writes it
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
