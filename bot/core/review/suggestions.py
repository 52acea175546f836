"""One-click fixes on the pull request: review comments whose ```suggestion block is the fix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from bot.core import markers
from bot.core.fixes import line_edit
from bot.core.markdown import message
from bot.core.review.diff import changed_span, hunks
from bot.core.rules.evaluate import Finding

SUGGESTION_BODY = """\
{marker}
**{rule}**: {message}

{fence}suggestion
{lines}{fence}
"""
REVIEW_BODY = """\
{marker}
tierbot suggests {count} fix{plural} for new findings on lines this pull request changed: \
**Commit suggestion** applies one, **Add suggestion to batch** several at once.
"""


class SuggestedEdit(NamedTuple):
    """A fix as whole lines: head lines ``first``..``last`` of ``path`` become ``lines``."""

    path: str
    first: int
    last: int
    lines: tuple[str, ...]  # without line endings
    fingerprint: str
    rule: str
    message: str  # the finding's, as Markdown (contributor text escaped)


class ReviewCommentDraft(NamedTuple):
    """A line comment to post with a review (GitHub's ``comments[]`` entry)."""

    path: str
    line: int
    start_line: int | None  # the first line when the comment spans several
    body: str
    fingerprint: str  # the finding's; its marker is in ``body``


def fingerprint(path: str, rule: str, field: str | None) -> str:
    """A finding's identity across runs and pushes: its page, rule and field, hashed short."""
    return markers.short_key(path, rule, field or "")


def suggested_edits(
    path: str, text: str, findings: Iterable[Finding], patch: str | None
) -> tuple[SuggestedEdit, ...]:
    """The fixes of ``findings`` (new ones, on the page ``text`` at head) that GitHub can show
    as suggestions: those on lines the pull request changed, as ``patch`` says.

    GitHub refuses a comment off the diff; a fix elsewhere stays in the checklist only.
    """
    found = hunks(patch)
    edits = []
    for finding in findings:
        if finding.fix is None:
            continue
        lines = line_edit(text, finding.fix)
        if changed_span(found, lines.first, lines.last):
            edits.append(
                SuggestedEdit(
                    path,
                    lines.first,
                    lines.last,
                    tuple(lines.text.splitlines()),
                    fingerprint(path, finding.rule, finding.field),
                    finding.rule,
                    message(finding.message),
                )
            )
    return tuple(edits)


def drafts(edits: Iterable[SuggestedEdit], done: frozenset[str]) -> tuple[ReviewCommentDraft, ...]:
    """The comments to post: one per edit whose fingerprint is not in ``done`` (posted before)."""
    made = []
    for edit in edits:
        if edit.fingerprint in done:
            continue
        body = SUGGESTION_BODY.format(
            marker=markers.SUGGESTION.format(fingerprint=edit.fingerprint),
            rule=edit.rule,
            message=edit.message,
            fence=_fence(edit.lines),
            lines="".join(f"{line}\n" for line in edit.lines),
        )
        start = edit.first if edit.first < edit.last else None
        made.append(ReviewCommentDraft(edit.path, edit.last, start, body, edit.fingerprint))
    return tuple(made)


def review_body(count: int) -> str:
    return REVIEW_BODY.format(marker=markers.SUGGESTIONS, count=count, plural="es" * (count != 1))


def _fence(lines: tuple[str, ...]) -> str:
    """A fence longer than any backtick run in ``lines``: the page's own fences stay text."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    return "`" * max(3, longest + 1)
