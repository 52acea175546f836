"""The library as the quarterly jobs read it through the port: its pages and settings at a
commit, its tiers at the end of earlier quarters, its pages dated by their commits, and the
upstream projects its pages name looked up within a budget."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.config import Config
from bot.core.mkdocs import MKDOCS_FILES
from bot.core.quarterly.facts import (
    earlier_quarters,
    inventory,
    quarter_end,
    read_pages,
    undated,
    with_commit_dates,
)
from bot.core.quarterly.health import CAPPED, lookup_order, targets
from bot.core.quarterly.model import (
    HealthReport,
    Library,
    PageFacts,
    Quarter,
    RepositoryHealth,
    Snapshot,
)
from bot.core.quarterly.owners import CODEOWNERS_PATHS, codeowners_text
from bot.core.rules.policy import Policy
from bot.core.selection import skipped_page
from bot.errors import NotFound
from bot.jobs.settings import settings_job
from bot.jobs.site import site_redirects
from bot.port.operations import (
    CommitAsOf,
    CompareCommits,
    GetRepository,
    Job,
    LastCommitDates,
    ListTree,
    ReadFiles,
    ResolveRef,
    ask,
)
from bot.port.results import FileList, Unreadable

log = logging.getLogger(__name__)

NO_GITHUB = "this run has no access to GitHub"
Tiers = dict[str, str | None]  # path -> tier
Contents = dict[str, bytes | Unreadable | None]
#: The quarters the chart of pages per tier shows, this one included.
CHART_QUARTERS = 4


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
    """The pages, those without a front-matter date dated by their last commit at ``sha``:
    one operation, as files are read (GitHub answers a hundred paths a query, git all)."""
    wanted = tuple(undated(pages))
    dates: dict[str, datetime | None] = {}
    if wanted:
        dates = yield from ask(LastCommitDates(sha, wanted))
    return tuple(with_commit_dates(pages, dates))


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
