"""The step's annotations: new findings first, at most GitHub's ten per severity."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.limits import ANNOTATIONS_PER_STEP
from bot.core.review.model import Review
from bot.core.rules.evaluate import Finding
from bot.core.rules.formats.github import annotation
from bot.core.rules.policy import SEVERITIES

NOT_ANNOTATED = (
    "> [!NOTE]\n> {count} more finding{s} are not annotated: GitHub shows at most "
    f"{ANNOTATIONS_PER_STEP} error and {ANNOTATIONS_PER_STEP} warning annotations per step. "
    "They are all listed above."
)


def not_annotated(left: int) -> str:
    """The summary's note on the findings left without an annotation."""
    return NOT_ANNOTATED.format(count=left, s="s" if left != 1 else "")


def rank(finding: Finding) -> int:
    return SEVERITIES.index(finding.severity)


def pick_annotations(entries: Iterable[tuple[str, Finding]]) -> tuple[list[str], int]:
    """At most ten annotations per severity, in the order given; and how many were left."""
    shown: dict[str, int] = {}
    lines, left = [], 0
    for path, finding in entries:
        if shown.get(finding.severity, 0) >= ANNOTATIONS_PER_STEP:
            left += 1
            continue
        shown[finding.severity] = shown.get(finding.severity, 0) + 1
        lines.append(annotation(path, finding))
    return lines, left


def review_annotations(review: Review, fail_on: str) -> tuple[list[str], int]:
    """The review's findings in the check run's order, at most ten per severity."""
    return pick_annotations(review.findings_to_annotate(fail_on))
