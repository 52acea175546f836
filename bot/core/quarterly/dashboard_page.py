"""The health dashboard as a Markdown page (pure) for a MkDocs site and GitHub alike: tables,
lists and a Mermaid chart, no raw HTML (a site's sanitizer and GitHub's both keep it whole)."""

from __future__ import annotations

from bot import __version__
from bot.core.links import common_directory
from bot.core.markdown import code
from bot.core.quarterly.dashboard import Measured
from bot.core.quarterly.due import OVERDUE
from bot.core.quarterly.facts import inventory, quarter_end, tier_counts
from bot.core.quarterly.health import render_health
from bot.core.quarterly.model import Changes, DashboardFacts, Links, Snapshot
from bot.core.quarterly.summary import ACTIVE, BUCKET_EMOJI, BUCKET_NAMES, tier_chart
from bot.core.rules.report import plural
from bot.core.tiers import TIER_EMOJI

TITLE = "# Pattern health dashboard"
INTRO = (
    "Counted by tierbot {version} on {today} from the library at {commit}{pending}{under}: every "
    "figure is read from the pages there, from git's history or from GitHub, nothing typed "
    "in. Regenerate it with `tierbot dashboard`; do not edit it by hand."
)
UNDER = ", pages under {prefix}"
PENDING = " with the `last_reviewed` the quarter's pull request sets on {pages}"
TIERS_HEAD = "## Pages per tier"
TIERS_TABLE = (
    "| Tier | Pages | Pass every error rule | Reviewed within {days} days | Overdue |\n"
    "|:--|--:|--:|--:|--:|"
)
TIERS_ROW = "| {name} | {pages} | {passing} | {reviewed} | {overdue} |"
TOTAL = "**active pages**"
ARCHIVED = "{emoji} {count} archived {pages} (in an `archive/` folder) counted in no tier."
TIERS_NOTE = (
    "A page passes when `tierbot check` finds no error on it. It is reviewed when its "
    "`last_reviewed` (else `last_updated`) is at most {days} days old "
    "(`quarterly.max-age-days`). It is overdue as the quarterly review counts it: that date, "
    "or for a page without one its last commit, is older, or nothing dates it."
)
HISTORY_HEAD = "## Tier changes over the last four quarters"
HISTORY_NOTE = (
    "Pages per tier at the last commit of each quarter (this one: at {commit}), from git; "
    "the changes are since the quarter before."
)
HISTORY_ONE = "Git holds no commit from before this quarter: nothing to compare with yet."
HISTORY_TABLE = (
    "| Quarter | Commit | {tiers} | Added | Removed | Renamed | Archived | Promoted | Demoted |\n"
    "|:--|:--|{align}--:|--:|--:|--:|--:|--:|"
)
HISTORY_ROW = "| {quarter} | {commit} | {counts} | {changes} |"
OVERDUE_HEAD = "## Overdue pages"
OVERDUE_NONE = "No page is overdue. 🎉"
OVERDUE_ITEM = "- {page} · {tier} · {dated}"
HEALTH_HEAD = "## Upstream health"
HEALTH_ASKED = "Looked up on GitHub on {today}."
HEALTH_OFFLINE = (
    "Not looked up: this dashboard was counted offline (`tierbot dashboard --github` asks "
    "GitHub, at most `quarterly.health.max-requests` requests)."
)


def render_dashboard(facts: DashboardFacts, measured: Measured, links: Links) -> str:
    """The whole page, ending in a newline."""
    tiers = inventory(facts.pages)
    prefix = common_directory(tiers)
    commit = links.commit(facts.sha) if facts.sha else "the working tree"
    intro = INTRO.format(
        version=__version__,
        today=facts.today.isoformat(),
        commit=commit,
        pending=PENDING.format(pages=plural(facts.pending, "page")) if facts.pending else "",
        under=UNDER.format(prefix=code(prefix)) if prefix else "",
    )
    sections = [
        [TITLE, intro],
        _tiers(facts, measured),
        _history(facts, measured, links, commit),
        _overdue(measured, links),
        _health(facts, links),
    ]
    return "\n\n".join("\n\n".join(section) for section in sections) + "\n"


