"""GitHub's size limits that tierbot's output must respect (GitHub's documentation)."""

#: Characters in an issue body or a comment body.
BODY_LIMIT = 65_536
#: A job step summary holds at most 1 MiB.
SUMMARY_LIMIT = 1_000_000
#: Files GitHub lists of a pull request.
MAX_PULL_FILES = 3_000
#: Files GitHub lists of a comparison of two commits.
MAX_COMPARE_FILES = 300
#: Error and warning annotations GitHub shows per step, each.
ANNOTATIONS_PER_STEP = 10
#: Characters in a commit status description.
STATUS_DESCRIPTION = 140
#: Characters in a check run's ``output.summary`` (and ``output.text``).
CHECK_SUMMARY_LIMIT = 65_535
#: Annotations in one check-run request; GitHub appends those of later requests.
CHECK_ANNOTATIONS_PER_REQUEST = 50
#: Annotations tierbot puts on a check run: two requests' worth, about as many as a reviewer
#: reads in the Files tab, whatever the pull request's size; the summary counts the rest.
CHECK_ANNOTATIONS_SHOWN = 2 * CHECK_ANNOTATIONS_PER_REQUEST
#: A webhook payload's size at most; GitHub waits 10 seconds for an answer.
WEBHOOK_PAYLOAD_LIMIT = 25 * 1024 * 1024


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis saying where."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def size(text: str) -> int:
    """``text``'s length as GitHub counts it against these limits (UTF-16 code units), which
    is never less than Python's: an emoji outside the BMP counts two."""
    return len(text.encode("utf-16-le")) // 2
