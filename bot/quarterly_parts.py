"""The quarterly issue's hidden markers, the ticks kept across updates, and its parts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.quarterly_facts import Quarter

ISSUE_MARKER = "<!-- tierbot:quarterly {quarter} sha={sha} -->"
PARTS_MARKER = "<!-- tierbot:quarterly-parts {count} -->"
PART_MARKER = "<!-- tierbot:quarterly-part {quarter} {index} -->"
RESOLVED_ANCHOR = "<!-- tierbot:resolved-here -->"
NO_SHA = "none"
_ISSUE = re.compile(r"<!-- tierbot:quarterly (\d{4}-Q[1-4]) sha=([0-9a-f]{4,64}|none) -->")
_PART = re.compile(r"<!-- tierbot:quarterly-part (\d{4}-Q[1-4]) (\d+) -->")
_ITEM = re.compile(r"^- \[([ xX])\] (.*) <!-- tierbot:item ([0-9a-f]{12}) -->$", re.MULTILINE)
_RESOLVED = re.compile(r"^- ✅ (.*) <!-- tierbot:resolved ([0-9a-f]{12}) -->$", re.MULTILINE)

#: GitHub's limit on an issue or comment body, in characters; parts stay well under it.
BODY_LIMIT = 65_536
PART_BUDGET = BODY_LIMIT - 2_000

RESOLVED_HEAD = "### Resolved since this issue opened ({count})"
RESOLVED_ITEM = "- ✅ {text} <!-- tierbot:resolved {key} -->"
DETAILS_CONTINUED = "<details><summary>{title} (continued)</summary>"
DETAILS_CLOSE = "</details>"
PART_HEAD = "*Pattern review {quarter}, continued: part {index} of {count}.*"


# --- Markers -------------------------------------------------------------------------------------


def issue_marker(body: str) -> tuple[str, str | None] | None:
    """(quarter id, commit SHA or None) from an issue body's marker."""
    match = _ISSUE.search(body or "")
    if not match:
        return None
    return match[1], (None if match[2] == NO_SHA else match[2])


def replace_issue_marker(body: str, replacement: str) -> str:
    """The body with its issue marker replaced (a closed duplicate is found no more)."""
    return _ISSUE.sub(replacement, normalize(body), count=1)


def part_marker(body: str) -> tuple[str, int] | None:
    """(quarter id, part index) from a continuation comment."""
    match = _PART.search(body or "")
    return (match[1], int(match[2])) if match else None


# --- Ticks ---------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """GitHub hands back bodies edited in the browser with CRLF line ends."""
    return text.replace("\r\n", "\n")


def merge_ticks(old_body: str, new_body: str) -> str:
    """``new_body`` with the ticks of ``old_body`` kept; items gone moved to the resolved list.

    A ticked item that still applies stays ticked. An item of the old body that no longer
    applies, ticked or not, is listed as resolved, and stays listed until it applies again.
    """
    old = normalize(old_body)
    old_items = {key: (mark != " ", text) for mark, text, key in _ITEM.findall(old)}
    new_keys = {key for _, _, key in _ITEM.findall(new_body)}

    def tick(match: re.Match[str]) -> str:
        ticked = old_items.get(match[3], (False, ""))[0]
        return match[0].replace("- [ ]", "- [x]", 1) if ticked else match[0]

    resolved = {key: text for text, key in _RESOLVED.findall(old)}
    resolved.update((key, text) for key, (_, text) in old_items.items())
    kept = [(key, text) for key, text in resolved.items() if key not in new_keys]
    section = ""
    if kept:
        section = "\n".join(
            [
                RESOLVED_HEAD.format(count=len(kept)),
                "",
                *(RESOLVED_ITEM.format(text=text, key=key) for key, text in kept),
                "",
            ]
        )
    merged = _ITEM.sub(tick, new_body)
    return merged.replace(RESOLVED_ANCHOR, RESOLVED_ANCHOR + ("\n" + section if section else ""), 1)


# --- Parts ---------------------------------------------------------------------------------------


def size(text: str) -> int:
    """Length as GitHub counts it (UTF-16 code units), which is never less than Python's."""
    return len(text.encode("utf-16-le")) // 2


def split_body(body: str, quarter: Quarter, budget: int = PART_BUDGET) -> list[str]:
    """The body as parts each within ``budget``: the issue's body, then its comments.

    Cuts fall between lines; a cut inside ``<details>`` closes it and reopens it in the next
    part. Every part carries a marker so the next run finds it again.
    """
    chunks: list[list[str]] = [[]]
    used = 0
    reopen: str | None = None  # the <details> line open at this point
    reserve = 400  # the part's head and a closing </details>
    for line in body.rstrip("\n").split("\n"):
        cost = size(line) + 1
        if used + cost > budget - reserve and chunks[-1]:
            if reopen:
                chunks[-1].append(DETAILS_CLOSE)
            chunks.append([_continued(reopen), ""] if reopen else [])
            used = sum(size(part) + 1 for part in chunks[-1])
        chunks[-1].append(line)
        used += cost
        if line.startswith("<details>"):
            reopen = line
        elif line == DETAILS_CLOSE:
            reopen = None
    count = len(chunks)
    parts = []
    for index, lines in enumerate(chunks, start=1):
        if index == 1:
            head = [lines[0], PARTS_MARKER.format(count=count)]
            lines = lines[1:]
        else:
            head = [
                PART_MARKER.format(quarter=quarter.id, index=index),
                PART_HEAD.format(quarter=quarter.id, index=index, count=count),
                "",
            ]
        parts.append("\n".join(head + lines) + "\n")
    return parts


def _continued(line: str) -> str:
    title = re.sub(r"</?(details|summary)>", "", line).strip()
    return DETAILS_CONTINUED.format(title=title)


def join_parts(body: str, comments: Sequence[str]) -> str:
    """The whole text of an issue split in parts (ticks may be in any of them)."""
    return "\n".join(normalize(text) for text in [body, *comments])
