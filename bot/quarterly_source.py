"""The quarterly review as one job: read the pages (checkout or API), look up, plan, publish."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot import gitsource
from bot.check import pattern_pages, read_page
from bot.config import Config
from bot.errors import ConfigError, NotFound, UsageError
from bot.health import CAPPED, HealthReport, lookup_order, targets
from bot.port import (
    GetRepository,
    Job,
    ListIssues,
    ListTree,
    ReadFiles,
    RepositoryHealth,
    ResolveRef,
)
from bot.quarterly import Plan, Previous, plan_quarter
from bot.quarterly_facts import PageFacts, Quarter, inventory, read_pages
from bot.quarterly_publish import Outcome, Timing, previous_review, publish_quarterly
from bot.quarterly_render import Links
from bot.rules import Policy
from bot.settings import load_settings, settings_at, settings_job

log = logging.getLogger(__name__)

NO_GITHUB = "this run has no access to GitHub"
Tiers = dict[str, str | None]  # path -> tier


@dataclass(frozen=True)
class Snapshot:
    """The library as reviewed: settings, the commit (None: a plain directory) and pages."""

    config: Config
    policy: Policy
    sha: str | None
    pages: tuple[PageFacts, ...]


class Checkout:
    """A local directory: a git checkout, read at HEAD, or a plain directory, read as it is."""

    def __init__(self, root: Path, *, api_fallback: bool = True) -> None:
        if not root.is_dir():
            raise UsageError(f"{root}: no such directory")
        self.root = root
        self.api_fallback = api_fallback  # read a commit the checkout lacks through the API
        is_git = (root / ".git").exists() and gitsource.has_commit(root, "HEAD")
        self.sha = gitsource.resolve(root, "HEAD") if is_git else None

    def snapshot(self) -> Job[Snapshot]:
        yield from ()  # nothing to ask GitHub
        if self.sha is None:
            config, policy = load_settings(None, None, self.root)
            found = (
                (p.relative_to(self.root).as_posix(), p) for p in pattern_pages(self.root, config)
            )
            pages = {name: read_page(p) for name, p in found if config.is_pattern_page(name)}
            return Snapshot(config, policy, None, tuple(read_pages(pages, policy)))
        config, policy = settings_at(
            lambda path: gitsource.read_files(self.root, self.sha, [path])[path], self.sha[:12]
        )
        return Snapshot(config, policy, self.sha, tuple(self._pages_at(self.sha, config, policy)))

    def tiers_at(self, sha: str, config: Config, policy: Policy) -> Job[Tiers | None]:
        if self.sha is not None and gitsource.has_commit(self.root, sha):
            return inventory(self._pages_at(sha, config, policy))
        if not self.api_fallback:
            log.warning("%s is not in the checkout (fetch its history to compare)", sha[:12])
            return None
        return (yield from remote_tiers(sha, config, policy))

    def _pages_at(self, sha: str, config: Config, policy: Policy) -> list[PageFacts]:
        listed = gitsource.git(self.root, "ls-tree", "-r", "-z", "--name-only", sha)
        paths = [p for p in listed.decode("utf-8", "surrogateescape").split("\0") if p]
        wanted = [p for p in paths if config.is_pattern_page(p)]
        return read_pages(gitsource.read_files(self.root, sha, wanted), policy)


@dataclass(frozen=True)
class Remote:
    """The repository on GitHub, read through the port: a tree and batched blobs."""

    ref: str = "HEAD"

    def snapshot(self) -> Job[Snapshot]:
        sha = yield ResolveRef(self.ref)
        config, policy = yield from settings_job(sha)
        pages = yield from remote_pages(sha, config, policy)
        return Snapshot(config, policy, sha, tuple(pages))

    def tiers_at(self, sha: str, config: Config, policy: Policy) -> Job[Tiers | None]:
        return (yield from remote_tiers(sha, config, policy))


def remote_pages(sha: str, config: Config, policy: Policy) -> Job[list[PageFacts]]:
    """Every pattern page at ``sha``: one tree listing, then files a hundred to a request."""
    wanted = tuple(p for p in (yield ListTree(sha)) if config.is_pattern_page(p))
    return read_pages((yield ReadFiles(sha, wanted)) if wanted else {}, policy)


def remote_tiers(sha: str, config: Config, policy: Policy) -> Job[Tiers | None]:
    try:
        return inventory((yield from remote_pages(sha, config, policy)))
    except NotFound:
        log.warning("cannot read %s through the API", sha[:12])
        return None


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
            found[name] = yield GetRepository(name)
        except NotFound:
            found[name] = None
    reason = NO_GITHUB if cap is None else CAPPED.format(cap=cap)
    return HealthReport(wanted, found, tuple(order[limit:]), reason)


@dataclass(frozen=True)
class Request:
    """What to review and where to publish it."""

    quarter: Quarter
    today: date
    login: str
    server: str = "https://github.com"
    repository: str | None = None  # OWNER/NAME, for links; None: pages are not linked
    offline: bool = False  # no GitHub at all: nothing is looked up (a dry run only)
    timing: Timing = field(default_factory=Timing)


def quarterly_job(source: Checkout | Remote, request: Request) -> Job[tuple[Plan, Outcome]]:
    """Review the library for ``request.quarter`` and publish the issue."""
    snap = yield from source.snapshot()
    settings = snap.config.quarterly
    if not settings.labels:
        raise ConfigError("`quarterly.labels`: name at least one label; the issue is found by it")
    issues = yield ListIssues(settings.labels[0], "all")
    previous = None
    found = previous_review(issues, request.quarter)
    if found is not None:
        tiers = None
        if found.sha:
            tiers = yield from source.tiers_at(found.sha, snap.config, snap.policy)
        previous = Previous(found.quarter, found.issue.number, found.sha, tiers)
    cap = None if request.offline else settings.health.max_requests
    health = yield from fetch_health(snap.pages, snap.config, cap)
    links = Links(request.server, request.repository, snap.sha or "HEAD")
    plan = plan_quarter(
        snap.pages,
        request.today,
        settings,
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
        close_previous=settings.close_previous,
        timing=request.timing,
    )
    return plan, outcome
