"""The quarterly review's records: quarters, page facts, items, health, links and the plan."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any, NamedTuple

from bot.core.config import Config, QuarterlyConfig
from bot.core.documents import EMPTY
from bot.core.links import Links as Links  # the quarterly issue's links, shared with reviews
from bot.core.markdown import code
from bot.core.rules.evaluate import Finding
from bot.core.rules.policy import Policy
from bot.core.tiers import REVIEW_FIELDS, TIER_FIELD


class Quarter(NamedTuple):
    """A calendar quarter; ordered by year, then number."""

    year: int
    number: int  # 1..4

    @property
    def id(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def ordinal(self) -> int:
        return self.year * 4 + self.number

    @classmethod
    def of_ordinal(cls, ordinal: int) -> Quarter:
        return cls((ordinal - 1) // 4, (ordinal - 1) % 4 + 1)

    def __str__(self) -> str:
        return self.id


def as_date(value: Any) -> date | None:
    """A YAML date, datetime or ISO string as a date; anything else is None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def is_archived(path: str) -> bool:
    """A page moved into a folder named ``archive``."""
    return "archive" in PurePosixPath(path).parts[:-1]


class PageFacts(NamedTuple):
    """What the quarterly review needs to know about one page."""

    path: str
    meta: Mapping[str, Any] | None  # None: the front matter cannot be read
    tier: str | None
    banner: str | None
    findings: tuple[Finding, ...] = ()
    committed: date | None = None  # its last commit's date, when read (for pages undated)

    @property
    def archived(self) -> bool:
        return is_archived(self.path)

    @property
    def raw_tier(self) -> Any:
        return (self.meta or {}).get(TIER_FIELD)

    @property
    def reviewed(self) -> date | None:
        meta = self.meta or {}
        return next(filter(None, (as_date(meta.get(name)) for name in REVIEW_FIELDS)), None)

    def health_repos(self) -> tuple[str, ...]:
        """The upstream projects the page lists under ``health: {repos: [...]}``."""
        health = (self.meta or {}).get("health")
        repos = health.get("repos") if isinstance(health, dict) else None
        if not isinstance(repos, list):
            return ()
        return tuple(repo for repo in repos if isinstance(repo, str))


class Library(NamedTuple):
    """The library as reviewed: its settings, the commit (None: a plain directory), its pages,
    and the text of its CODEOWNERS file, if it has one."""

    config: Config
    policy: Policy
    sha: str | None
    pages: tuple[PageFacts, ...]
    codeowners: str | None = None


#: What a page can need, in priority order: failing error rules, then the tier contradicted
#: (no valid tier, a banner saying another, bronze without alternatives, gold below its
#: examples, gold on idle projects), then the longest unreviewed.
KINDS = ("errors", "no-tier", "banner", "bronze", "gold", "health", "stale")
RANKS = {"errors": 0, "no-tier": 1, "banner": 1, "bronze": 1, "gold": 1, "health": 1, "stale": 2}


class Reason(NamedTuple):
    """One thing a page needs, said in Markdown (already escaped)."""

    kind: str  # one of KINDS
    detail: str
    again: str = ""  # said again on a later page: shorter, the detail's first saying above


def page_key(path: str) -> str:
    """The hidden key of a page's box: the same page, the same key, whatever it needs."""
    return hashlib.sha1(f"page\0{path}".encode()).hexdigest()[:12]


class Item(NamedTuple):
    """One page to review: a `- [ ]` line naming every reason, most important first."""

    path: str
    tier: str | None
    reasons: tuple[Reason, ...]  # in KINDS order; "stale" when it is overdue
    dated: str  # Markdown: when it was last reviewed (or changed, from git), how long ago
    since: date | None  # that date (None: nothing dates it)
    owners: tuple[str, ...] = ()  # from CODEOWNERS: @user, @org/team or an email

    @property
    def key(self) -> str:
        return page_key(self.path)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(reason.kind for reason in self.reasons)

    @property
    def rank(self) -> int:
        return min(RANKS[kind] for kind in self.kinds)

    @property
    def priority(self) -> tuple[int, date, str]:
        """Failing first, then contradictions, then overdue; the oldest first within each."""
        return self.rank, self.since or date.min, self.path


