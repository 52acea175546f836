"""The quarterly plan as JSON: what `tierbot quarterly --format json` prints."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.core.quarterly.due import OVERDUE
from bot.core.quarterly.model import Item, Plan

JSON_VERSION = 2
_CODE_SPAN = re.compile(r"(`+) ?(.*?) ?\1")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_BOLD = re.compile(r"\*\*(.*?)\*\*")
_ZERO_WIDTH_SPACE = "\u200b"


def plain(markdown: str) -> str:
    """A reason's Markdown as plain text: code spans unwrapped (as the page spells it), bold,
    backslash escapes and entities outside them undone."""
    out = []
    for index, piece in enumerate(_CODE_SPAN.split(markdown)):
        if index % 3 == 2:  # a code span's text (split keeps its fence, then its text)
            out.append(piece)
        elif index % 3 == 0:
            out.append(html.unescape(_ESCAPED.sub(r"\1", _BOLD.sub(r"\1", piece))))
    return "".join(out).replace(_ZERO_WIDTH_SPACE, "")


def item_json(item: Item) -> dict[str, Any]:
    """A page of the review: its reasons (``kinds`` names them, in priority order), when it
    was last reviewed, its owners, and ``key``, its box's marker, which keeps its tick."""
    return {
        "page": item.path,
        "tier": item.tier,
        "kinds": list(item.kinds),
        "reasons": [plain(reason.detail) for reason in item.reasons if reason.detail],
        "dated": plain(item.dated.removeprefix(OVERDUE)),
        "owners": list(item.owners),
        "key": item.key,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan's facts: the issue's title, labels and assignees, tier counts, this quarter's
    pages (``items``) and those that wait for a later quarter (``waiting``)."""
    return {
        "version": JSON_VERSION,
        "quarter": plan.quarter.id,
        "sha": plan.sha,
        "title": plan.title,
        "labels": list(plan.labels),
        "assignees": list(plan.assignees),
        "counts": dict(plan.counts),
        "items": [item_json(item) for item in plan.items],
        "waiting": [item_json(item) for item in plan.waiting],
    }
