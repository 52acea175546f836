"""The lines of a page a review comment may sit on: the head side of the pull request's hunks."""

from __future__ import annotations

import re
from typing import NamedTuple

HUNK_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class Hunk(NamedTuple):
    """One hunk's lines at head: ``first``..``last``, and which of them the pull request added."""

    first: int
    last: int
    added: frozenset[int]


def hunks(patch: str | None) -> tuple[Hunk, ...]:
    """The hunks of a file's unified diff (GitHub's ``patch``); () for none or no patch.

    GitHub leaves ``patch`` out for binary files and very large diffs: nothing can be
    commented on there.
    """
    if not patch:
        return ()
    found: list[Hunk] = []
    line = first = 0
    added: set[int] = set()
    for text in patch.splitlines():
        header = HUNK_HEADER.match(text)
        if header:
            if line > first:
                found.append(Hunk(first, line - 1, frozenset(added)))
            first = line = int(header.group(1))
            added = set()
        elif not first and not found:
            continue  # anything before the first header
        elif text.startswith("+"):
            added.add(line)
            line += 1
        elif text.startswith(" ") or text == "":
            line += 1
        # "-" lines are the base's only; "\ No newline at end of file" is neither side's
    if line > first:
        found.append(Hunk(first, line - 1, frozenset(added)))
    return tuple(found)


def changed_span(found: tuple[Hunk, ...], first: int, last: int) -> bool:
    """Whether lines ``first``..``last`` at head lie in one hunk and the pull request added one.

    GitHub refuses a comment whose lines are not part of one hunk of the diff; a suggestion
    on lines the pull request did not touch would be about someone else's text.
    """
    return any(
        hunk.first <= first and last <= hunk.last and any(first <= n <= last for n in hunk.added)
        for hunk in found
    )
