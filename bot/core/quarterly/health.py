"""Upstream health (pure): which projects a page builds on, their score, demotion candidates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from bot.core.markdown import code
from bot.core.quarterly.model import HealthReport, PageFacts, Reason, RepositoryHealth

#: The DStudio plan's health score: stars weigh 40%, recency of the last push 30%.
#: The other 30% (community signals) is not something GitHub's repository API tells.
STAR_POINTS = ((10_000, 40), (1_000, 30), (100, 20), (0, 10))
RECENCY_POINTS = ((30, 30), (90, 20), (365, 10))
MEASURED = 70
INACTIVE_DAYS = 365
_REPO = re.compile(r"[\w.-]+/[\w.-]+")

HEALTH_HEAD = (
    "| Page | Repository | Stars | Last push | Archived | Score |\n|:--|:--|--:|:--|:--|--:|"
)
HEALTH_ROW = "| {page} | {repo} | {stars} | {pushed} | {archived} | {score} |"
HEALTH_NOTE = (
    "Score of {measured}: stars (≥10k {s0}, ≥1k {s1}, ≥100 {s2}, else {s3}) plus the last push "
    "(within 30 days {r0}, 90 days {r1}, a year {r2}, else 0), the DStudio plan's 40% and 30%. "
    "A gold page whose projects are all archived or idle for over a year is a demotion candidate."
)
HEALTH_SKIPPED = "> [!NOTE]\n> {count} {repositories} not looked up ({reason}): {names}."
CAPPED = "at most {cap} requests a run, `quarterly.health.max-requests`"
DEMOTION = "📉 a demotion candidate: {names} archived or idle"
HEALTH_NONE = (
    "No page names upstream projects (`health: {repos: [owner/name]}` in its front matter)."
)


def targets(
    pages: Iterable[PageFacts], configured: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Active page -> its upstream repositories, from its front matter and the config."""
    found = {}
    for page in pages:
        names = (*page.health_repos(), *configured.get(page.path, ()))
        valid = tuple(dict.fromkeys(n for n in names if _REPO.fullmatch(n)))
        if valid and not page.archived:
            found[page.path] = valid
    return found


def lookup_order(
    wanted: Mapping[str, tuple[str, ...]], tiers: Mapping[str, str | None]
) -> list[str]:
    """Each repository once: those of gold pages first (they can be demoted), then by name."""
    gold = {repo for page, repos in wanted.items() if tiers.get(page) == "gold" for repo in repos}
    every = {repo for repos in wanted.values() for repo in repos}
    return sorted(every, key=lambda repo: (repo not in gold, repo.lower()))


def days_since(stamp: str | None, today: date) -> int | None:
    if not stamp:
        return None
    try:
        return (today - datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()).days
    except ValueError:
        return None


def score(repo: RepositoryHealth, today: date) -> int:
    """The measured part of the DStudio health score, out of ``MEASURED``."""
    stars = next(points for floor, points in STAR_POINTS if repo.stars >= floor)
    age = days_since(repo.pushed_at, today)
    recency = 0
    if age is not None and not repo.archived:
        recency = next((points for limit, points in RECENCY_POINTS if age <= limit), 0)
    return stars + recency


def inactive(repo: RepositoryHealth, today: date) -> bool:
    """Archived, or no push for over a year."""
    age = days_since(repo.pushed_at, today)
    return repo.archived or age is None or age > INACTIVE_DAYS


def demotions(
    report: HealthReport, tiers: Mapping[str, str | None], today: date
) -> dict[str, Reason]:
    """Gold pages whose every upstream project was looked up and is archived or idle."""
    found = {}
    for page, repos in sorted(report.pages.items()):
        looked = [report.found.get(repo) for repo in repos]
        if tiers.get(page) != "gold" or any(r is None for r in looked):
            continue
        if all(inactive(r, today) for r in looked if r is not None):
            names = ", ".join(code(repo) for repo in repos)
            found[page] = Reason("health", DEMOTION.format(names=names))
    return found


def render_health(report: HealthReport, today: date, page_link: Mapping[str, str]) -> list[str]:
    """The health section's lines (``page_link``: page -> its Markdown link)."""
    if not report.pages:
        return [HEALTH_NONE]
    s, r = [p for _, p in STAR_POINTS], [p for _, p in RECENCY_POINTS]
    lines = [
        HEALTH_NOTE.format(
            measured=MEASURED, s0=s[0], s1=s[1], s2=s[2], s3=s[3], r0=r[0], r1=r[1], r2=r[2]
        ),
        "",
        HEALTH_HEAD,
    ]
    for page, repos in sorted(report.pages.items()):
        for repo in repos:
            lines.append(_row(page_link[page], repo, report, today))
    if report.skipped:
        count = len(report.skipped)
        lines += [
            "",
            HEALTH_SKIPPED.format(
                count=count,
                repositories="repository" if count == 1 else "repositories",
                reason=report.reason,
                names=", ".join(code(name) for name in report.skipped),
            ),
        ]
    return lines


def _row(link: str, name: str, report: HealthReport, today: date) -> str:
    cells = {"page": link, "repo": code(name, in_table=True)}
    if name not in report.found:
        return HEALTH_ROW.format(
            **cells, stars="—", pushed="not looked up", archived="—", score="—"
        )
    repo = report.found[name]
    if repo is None:
        return HEALTH_ROW.format(**cells, stars="—", pushed="not found", archived="—", score="—")
    return HEALTH_ROW.format(
        **cells,
        stars=f"{repo.stars:,}",
        pushed=(repo.pushed_at or "never")[:10],
        archived="🗄️ yes" if repo.archived else "no",
        score=f"{score(repo, today)}/{MEASURED}",
    )
