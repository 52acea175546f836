"""Render a review as Markdown: the sticky PR comment and the job summary share this code."""

from __future__ import annotations

from typing import Any

from bot import __version__
from bot.core import markers
from bot.core.limits import BODY_LIMIT
from bot.core.markdown import code, escape, message
from bot.core.review.model import PageReview, Review, ReviewFinding
from bot.core.rules.report import finding_json
from bot.core.tiers import TIER_EMOJI

SEVERITY_EMOJI = {"error": "❌", "warning": "⚠️", "notice": "ℹ️"}

HEADLINE_FAILURE = "### ❌ tierbot: {summary}"
HEADLINE_SUCCESS = "### ✅ tierbot: {summary}"
HEADLINE_NEUTRAL = "### tierbot: {summary}"
ALL_PASS = "✅ Every pattern page this pull request touches passes the tier rules."
TRUNCATED_NOTE = (
    "> [!WARNING]\n> GitHub lists at most 3,000 changed files; pages beyond them were not "
    "reviewed, and tierbot removed no labels."
)
TABLE_HEAD = "| Page | Tier | New | Already on main | Fixed |\n|:--|:--|--:|--:|--:|"
EXISTING_OPEN = "<details><summary>{count} already on main — not blocking</summary>\n"
EXISTING_CLOSE = "</details>"
LEFT_OUT = (
    "> [!NOTE]\n> {pages} more page{s} with {findings} finding{fs} did not fit in this "
    "comment. The full report is {where}."
)
FOOTER = "<sub>tierbot {version} · reviewed at {sha} · rules and config from the base branch</sub>"
CHECK_RUN_LINK = "🔎 New findings are annotated on their lines in [the `tierbot` check run]({url})."


def render_review(
    review: Review,
    *,
    limit: int = BODY_LIMIT,
    full_report: str = "in this run's job summary",
    check_run_url: str | None = None,
) -> str:
    """The Markdown for ``review``, cut per page to stay within ``limit`` characters."""
    headline = {
        "failure": HEADLINE_FAILURE,
        "success": HEADLINE_SUCCESS,
        "neutral": HEADLINE_NEUTRAL,
    }[review.conclusion].format(summary=escape(review.summary))
    head = [markers.REVIEW, headline, ""]
    if review.truncated:
        head += [TRUNCATED_NOTE, ""]
    if review.pages and not _has_findings(review):
        head += [ALL_PASS, ""]
    sha = code(review.head_sha[:12] or "working tree")
    footer = ["---", FOOTER.format(version=__version__, sha=sha)]
    if check_run_url:
        footer[:0] = [CHECK_RUN_LINK.format(url=check_run_url), ""]
    # Leave room for the footer and for the note on what was left out.
    budget = limit - _length(head) - _length(footer) - 400
    rows: list[str] = []
    sections: list[str] = []
    shown = 0
    ordered = _by_importance(review.pages)
    for page in ordered:
        row, section = _row(page), _section(page)
        cost = len(row) + len(section) + 2
        if cost > budget:
            break
        budget -= cost
        rows.append(row)
        if section:
            sections.append(section)
        shown += 1
    body = [TABLE_HEAD, *rows, ""] if rows else []
    body += [section + "\n" for section in sections]
    left = ordered[shown:]
    if left:
        findings = sum(len(page.findings) for page in left)
        body.append(
            LEFT_OUT.format(
                pages=len(left),
                s="s" if len(left) != 1 else "",
                findings=findings,
                fs="s" if findings != 1 else "",
                where=full_report,
            )
            + "\n"
        )
    return "\n".join(head + body + footer) + "\n"


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


def _length(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _has_findings(review: Review) -> bool:
    return any(f.state != "fixed" for page in review.pages for f in page.findings)


def _by_importance(pages: tuple[PageReview, ...]) -> list[PageReview]:
    """Pages with new errors first, then new warnings, then the rest, each by path."""
    return sorted(
        pages,
        key=lambda page: (-page.tally("new", "error"), -page.tally("new", "warning"), page.path),
    )


def _tier(tier: str | None) -> str:
    return f"{TIER_EMOJI[tier]} {tier}" if tier else "none"


def _tier_cell(page: PageReview) -> str:
    change = page.change
    if change.status == "removed":
        return f"{_tier(change.tier_base)} → deleted"
    if change.tier_changed:
        return f"{_tier(change.tier_base)} → {_tier(change.tier_head)}"
    return _tier(change.tier_head)


def _row(page: PageReview) -> str:
    counts = (page.tally(state) for state in ("new", "existing", "fixed"))
    cells = [code(page.path, in_table=True), _tier_cell(page), *map(str, counts)]
    return "| " + " | ".join(cells) + " |"


def _where(item: ReviewFinding) -> str:
    line = item.finding.line
    return f" (line {line})" if line else ""


def _section(page: PageReview) -> str:
    """A page's checklist: new problems to tick, existing ones folded, fixed ones ✅."""
    new = [f for f in page.findings if f.state == "new"]
    existing = [f for f in page.findings if f.state == "existing"]
    fixed = [f for f in page.findings if f.state == "fixed"]
    if not page.findings:
        return ""
    emoji = TIER_EMOJI.get(page.change.tier_head or page.change.tier_base or "", "📄")
    moved = page.change.previous_path
    title = f"#### {emoji} {code(page.path)}" + (f" (moved from {code(moved)})" if moved else "")
    lines = [title]
    if new or fixed:
        lines.append("")
    for item in new:
        finding = item.finding
        lines.append(
            f"- [ ] {SEVERITY_EMOJI[finding.severity]} {message(finding.checklist)}{_where(item)}"
            f" — {message(finding.message)} `{finding.rule}`"
        )
    for item in fixed:
        lines.append(f"- ✅ Fixed: {message(item.finding.message)} `{item.finding.rule}`")
    if existing:
        lines += ["", EXISTING_OPEN.format(count=_problems(len(existing)))]
        for item in existing:
            finding = item.finding
            lines.append(
                f"- {SEVERITY_EMOJI[finding.severity]} {message(finding.message)}{_where(item)}"
                f" `{finding.rule}`"
            )
        lines.append(EXISTING_CLOSE)
    return "\n".join(lines)


def _problems(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''}"
