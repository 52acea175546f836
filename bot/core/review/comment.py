"""Render a review as Markdown: the sticky PR comment, the check run's and the job's summary.

Written for a maintainer with a minute: the verdict in one line; the one command that fixes
what tierbot can; then what to do, a line per instruction with its pages (linked to their
lines at the head commit); the tier changes, each carrying the problem it causes; what the
change fixed; and one folded block for everything that asks nothing of anyone. However large
the pull request, the comment stays about two screens long outside that fold: it names fewer
pages per problem before it leaves out any kind of problem, and says where the rest is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot import __version__
from bot.core import markers
from bot.core.limits import BODY_LIMIT, size
from bot.core.links import common_directory
from bot.core.markdown import code, escape
from bot.core.review.fold import folded
from bot.core.review.headline import HEADLINE
from bot.core.review.model import PageReview, Review
from bot.core.review.sections import (
    DETAILS,
    FULL,
    Detail,
    PageNames,
    fixed,
    new_hits,
    problems,
)
from bot.core.review.tier_lines import tier_changes
from bot.core.rules.policy import SEVERITIES
from bot.core.rules.report import finding_json, plural

#: Characters a comment holds outside its fold: about two screens.
SCREENS = 5_500
#: Pages the fold names at most, and fewer when the body would pass GitHub's limit.
FOLD_CAPS = (300, 100, 0)
#: tierbot's documentation of the rules, linked from the footer.
RULES_DOCS = "https://github.com/tierbot/tierbot#rule-reference"

ALL_PASS = "✅ Every pattern page this pull request touches passes the tier rules."
TRUNCATED_NOTE = (
    "> [!WARNING]\n> GitHub lists at most 3,000 changed files; pages beyond them were not "
    "reviewed, and tierbot removed no labels."
)
FIX_ALL = (
    "🛠️ **{fixable} can be fixed with one command**: {command} in a checkout of this branch, "
    "then push."
)
NEW_TITLE = "**New problems**"
TIERS_TITLE = "**Tier changes**, for a maintainer to confirm:"
FIXED_TITLE = "**Fixed**"
LEFT_OUT = (
    "> [!NOTE]\n> Shortened to fit: {what} are not named here. The full report is "
    "{where}{reproduce}."
)
REPRODUCE = "; {command} prints it again"
FOOTER = (
    "<sub>tierbot {version} · reviewed at {sha}{under} · {settings} · "
    "[what the rules ask]({docs})</sub>"
)
UNDER = " · pages under {prefix}"
CHECK_RUN_LINK = "🔎 New findings are annotated on their lines in [the `tierbot` check run]({url})."
_FOLD = re.compile(r"<details>.*?</details>", re.S)


def render_review(
    review: Review,
    *,
    limit: int = BODY_LIMIT,
    full_report: str = "in this run's job summary",
    check_run_url: str | None = None,
    full: bool = False,
) -> str:
    """The Markdown for ``review`` within ``limit`` characters, as GitHub counts them.

    The comment (the default) has tick boxes tierbot ticks itself (see ``ticks``) and stays
    within ``SCREENS`` outside its fold; ``full`` (a check run's or job's summary, `tierbot
    review --full`) names every page of every problem on a line of its own, as far as
    ``limit`` allows, and has no boxes: nobody could tick them there.
    """
    details: Sequence[Detail] = (FULL, *DETAILS) if full else DETAILS
    screens = limit if full else SCREENS
    text = ""
    for fold_cap in (None, *FOLD_CAPS) if full else FOLD_CAPS:
        for detail in details:
            text = _compose(review, detail, fold_cap, full_report, check_run_url, not full)
            if size(text) <= limit and outside_fold(text) <= screens:
                return text
    return text


def outside_fold(text: str) -> int:
    """Characters of ``text`` outside its ``<details>`` blocks: what a reader scrolls past."""
    return size(_FOLD.sub("", text))


def review_json(review: Review) -> dict[str, Any]:
    """The review as `tierbot review --format json`'s versioned contract."""
    return {
        "version": 1,
        "conclusion": review.conclusion,
        "summary": review.summary,
        "files": [
            {
                "path": page.path,
                "previous_path": page.change.previous_path,
                "status": page.change.status,
                "tier_base": page.change.tier_base,
                "tier_head": page.change.tier_head,
                "findings": [
                    {**finding_json(item.finding), "state": item.state} for item in page.findings
                ],
            }
            for page in review.pages
        ],
        "labels": {"add": list(review.labels_add), "remove": list(review.labels_remove)},
        "comment": review.comment,
    }


