"""One-click fixes on the pull request: review comments whose ```suggestion block is the fix."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from bot.core import markers
from bot.core.review.diff import Hunk, changed_span

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
    message: str  # the finding's, already escaped for Markdown


class ReviewCommentDraft(NamedTuple):
    """A line comment to post with a review (GitHub's ``comments[]`` entry)."""

    path: str
    line: int
    start_line: int | None  # the first line when the comment spans several
    body: str
    fingerprint: str  # the finding's; its marker is in ``body``


def fingerprint(path: str, rule: str, field: str | None) -> str:
    """A finding's identity across runs and pushes: its page, rule and field, hashed short."""
    digest = hashlib.sha256(f"{path}\0{rule}\0{field or ''}".encode()).hexdigest()
    return digest[:12]


def drafts(
    edits: Iterable[SuggestedEdit], files: Mapping[str, tuple[Hunk, ...]], done: frozenset[str]
) -> tuple[ReviewCommentDraft, ...]:
    """The comments to post: one per edit on lines the pull request changed, not yet posted.

    ``files`` holds each changed page's hunks; an edit elsewhere gets no comment (GitHub
    refuses lines outside the diff), nor one whose fingerprint is in ``done``.
    """
    made = []
    for edit in edits:
        if edit.fingerprint in done or not changed_span(
            files.get(edit.path, ()), edit.first, edit.last
        ):
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
