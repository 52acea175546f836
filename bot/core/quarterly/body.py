"""The quarterly issue as Markdown (pure): templates, markers, kept ticks, parts under the limit."""

from __future__ import annotations

from bot import __version__
from bot.core import markers
from bot.core.markdown import code
from bot.core.quarterly.facts import ATTENTION_KINDS, bucket
from bot.core.quarterly.model import Links, Plan, Sections
from bot.core.rules.report import plural
from bot.core.tiers import TIER_EMOJI, TIERS

BUCKET_EMOJI = {**TIER_EMOJI, "none": "❔", "archived": "🗄️"}
TIER_NAMES = {"none": "no valid tier", "archived": "archived"}

HEADLINE = "## 🔎 Pattern review {quarter}"
INTRO = (
    "The quarterly review of the pattern library {at}: re-judge tiers against the industry, "
    "refresh stale pages, give bronze pages migration paths. Tick an item once it is handled: "
    "tierbot keeps your ticks when it updates this issue and moves items that no longer apply "
    "to *Resolved since this issue opened*."
)
SUMMARY_HEAD = "### Summary\n\n| Tier | Pages | Since {since} | Need attention |\n|:--|--:|--:|--:|"
SUMMARY_ROW = "| {tier} | {pages} | {change} | {attention} |"
ATTENTION_HEAD = "### Needs attention: {items} on {pages}"
ATTENTION_NONE = "Nothing needs attention. 🎉"
KIND_TITLES = {
    "errors": "#### ❌ Failing error rules",
    "no-tier": "#### 🏷️ Without a valid tier",
    "banner": "#### 🚩 Banner contradicting the tier",
    "stale": "#### 🕰️ Not reviewed for over {max_age} days",
    "bronze": "#### 🥉 Bronze without migration paths",
    "gold": "#### 🏆 Gold with fewer than {min_examples} modern examples",
    "health": "#### 📉 Gold built on archived or idle projects",
}
ITEM = "- [ ] {link} — {detail} " + markers.ITEM
SINCE_HEAD = "### Since last review"
SINCE_FIRST = "This is the first quarterly review: nothing to compare with yet."
SINCE_NO_COMMIT = "{Name} recorded no commit: nothing to compare with."
SINCE_UNREAD = "{Name} was computed at {sha}, which could not be read."
SINCE_INTRO = "Since {name}, computed at {sha}:"
SINCE_NOTHING = "No page was added, removed, archived, promoted or demoted."
SINCE_GROUP = "**{title} ({count})**"
HEALTH_HEAD = "### Upstream health"
INVENTORY_HEAD = "### Inventory"
DETAILS_OPEN = "<details><summary>{emoji} {name} ({count})</summary>"
DETAILS_CLOSE = "</details>"
FOOTER = "---\n<sub>tierbot {version} · computed {at} · one issue a quarter</sub>"


def render_body(s: Sections, links: Links) -> str:
    """The whole issue body, before ticks are merged in and before it is split into parts."""
    lines = [
        markers.QUARTERLY_ISSUE.format(quarter=s.quarter.id, sha=s.sha or markers.NO_SHA),
        HEADLINE.format(quarter=s.quarter.id),
        "",
        INTRO.format(at=_at(s.sha, links)),
        "",
        *_summary(s),
        "",
        *_attention(s, links),
        "",
        markers.RESOLVED_ANCHOR,
        "",
        SINCE_HEAD,
        "",
        *_since(s, links),
        "",
        HEALTH_HEAD,
        "",
        *s.health,
        "",
        INVENTORY_HEAD,
        "",
        *_inventory(s, links),
        "",
        FOOTER.format(version=__version__, at=_at(s.sha, None)),
    ]
    return "\n".join(lines) + "\n"


def _at(sha: str | None, links: Links | None) -> str:
    """Where the review was computed, as a phrase: at a commit, or in a plain directory."""
    if not sha:
        return "in a plain directory (no commit)"
    return f"at {links.commit(sha) if links else code(sha[:12])}"