def _tiers(facts: DashboardFacts, measured: Measured) -> list[str]:
    days = facts.quarterly.max_age_days
    rows = [
        TIERS_ROW.format(name=_name(name), **_shares(*figures))
        for name, figures in measured.tiers.items()
    ]
    total = tuple(sum(column) for column in zip(*measured.tiers.values(), strict=True))
    rows.append(TIERS_ROW.format(name=TOTAL, **_shares(*total)))
    lines = [TIERS_HEAD, "\n".join([TIERS_TABLE.format(days=days), *rows])]
    if measured.archived:
        pages = "page" if measured.archived == 1 else "pages"
        count = measured.archived
        lines.append(ARCHIVED.format(emoji=BUCKET_EMOJI["archived"], count=count, pages=pages))
    return [*lines, TIERS_NOTE.format(days=days)]


def _shares(pages: int, passing: int, reviewed: int, overdue: int) -> dict[str, str]:
    def share(count: int) -> str:
        return f"{count} ({round(100 * count / pages)}%)" if pages else str(count)

    return {
        "pages": str(pages),
        "passing": share(passing),
        "reviewed": share(reviewed),
        "overdue": share(overdue),
    }


def _name(name: str) -> str:
    return f"{BUCKET_EMOJI[name]} {BUCKET_NAMES.get(name, name)}"


def _history(facts: DashboardFacts, measured: Measured, links: Links, commit: str) -> list[str]:
    snapshots = facts.snapshots
    if len(snapshots) < 2:
        return [HISTORY_HEAD, HISTORY_ONE]
    table = HISTORY_TABLE.format(
        tiers=" | ".join(_name(name) for name in ACTIVE), align="--:|" * len(ACTIVE)
    )
    rows = [
        _history_row(snapshot, change, links, snapshot is snapshots[-1])
        for snapshot, change in zip(snapshots, measured.changes, strict=True)
    ]
    chart = tier_chart([(s.quarter, tier_counts(s.tiers)) for s in snapshots])
    return [HISTORY_HEAD, HISTORY_NOTE.format(commit=commit), chart[-1], "\n".join([table, *rows])]


def _history_row(snapshot: Snapshot, change: Changes | None, links: Links, last: bool) -> str:
    counts = tier_counts(snapshot.tiers)
    ended = "" if last else f" (to {quarter_end(snapshot.quarter).date().isoformat()})"
    moved = " | ".join(
        ["—"] * len(Changes._fields) if change is None else map(str, map(len, change))
    )
    return HISTORY_ROW.format(
        quarter=f"{snapshot.quarter.id}{ended}",
        commit=links.commit(snapshot.sha),
        counts=" | ".join(str(counts[name]) for name in ACTIVE),
        changes=moved,
    )


def _overdue(measured: Measured, links: Links) -> list[str]:
    if not measured.overdue:
        return [OVERDUE_HEAD, OVERDUE_NONE]
    lines = [
        OVERDUE_ITEM.format(
            page=links.page(item.path),
            tier=f"{TIER_EMOJI[item.tier]} {item.tier}" if item.tier else _name("none"),
            dated=item.dated.removeprefix(OVERDUE),
        )
        for item in measured.overdue
    ]
    return [OVERDUE_HEAD, "\n".join(lines)]


def _health(facts: DashboardFacts, links: Links) -> list[str]:
    report = facts.health
    lines = render_health(report, facts.today, {p: links.page(p) for p in report.pages})
    if not report.pages:
        return [HEALTH_HEAD, *lines]
    said = HEALTH_ASKED.format(today=facts.today.isoformat()) if facts.looked_up else HEALTH_OFFLINE
    return [HEALTH_HEAD, said, "\n".join(lines)]
