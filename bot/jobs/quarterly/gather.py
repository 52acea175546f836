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
from bot.core.quarterly.facts import inventory, read_pages, undated, with_commit_dates
from bot.core.quarterly.health import CAPPED, lookup_order, targets
from bot.core.quarterly.model import (
    HealthReport,
    Library,
    Links,
    PageFacts,
    Plan,
    Previous,
    Quarter,
    RepositoryHealth,
)
from bot.core.quarterly.plan import plan_quarter
from bot.core.rules.policy import Policy
from bot.core.selection import skipped_page
from bot.errors import ConfigError, NotFound
from bot.jobs.quarterly.publish import QuarterlyOutcome, Timing, previous_review, publish_quarterly
from bot.jobs.settings import settings_job
from bot.jobs.site import site_redirects
from bot.port.operations import (
    GetRepository,
    Job,
    LastCommitDates,
    ListIssues,
    ListTree,
    ReadFiles,
    ResolveRef,
    ask,
)
from bot.port.results import Issue

log = logging.getLogger(__name__)

NO_GITHUB = "this run has no access to GitHub"
#: Pages dated a LastCommitDates (one request each through the API): a retry repeats few.
DATES_BATCH = 50
Tiers = dict[str, str | None]  # path -> tier


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


def library_at(ref: str = "HEAD") -> Job[Library]:
    """The library at ``ref``: its commit, the settings there, and every pattern page."""
    sha = yield from ask(ResolveRef(ref))
    config, policy = yield from settings_job(sha)
    pages = yield from pages_at(sha, config, policy)
    return Library(config, policy, sha, tuple(pages))


def pages_at(sha: str, config: Config, policy: Policy) -> Job[list[PageFacts]]:
    """Every pattern page at ``sha`` (not a redirect): one tree listing, then the files and
    the site's mkdocs.yml, if it has one, in batches."""
    tree = yield from ask(ListTree(sha))
    wanted = tuple(p for p in tree if config.is_pattern_page(p))
    site = tuple(name for name in MKDOCS_FILES if name in tree)
    found = (yield from ask(ReadFiles(sha, (*wanted, *site)))) if wanted else {}
    redirects = site_redirects(found, sha)
    pages = read_pages({path: found.get(path) for path in wanted}, policy)
    return [page for page in pages if skipped_page(config, page.path, page.meta, redirects) is None]


def tiers_at(sha: str, config: Config, policy: Policy) -> Job[Tiers | None]:
    """The inventory at an earlier commit, or None when it cannot be read."""
    try:
        return inventory((yield from pages_at(sha, config, policy)))
    except NotFound as error:
        log.warning("cannot read %s to compare with: %s", sha[:12], error)
        return None


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
    request: QuarterlyRequest, issues: tuple[Issue, ...], config: Config, policy: Policy
) -> Job[Previous | None]:
    """What the review is compared with: ``request.since``, else the previous quarter's issue."""
    if request.since is not None:
        sha = yield from ask(ResolveRef(request.since))
        tiers = yield from tiers_at(sha, config, policy)
        return Previous(None, None, sha, tiers, ref=request.since)
    found = previous_review(issues, request.quarter)
    if found is None:
        return None
    tiers = (yield from tiers_at(found.sha, config, policy)) if found.sha else None
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
    snap = library if library is not None else (yield from library_at("HEAD"))
    quarterly = snap.config.quarterly
    if not quarterly.labels:
        raise ConfigError("`quarterly.labels`: name at least one label; the issue is found by it")
    issues = yield from ask(ListIssues(quarterly.labels[0], "all"))
    previous = yield from baseline(request, issues, snap.config, snap.policy)
    pages = (yield from commit_dates(snap.pages, snap.sha)) if snap.sha else snap.pages
    cap = None if request.offline else quarterly.health.max_requests
    health = yield from fetch_health(pages, snap.config, cap)
    links = Links(request.server, request.repository, snap.sha or "HEAD")
    plan = plan_quarter(
        pages,
        request.today,
        quarterly,
        request.quarter,
        sha=snap.sha,
        links=links,
        previous=previous,
        health=health,
    )
    outcome = yield from publish_quarterly(
        plan,
        request.login,
        issues,
        close_previous=quarterly.close_previous,
        timing=request.timing,
    )
    return plan, outcome