def _summary(s: Sections) -> list[str]:
    since = s.previous.column if s.previous else "last review"
    lines = [SUMMARY_HEAD.format(since=since)]
    pages_by_tier: dict[str, set[str]] = {}
    for item in s.items:
        pages_by_tier.setdefault(bucket(item.path, s.tiers.get(item.path)), set()).add(item.path)
    for tier in (*TIERS, "none", "archived"):
        change = "—"
        if s.previous_counts is not None:
            delta = s.counts[tier] - s.previous_counts[tier]
            change = f"{delta:+d}" if delta else "0"
        name = f"{BUCKET_EMOJI[tier]} {TIER_NAMES.get(tier, tier)}"
        attention = len(pages_by_tier.get(tier, ())) if tier != "archived" else "—"
        lines.append(
            SUMMARY_ROW.format(tier=name, pages=s.counts[tier], change=change, attention=attention)
        )
    total = sum(s.counts[t] for t in (*TIERS, "none"))
    lines.append(
        SUMMARY_ROW.format(
            tier="**active pages**",
            pages=total,
            change="",
            attention=len({i.path for i in s.items}),
        )
    )
    return lines


def _attention(s: Sections, links: Links) -> list[str]:
    pages = len({item.path for item in s.items})
    lines = [ATTENTION_HEAD.format(items=plural(len(s.items), "item"), pages=plural(pages, "page"))]
    if not s.items:
        return [*lines, "", ATTENTION_NONE]
    for kind in ATTENTION_KINDS:
        group = [item for item in s.items if item.kind == kind]
        if group:
            title = KIND_TITLES[kind].format(max_age=s.max_age, min_examples=s.min_examples)
            lines += ["", title, ""]
            lines += [
                ITEM.format(link=links.page(i.path), detail=i.detail, key=i.key) for i in group
            ]
    return lines


def _since(s: Sections, links: Links) -> list[str]:
    previous = s.previous
    if previous is None:
        return [SINCE_FIRST]
    where = {"name": previous.name, "Name": previous.name[:1].upper() + previous.name[1:]}
    if not previous.sha:
        return [SINCE_NO_COMMIT.format(**where)]
    if s.changes is None:
        return [SINCE_UNREAD.format(**where, sha=links.commit(previous.sha))]
    lines = [SINCE_INTRO.format(**where, sha=links.commit(previous.sha))]
    c = s.changes
    if c.empty:
        return [*lines, "", SINCE_NOTHING]
    old = Links(links.server, links.repository, previous.sha)
    groups: list[tuple[str, list[str]]] = [
        ("Added", [links.page(p) for p in c.added]),
        ("Removed", [old.page(p) for p in c.removed]),
        ("Archived", [f"{old.page(p)} → {links.page(to)}" for p, to in c.archived]),
        ("Promoted", [f"{links.page(p)}: {a} → {b}" for p, a, b in c.promoted]),
        ("Demoted", [f"{links.page(p)}: {a} → {b}" for p, a, b in c.demoted]),
    ]
    for title, entries in groups:
        if entries:
            lines += ["", SINCE_GROUP.format(title=title, count=len(entries)), ""]
            lines += [f"- {entry}" for entry in entries]
    return lines


def _inventory(s: Sections, links: Links) -> list[str]:
    lines: list[str] = []
    for tier in (*TIERS, "none", "archived"):
        paths = sorted(p for p, t in s.tiers.items() if bucket(p, t) == tier)
        if not paths:
            continue
        name = TIER_NAMES.get(tier, tier)
        lines += [DETAILS_OPEN.format(emoji=BUCKET_EMOJI[tier], name=name, count=len(paths)), ""]
        lines += [f"- {links.page(p)}" for p in paths]
        lines += ["", DETAILS_CLOSE]
    return lines


def preview(plan: Plan, note: str | None = None) -> list[str]:
    """A dry run's view of the issue: title, labels and assignees, a note, then the body."""
    lines = [
        f"Title: {plan.title}",
        f"Labels: {', '.join(plan.labels)}",
        f"Assignees: {', '.join(plan.assignees) or 'none'}",
    ]
    return [*lines, *([note] if note else []), "", plan.body]