class Changes(NamedTuple):
    """How the library moved between two commits."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (old path, new path)
    archived: tuple[tuple[str, str], ...] = ()  # (old path, archive path)
    promoted: tuple[tuple[str, str, str], ...] = ()  # (path, old tier, new tier)
    demoted: tuple[tuple[str, str, str], ...] = ()

    @property
    def size(self) -> int:
        return sum(map(len, self))

    @property
    def empty(self) -> bool:
        return not self.size


class RepositoryHealth(NamedTuple):
    """An upstream project as GitHub's repository API describes it."""

    full_name: str
    stars: int
    pushed_at: str | None  # ISO 8601
    archived: bool


class HealthReport(NamedTuple):
    """What the look-ups found: None for a repository GitHub does not know."""

    pages: Mapping[str, tuple[str, ...]] = EMPTY  # page -> repos
    found: Mapping[str, RepositoryHealth | None] = EMPTY
    skipped: tuple[str, ...] = ()
    reason: str = ""  # why those were skipped


class Previous(NamedTuple):
    """What this review is compared with: the latest earlier quarter's review issue, as its
    marker records it, or a git revision given instead (``ref``; no quarter, no issue)."""

    quarter: Quarter | None
    number: int | None
    sha: str | None
    tiers: Mapping[str, str | None] | None = None  # the inventory at ``sha``, when it was read
    ref: str | None = None  # the revision named instead of an issue (`--since`)

    @property
    def name(self) -> str:
        """How the issue names it: ``the 2026-Q3 review (#12)``, or the revision."""
        if self.quarter is None:
            return f"revision {code(self.ref or '')}"
        return f"the {self.quarter.id} review (#{self.number})"

    @property
    def column(self) -> str:
        """Its short name, for the summary table's heading."""
        return self.quarter.id if self.quarter is not None else code(self.ref or "", True)


class Rotation(NamedTuple):
    """The keys of the pages each quarter's issue listed (this quarter's, once it exists)."""

    listed: Mapping[Quarter, frozenset[str]] = MappingProxyType({})


#: The pages per bucket (see ``facts.bucket``) at the end of an earlier quarter.
QuarterCounts = tuple[Quarter, Mapping[str, int]]


class Snapshot(NamedTuple):
    """The library at the end of a quarter (this one: at the commit read), from git."""

    quarter: Quarter
    sha: str
    tiers: Mapping[str, str | None]  # the inventory: path -> tier
    moves: Mapping[str, str] = EMPTY  # renames since the snapshot before (old -> new path)


class DashboardFacts(NamedTuple):
    """What the health dashboard shows, every figure read from a page, a commit or GitHub."""

    today: date
    quarter: Quarter
    sha: str | None
    quarterly: QuarterlyConfig
    pages: tuple[PageFacts, ...]  # dated by their commits where the front matter does not
    snapshots: tuple[Snapshot, ...]  # oldest first, this quarter's last
    health: HealthReport
    looked_up: bool  # whether GitHub was asked (`--github`)
    pending: int = 0  # pages whose `last_reviewed` the quarter's pull request sets in them


class DashboardPull(NamedTuple):
    """The quarter's pull request, which refreshes the dashboard page with its reviews."""

    number: int
    url: str


class Sections(NamedTuple):
    """The pieces of an issue body, planned."""

    quarter: Quarter
    sha: str | None
    tiers: Mapping[str, str | None]  # the inventory: path -> tier
    counts: Mapping[str, int]
    previous_counts: Mapping[str, int] | None
    chosen: Sequence[Item]  # this quarter's pages
    due: Sequence[Item]  # every page that needs a review, the chosen ones included
    budget: int  # pages a quarter; 0: no limit
    history: Sequence[QuarterCounts]  # earlier quarters, oldest first
    previous: Previous | None
    changes: Changes | None
    health: Sequence[str]  # the health section's lines
    max_age: int
    prefix: str  # the directory every page is under, named once
    #: `quarterly.dashboard`'s path, and its text or the pull request refreshing it
    dashboard: tuple[str, str | DashboardPull] | None = None


class Plan(NamedTuple):
    """Everything to publish for a quarter; ``body`` is whole (ticks not merged, not split)."""

    quarter: Quarter
    sha: str | None
    title: str
    body: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    items: tuple[Item, ...] = ()  # this quarter's pages
    counts: Mapping[str, int] = EMPTY
    waiting: tuple[Item, ...] = ()  # pages that need a review in a later quarter
