"""Render a review as Markdown: the sticky PR comment, the check run's and the job's summary.

Written for a maintainer with a minute: the verdict in one line; then what to do, the new
problems as a checklist linked to their lines at the head commit (a problem several pages
share is said once, its pages under it); the tier changes; what the change fixed; and one
folded block for everything that asks nothing of anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from bot import __version__
from bot.core import markers
from bot.core.limits import BODY_LIMIT, size
from bot.core.markdown import code, escape
from bot.core.review.headline import HEADLINE
from bot.core.review.model import PageReview, Review
from bot.core.review.sections import checklist, fixed, folded, tier_changes
from bot.core.rules.policy import SEVERITIES
from bot.core.rules.report import finding_json

ALL_PASS = "✅ Every pattern page this pull request touches passes the tier rules."
TRUNCATED_NOTE = (
    "> [!WARNING]\n> GitHub lists at most 3,000 changed files; pages beyond them were not "
    "reviewed, and tierbot removed no labels."
)
NEW_TITLE = "**New problems**"
TIERS_TITLE = "**Tier changes**, for a maintainer to confirm:"
FIXED_TITLE = "**Fixed**"
LEFT_OUT = (
    "> [!NOTE]\n> {pages} more page{s} with {findings} finding{fs} did not fit in this "
    "comment. The full report is {where}."
)
FOOTER = (
    "<sub>tierbot {version} · reviewed at {sha}{under} · rules and config from the base "
    "branch</sub>"
)
UNDER = " · pages under {prefix}"
CHECK_RUN_LINK = "🔎 New findings are annotated on their lines in [the `tierbot` check run]({url})."


def render_review(
    review: Review,
    *,
    limit: int = BODY_LIMIT,
    full_report: str = "in this run's job summary",
    check_run_url: str | None = None,
) -> str:
    """The Markdown for ``review``; whole pages, the least important first, are left out to
    stay within ``limit`` characters, as GitHub counts them (``limits.size``)."""
    ordered = sorted(review.pages, key=_importance)

    def showing(count: int) -> str:
        return _compose(review, ordered[:count], ordered[count:], full_report, check_run_url)

    text = showing(len(ordered))
    if size(text) <= limit:
        return text
    fits, over = 0, len(ordered)  # the most pages that fit lie in [fits, over)
    while over - fits > 1:
        middle = (fits + over) // 2
        if size(showing(middle)) <= limit:
            fits = middle
        else:
            over = middle
    return showing(fits)


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
    pages: Sequence[PageReview],
    left: Sequence[PageReview],
    full_report: str,
    check_run_url: str | None,
) -> str:
    prefix = _common_directory(review.pages)

    def name(path: str) -> str:
        return code(path.removeprefix(prefix))

    out = [markers.REVIEW, HEADLINE[review.conclusion].format(verdict=escape(review.summary)), ""]
    if review.truncated:
        out += [TRUNCATED_NOTE, ""]
    if review.pages and all(f.state == "fixed" for page in review.pages for f in page.findings):
        out += [ALL_PASS, ""]
    sections = (
        (NEW_TITLE, checklist(pages, name, review.links)),
        (TIERS_TITLE, tier_changes(pages, name)),
        (FIXED_TITLE, fixed(pages, name)),
    )
    for title, lines in sections:
        if lines:
            out += [title, "", *lines]
    if left:
        findings = sum(len(page.findings) for page in left)
        out += [
            LEFT_OUT.format(
                pages=len(left),
                s="s" if len(left) != 1 else "",
                findings=findings,
                fs="s" if findings != 1 else "",
                where=full_report,
            ),
            "",
        ]
    out += folded(pages, name)
    if check_run_url and any(review.total("new", severity) for severity in SEVERITIES):
        out += [CHECK_RUN_LINK.format(url=check_run_url), ""]
    sha = review.links.commit(review.head_sha) if review.head_sha else code("working tree")
    under = UNDER.format(prefix=code(prefix)) if prefix else ""
    out += ["---", FOOTER.format(version=__version__, sha=sha, under=under)]
    return "\n".join(out) + "\n"


def _importance(page: PageReview) -> tuple[int, ...]:
    """What is left out last: new errors, new warnings, tier changes, fixes, then the rest."""
    return (
        -page.tally("new", "error"),
        -page.tally("new", "warning"),
        -page.change.tier_changed,
        -page.tally("new"),
        -page.tally("fixed"),
        -page.tally("existing"),
    )


def _common_directory(pages: Sequence[PageReview]) -> str:
    """The directory every page (and where it moved from) is under, with its slash; or ''."""
    paths = [path for page in pages for path in (page.path, page.change.previous_path) if path]
    common: list[str] = []
    for parts in zip(*(PurePosixPath(path).parent.parts for path in paths), strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""
