"""The quarterly issue as Markdown (pure): templates, markers, kept ticks, parts under the limit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot import __version__
from bot.core import markers
from bot.core.markdown import code
from bot.core.quarterly.facts import bucket
from bot.core.quarterly.model import DashboardPull, Item, Links, Plan, Sections
from bot.core.quarterly.parts import PROGRESS, merge_ticks, split_body
from bot.core.quarterly.rotation import covered_by
from bot.core.quarterly.summary import BUCKET_EMOJI, BUCKET_NAMES, render_summary
from bot.core.rules.report import plural
from bot.core.tiers import TIERS

HEADLINE = "## 🔎 Pattern review {quarter}"
INTRO = (
    "**{count} to review this quarter**, the most urgent first: failing error rules, then a "
    "tier the page contradicts, then the longest unreviewed (🕰️ over {max_age} days). For "
    "each, fix what its line names and re-judge its tier against the industry, then tick its "
    "box: tierbot opens a pull request setting the page's `last_reviewed` to that day, "
    "crediting you; merging it records the review. The library {at}{under}."
)
NOTHING = "Nothing needs a review this quarter. 🎉 The library {at}{under}."
UNDER = ", pages under {prefix}"
PAGES_HEAD = "### 📋 This quarter's pages"
ITEM = "- [ ] {line} " + markers.ITEM
WAITING = (
    "⏭️ **{count} more {pages}** need a review ({kinds}): at {budget} a quarter "
    "(`quarterly.budget`), every one is listed by {quarter}."
)
#: How the line beyond the budget names the pages of each rank (see ``model.RANKS``).
WAITING_KINDS = ((0, "failing"), (1, "contradicting their tier"), (2, "overdue"))
OWNERS = "owners {names}"
SINCE_HEAD = "### Since last review"
SINCE_FIRST = "This is the first quarterly review: nothing to compare with yet."
SINCE_NO_COMMIT = "{Name} recorded no commit: nothing to compare with."
SINCE_UNREAD = "{Name} was computed at {sha}, which could not be read."
SINCE_INTRO = "Since {name}, computed at {sha}:"
SINCE_NOTHING = "No page was added, removed, renamed, archived, promoted or demoted."
SINCE_GROUP = "**{title} ({count})**"
SINCE_FOLD = "<details><summary>{count} changes: {groups}</summary>"
#: Past this many entries, the changes are folded under one line that counts them.
SINCE_UNFOLDED = 10
HEALTH_HEAD = "### Upstream health"
INVENTORY_HEAD = "### Inventory"
DASHBOARD_HEAD = "### 📊 Health dashboard"
DASHBOARD_NOTE = (
    "The page `quarterly.dashboard` names, as `tierbot dashboard --output` writes it at this "
    "commit. The quarter's pull request, opened when a box is ticked, refreshes it there; "
    "until then, commit it by hand if it should not wait."
)
DASHBOARD_IN_PULL = (
    "The page `quarterly.dashboard` names, {path}, is refreshed in the quarter's pull request "
    "[#{number}]({url}) with the reviews its ticked boxes record: merging it publishes both."
)
DASHBOARD_FOLD = "<details><summary>{path}</summary>"
DETAILS_OPEN = "<details><summary>{emoji} {name} ({count})</summary>"
DETAILS_CLOSE = "</details>"
#: Between the parts of a dry run's issue: the comments a long body continues in.
PART_RULE = "----- comment {index} of {count} parts -----"
FOOTER = "---\n<sub>tierbot {version} · computed {at} · one issue a quarter</sub>"


def render_body(s: Sections, links: Links) -> str:
    """The whole issue body, before ticks are merged in and before it is split into parts:
    the boxes first (nothing cuts them off), then the summary and the rest."""
    lines = [
        markers.QUARTERLY_ISSUE.format(quarter=s.quarter.id, sha=s.sha or markers.NO_SHA),
        HEADLINE.format(quarter=s.quarter.id),
        "",
        _intro(s, links),
        "",
        *_pages(s, links),
        "",
        markers.RESOLVED_ANCHOR,
        "",
        *render_summary(s),
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
        *_dashboard(s),
        FOOTER.format(version=__version__, at=_at(s.sha, None)),
    ]
    return "\n".join(lines) + "\n"


def _dashboard(s: Sections) -> list[str]:
    """The dashboard page's text, folded, for a maintainer to commit (it holds no ``### ``
    line, so the body is never split inside it); a line naming the quarter's pull request
    instead once that refreshes it."""
    if s.dashboard is None:
        return []
    path, text = s.dashboard
    if isinstance(text, DashboardPull):
        said = DASHBOARD_IN_PULL.format(path=code(path), number=text.number, url=text.url)
        return [DASHBOARD_HEAD, "", said, ""]
    fold = DASHBOARD_FOLD.format(path=code(path))
    return [
        DASHBOARD_HEAD,
        "",
        DASHBOARD_NOTE,
        "",
        fold,
        "",
        "````markdown",
        text + "````",
        DETAILS_CLOSE,
        "",
    ]


def _at(sha: str | None, links: Links | None) -> str:
    """Where the review was computed, as a phrase: at a commit, or in a plain directory."""
    if not sha:
        return "in a plain directory (no commit)"
    return f"at {links.commit(sha) if links else code(sha[:12])}"


def _intro(s: Sections, links: Links) -> str:
    where = {
        "at": _at(s.sha, links),
        "under": UNDER.format(prefix=code(s.prefix)) if s.prefix else "",
    }
    if not s.chosen:
        return NOTHING.format(**where)
    return INTRO.format(**where, count=plural(len(s.chosen), "page"), max_age=s.max_age)


def page_name(path: str, prefix: str, links: Links) -> str:
    """A page as the issue names it: under the common directory, linked at the commit."""
    url = links.blob(path)
    name = code(path.removeprefix(prefix))
    return f"[{name}]({url})" if url else name


def item_line(item: Item, prefix: str, links: Links, said: set[str] | None = None) -> str:
    """A page's line: its name, its tier, every reason, its date and its owners; a reason
    in ``said`` (lines above said it) shortened, and added to it."""
    tier = item.tier or "none"
    reasons = []
    for reason in item.reasons:
        if said is not None and reason.again and reason.detail in said:
            reasons.append(reason.again)
        elif reason.detail:
            reasons.append(reason.detail)
            if said is not None:
                said.add(reason.detail)
    parts = [
        page_name(item.path, prefix, links),
        f"{BUCKET_EMOJI[tier]} {BUCKET_NAMES.get(tier, tier)}",
        *reasons,
        item.dated,
    ]
    if item.owners:
        parts.append(OWNERS.format(names=" ".join(code(o) for o in item.owners)))
    return " · ".join(parts)


def _pages(s: Sections, links: Links) -> list[str]:
    if not s.chosen:
        return []
    said: set[str] = set()
    lines = [
        PAGES_HEAD,
        "",
        PROGRESS.format(done=0, total=len(s.chosen)),
        "",
        *(ITEM.format(line=item_line(i, s.prefix, links, said), key=i.key) for i in s.chosen),
    ]
    chosen = {item.key for item in s.chosen}
    waiting = [item for item in s.due if item.key not in chosen]
    return [*lines, "", _waiting(s, waiting)] if waiting and s.budget else lines


def _waiting(s: Sections, waiting: Sequence[Item]) -> str:
    """The one line for the pages beyond the budget: how many, why, and when they come up."""
    ranks = Counter(item.rank for item in waiting)
    kinds = ", ".join(f"{ranks[rank]} {name}" for rank, name in WAITING_KINDS if ranks[rank])
    return WAITING.format(
        count=len(waiting),
        pages="page" if len(waiting) == 1 else "pages",
        kinds=kinds,
        budget=s.budget,
        quarter=covered_by(s.quarter, len(waiting), s.budget).id,
    )


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

    def now(path: str) -> str:
        return page_name(path, s.prefix, links)

    def then(path: str) -> str:
        return page_name(path, s.prefix, old)

    groups: list[tuple[str, list[str]]] = [
        ("Added", [now(p) for p in c.added]),
        ("Removed", [then(p) for p in c.removed]),
        ("Renamed", [f"{then(p)} → {now(to)}" for p, to in c.renamed]),
        ("Archived", [f"{then(p)} → {now(to)}" for p, to in c.archived]),
        ("Promoted", [f"{now(p)}: {a} → {b}" for p, a, b in c.promoted]),
        ("Demoted", [f"{now(p)}: {a} → {b}" for p, a, b in c.demoted]),
    ]
    groups = [(title, entries) for title, entries in groups if entries]
    folded = c.size > SINCE_UNFOLDED
    if folded:
        counted = ", ".join(f"{len(entries)} {title.lower()}" for title, entries in groups)
        lines += ["", SINCE_FOLD.format(count=c.size, groups=counted)]
    for title, entries in groups:
        lines += ["", SINCE_GROUP.format(title=title, count=len(entries)), ""]
        lines += [f"- {entry}" for entry in entries]
    return [*lines, "", DETAILS_CLOSE] if folded else lines


def _inventory(s: Sections, links: Links) -> list[str]:
    lines: list[str] = []
    for tier in (*TIERS, "none", "archived"):
        paths = sorted(p for p, t in s.tiers.items() if bucket(p, t) == tier)
        if not paths:
            continue
        name = BUCKET_NAMES.get(tier, tier)
        lines += [DETAILS_OPEN.format(emoji=BUCKET_EMOJI[tier], name=name, count=len(paths)), ""]
        lines += [f"- {page_name(p, s.prefix, links)}" for p in paths]
        lines += ["", DETAILS_CLOSE]
    return lines


def preview(plan: Plan, note: str | None = None) -> list[str]:
    """A dry run's view of the issue: title, labels and assignees, a note, then the body as
    it will be published, split into the issue and its comments where it must be."""
    lines = [
        f"Title: {plan.title}",
        f"Labels: {', '.join(plan.labels)}",
        f"Assignees: {', '.join(plan.assignees) or 'none'}",
    ]
    parts = split_body(merge_ticks("", plan.body), plan.quarter)
    shown = [parts[0]]
    for index, part in enumerate(parts[1:], start=2):
        shown += [PART_RULE.format(index=index, count=len(parts)), part]
    return [*lines, *([note] if note else []), "", *shown]
