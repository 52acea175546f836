"""The quarterly issue's ticks kept across updates, and its parts under GitHub's body limit."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core import markers
from bot.core.limits import BODY_LIMIT, size
from bot.core.markers import ITEM_LINE, RESOLVED_ANCHOR, RESOLVED_LINE, normalize
from bot.core.quarterly.model import Quarter

#: Parts stay well under GitHub's limit on a body.
PART_BUDGET = BODY_LIMIT - 2_000

RESOLVED_HEAD = "### Resolved since this issue opened ({count})"
RESOLVED_ITEM = "- ✅ {text} " + markers.RESOLVED
DETAILS_CONTINUED = "<details><summary>{title} (continued)</summary>"
DETAILS_CLOSE = "</details>"
PART_HEAD = "*Pattern review {quarter}, continued: part {index} of {count}.*"


# --- Ticks ---------------------------------------------------------------------------------------


def merge_ticks(old_body: str, new_body: str) -> str:
    """``new_body`` with the ticks of ``old_body`` kept; items gone moved to the resolved list.

    A ticked item that still applies stays ticked. An item of the old body that no longer
    applies, ticked or not, is listed as resolved, and stays listed until it applies again.
    """
    old = normalize(old_body)
    old_items = {key: (mark != " ", text) for mark, text, key in ITEM_LINE.findall(old)}
    new_keys = {key for _, _, key in ITEM_LINE.findall(new_body)}

    def tick(match: re.Match[str]) -> str:
        ticked = old_items.get(match[3], (False, ""))[0]
        return match[0].replace("- [ ]", "- [x]", 1) if ticked else match[0]

    resolved = {key: text for text, key in RESOLVED_LINE.findall(old)}
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
    merged = ITEM_LINE.sub(tick, new_body)
    return merged.replace(RESOLVED_ANCHOR, RESOLVED_ANCHOR + ("\n" + section if section else ""), 1)


# --- Parts ---------------------------------------------------------------------------------------


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
            head = [lines[0], markers.QUARTERLY_PARTS.format(count=count)]
            lines = lines[1:]
        else:
            head = [
                markers.QUARTERLY_PART.format(quarter=quarter.id, index=index),
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
