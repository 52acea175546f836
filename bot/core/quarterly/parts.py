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
#: How far the quarter's pages are: ticked boxes and pages resolved since the issue opened.
PROGRESS = "**{done} of {total} reviewed** " + markers.PROGRESS
_PROGRESS_LINE = re.compile(r"^.* " + re.escape(markers.PROGRESS) + "$", re.MULTILINE)
SECTION = "### "
SECTION_CONTINUED = "{heading} (continued)"
DETAILS_CONTINUED = "<details><summary>{title} (continued)</summary>"
DETAILS_CLOSE = "</details>"
PART_HEAD = "*Pattern review {quarter}, continued: part {index} of {count}.*"
#: A part's head and a closing </details>, kept free in each part.
RESERVE = 400


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
    merged = merged.replace(
        RESOLVED_ANCHOR, RESOLVED_ANCHOR + ("\n" + section if section else ""), 1
    )
    return _progress(merged, len(kept))


def _progress(body: str, resolved: int) -> str:
    """The progress line counting the boxes ticked in ``body`` and the pages resolved."""
    marks = [mark for mark, _, _ in ITEM_LINE.findall(body)]
    done = sum(mark != " " for mark in marks) + resolved
    line = PROGRESS.format(done=done, total=len(marks) + resolved)
    return _PROGRESS_LINE.sub(lambda _: line, body, count=1)


# --- Parts ---------------------------------------------------------------------------------------


def split_body(body: str, quarter: Quarter, budget: int = PART_BUDGET) -> list[str]:
    """The body as parts each within ``budget``: the issue's body, then its comments.

    Parts break between sections (a ``### `` heading starts one), so a section continues
    whole in the next part. Only a section longer than a part is cut, between lines, where
    it starts: the next part opens with its heading marked "(continued)", and a cut inside
    ``<details>`` closes it and reopens it there. Every part carries a marker so the next
    run finds it.
    """
    limit = budget - RESERVE
    chunks: list[list[str]] = [[]]
    used = 0
    for section in _sections(body):
        cost = _cost(section)
        if chunks[-1] and used + cost > limit and cost <= limit:  # it fits a part of its own
            chunks.append([])
            used = 0
        if used + cost <= limit:
            chunks[-1] += section
            used += cost
            continue
        heading = section[0] if section[0].startswith(SECTION) else None
        reopen: str | None = None  # the <details> line open at this point
        for line in section:
            if used + _cost([line]) > limit and chunks[-1]:
                if reopen:
                    chunks[-1].append(DETAILS_CLOSE)
                head = [SECTION_CONTINUED.format(heading=heading), ""] if heading else []
                head += [_continued(reopen), ""] if reopen else []
                chunks.append(head)
                used = _cost(head)
            chunks[-1].append(line)
            used += _cost([line])
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
        parts.append("\n".join(head + lines).rstrip("\n") + "\n")
    return parts


def _sections(body: str) -> list[list[str]]:
    """The body's lines, a new list at each ``### `` heading."""
    sections: list[list[str]] = [[]]
    for line in body.rstrip("\n").split("\n"):
        if line.startswith(SECTION) and sections[-1]:
            sections.append([])
        sections[-1].append(line)
    return sections


def _cost(lines: Sequence[str]) -> int:
    return sum(size(line) + 1 for line in lines)


def _continued(line: str) -> str:
    title = re.sub(r"</?(details|summary)>", "", line).strip()
    return DETAILS_CONTINUED.format(title=title)


def join_parts(body: str, comments: Sequence[str]) -> str:
    """The whole text of an issue split in parts (ticks may be in any of them)."""
    return "\n".join(normalize(text) for text in [body, *comments])
