"""A pull request file's ``patch`` as GitHub shows it (3 lines of context), and its hunks."""

from __future__ import annotations

import difflib
import re

CONTEXT = 3  # git's default, and GitHub's


def _lines(data: bytes | None) -> list[str] | None:
    if data is None:
        return []
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None  # binary: GitHub shows no patch


def patch(base: bytes | None, head: bytes | None) -> str | None:
    """The unified diff without its ---/+++ lines, as in GitHub's files list; None if binary."""
    old, new = _lines(base), _lines(head)
    if old is None or new is None:
        return None
    diff = list(difflib.unified_diff(old, new, n=CONTEXT, lineterm=""))
    return "\n".join(diff[2:])


def head_hunks(base: bytes | None, head: bytes | None) -> list[range]:
    """The head-side line ranges (1-based) of each hunk of ``patch``."""
    old, new = _lines(base), _lines(head)
    if old is None or new is None:
        return []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ranges = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        first, last = group[0][3], group[-1][4]
        ranges.append(range(first + 1, last + 1))
    return ranges


def patch_hunks(shown: str) -> list[range]:
    """The head-side line ranges of a patch given as text, from its ``@@`` headers."""
    ranges = []
    for start, count in re.findall(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", shown, re.M):
        first = int(start)
        ranges.append(range(first, first + int(count or 1)))
    return ranges