def _compose(
    review: Review,
    detail: Detail,
    fold_cap: int | None,
    full_report: str,
    check_run_url: str | None,
    boxes: bool,
) -> str:
    pages, revisions = review.pages, review.revisions
    base_links = review.links._replace(ref=revisions.fork_point or None)
    name = PageNames(_common_directory(pages), review.links, base_links)
    out = [markers.REVIEW, HEADLINE[review.conclusion].format(verdict=escape(review.summary)), ""]
    if review.truncated:
        out += [TRUNCATED_NOTE, ""]
    if pages and all(f.state == "fixed" for page in pages for f in page.findings):
        out += [ALL_PASS, ""]
    out += _fix_all(review)
    new = problems(pages, name, detail, boxes)
    if new.lines:
        out += [NEW_TITLE, "", *new.lines]
    if boxes:
        out.append(markers.DONE_HERE)
    out.append("")
    tiers = tier_changes(pages, name, detail, boxes, review.promotions)
    done = fixed(pages, name, detail)
    for title, section in ((TIERS_TITLE, tiers), (FIXED_TITLE, done)):
        if section.lines:
            out += [title, "", *section.lines, ""]
    fold = folded(pages, name, revisions.base, fold_cap, full_report)
    left = _left_out(new.unnamed + tiers.unnamed, fold.unnamed, done.unnamed)
    if left:
        command = revisions.reproduce(review.head_sha)
        reproduce = REPRODUCE.format(command=code(command)) if command else ""
        out += [LEFT_OUT.format(what=left, where=full_report, reproduce=reproduce), ""]
    if fold.lines:
        out += [*fold.lines, ""]
    if check_run_url and any(review.total("new", severity) for severity in SEVERITIES):
        out += [CHECK_RUN_LINK.format(url=check_run_url), ""]
    sha = review.links.commit(review.head_sha) if review.head_sha else code("working tree")
    under = UNDER.format(prefix=code(name.prefix)) if name.prefix else ""
    footer = FOOTER.format(
        version=__version__, sha=sha, under=under, settings=revisions.settings, docs=RULES_DOCS
    )
    out += ["---", footer]
    if boxes:
        out.append(markers.checklist_marker(new.keys + tiers.keys))
    return "\n".join(out) + "\n"


def _fix_all(review: Review) -> list[str]:
    """The one command that applies every safe fix to the pull request's pages, said once."""
    hits = new_hits(review.pages)
    fixable = sum(hit.finding.fix is not None for hit in hits)
    if not fixable:
        return []
    since = review.revisions.since
    command = code(f"tierbot fix --since {since}" if since else "tierbot fix")
    if fixable == len(hits):
        counted = "The new problem" if fixable == 1 else f"All {fixable} new problems"
    else:
        counted = f"{fixable} of the {plural(len(hits), 'new problem')}"
    return [FIX_ALL.format(fixable=counted, command=command), ""]


def _left_out(new: int, existing: int, fixed_: int) -> str:
    """``12 new, 40 existing and 3 fixed findings``: what a shortened comment does not name."""
    parts = [
        f"{count} {state}"
        for count, state in ((new, "new"), (existing, "existing"), (fixed_, "fixed"))
        if count
    ]
    if not parts:
        return ""
    said = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{said} finding{'s' if new + existing + fixed_ != 1 else ''}"


def _common_directory(pages: Sequence[PageReview]) -> str:
    """The directory every page (and where it moved from) is under, with its slash; or ''."""
    return common_directory(
        path for page in pages for path in (page.path, page.change.previous_path) if path
    )
