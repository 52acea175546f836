"""GitHub's size limits that tierbot's output must respect (GitHub's documentation)."""

#: Characters in an issue body or a comment body.
BODY_LIMIT = 65_536
#: A job step summary holds at most 1 MiB.
SUMMARY_LIMIT = 1_000_000
#: Files GitHub lists of a pull request.
MAX_PULL_FILES = 3_000
#: Error and warning annotations GitHub shows per step, each.
ANNOTATIONS_PER_STEP = 10
#: Characters in a commit status description.
STATUS_DESCRIPTION = 140
