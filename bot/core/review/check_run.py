"""A review as its check run's output: conclusion, title, summary and line annotations."""

from __future__ import annotations

from typing import NamedTuple

from bot.core.limits import CHECK_ANNOTATIONS_SHOWN, CHECK_SUMMARY_LIMIT
from bot.core.markdown import code, escape
from bot.core.review.comment import render_review
from bot.core.review.model import Review

#: A finding's severity as a check-run annotation level.
ANNOTATION_LEVEL = {"error": "failure", "warning": "warning", "notice": "notice"}

STOPPED_TITLE = "Stopped: {cause}"
STOPPED_SUMMARY = (
    "### tierbot stopped before it finished: {cause}\n\n{detail}\n\n"
    "Nothing more was written. Push again, or run the review again, to try once more."
)
#: Characters of an error quoted (a validation error may echo a whole request).
DETAIL_LIMIT = 500

SUPERSEDED_TITLE = "Superseded by {short_sha}"
SUPERSEDED_SUMMARY = (
    "### tierbot: superseded\n\n"
    "The pull request's head moved to {sha} during this review, so its result was discarded: "
    "the review of the new head reports instead."
)

NOT_ANNOTATED = (
    "\n\n{count} more finding{s} {are} not annotated on {their} line{s}: "
    "GitHub shows {shown} annotations here, new problems and errors first; the report above "
    "lists every one."
)

SURPLUS_TITLE = "Superseded by another tierbot run"
SURPLUS_SUMMARY = (
    "### tierbot: superseded\n\n"
    "Another review of this commit reports in a newer `tierbot` run: its result is there."
)


class CheckAnnotation(NamedTuple):
    """One line annotation of a check run (GitHub's ``output.annotations`` entry)."""

    path: str
    start_line: int
    end_line: int
    level: str  # notice | warning | failure
    message: str
    title: str = ""


class CheckOutput(NamedTuple):
    """What a completed check run says."""

    conclusion: str  # success | failure | neutral
    title: str
    summary: str  # Markdown, at most CHECK_SUMMARY_LIMIT characters
    annotations: tuple[CheckAnnotation, ...] = ()


def review_output(review: Review, fail_on: str, full_report: str) -> CheckOutput:
    """The check run of ``review``: the full report as its summary, findings on lines.

    At most ``CHECK_ANNOTATIONS_SHOWN`` findings become annotations, new ones and errors
    first (``Review.findings_to_annotate``'s order): more would cost a request each 50 and
    bury what matters (two requests keep a run taken over mid-way resumable, see
    ``jobs.review.check_run``); the summary says how many more there are.
    """
    said = review.summary
    title = said[:1].upper() + said[1:]  # "no new problems …" begins the title
    findings = review.findings_to_annotate(fail_on)
    left = len(findings) - CHECK_ANNOTATIONS_SHOWN
    note = _not_annotated(left) if left > 0 else ""
    summary = render_review(
        review, limit=CHECK_SUMMARY_LIMIT - len(note), full_report=full_report, full=True
    )
    annotations = tuple(
        # GitHub needs a line: a finding of the whole page (no field's line) marks the first.
        CheckAnnotation(
            path,
            finding.line or 1,
            finding.line or 1,
            ANNOTATION_LEVEL[finding.severity],
            finding.message,
            finding.rule,
        )
        for path, finding in findings[:CHECK_ANNOTATIONS_SHOWN]
    )
    return CheckOutput(review.conclusion, title, summary + note, annotations)


def _not_annotated(count: int) -> str:
    """The summary's last paragraph: how many findings have no annotation."""
    one = count == 1
    return NOT_ANNOTATED.format(
        count=count,
        s="" if one else "s",
        are="is" if one else "are",
        their="its" if one else "their",
        shown=CHECK_ANNOTATIONS_SHOWN,
    )


def stopped_output(cause: str, detail: str) -> CheckOutput:
    """A run ended ``neutral`` because the review stopped: ``cause`` says what failed."""
    summary = STOPPED_SUMMARY.format(cause=escape(cause), detail=escape(detail[:DETAIL_LIMIT]))
    return CheckOutput("neutral", STOPPED_TITLE.format(cause=cause), summary)


def superseded_output(head_sha: str) -> CheckOutput:
    """A run ended ``neutral`` because the pull request moved on to ``head_sha``."""
    summary = SUPERSEDED_SUMMARY.format(sha=code(head_sha))
    return CheckOutput("neutral", SUPERSEDED_TITLE.format(short_sha=head_sha[:12]), summary)


def surplus_output() -> CheckOutput:
    """A run ended ``skipped``: another review of its commit reports in a newer run."""
    return CheckOutput("skipped", SURPLUS_TITLE, SURPLUS_SUMMARY)
