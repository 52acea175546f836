"""The quarterly plan as JSON: what `tierbot quarterly --format json` prints."""

from __future__ import annotations

import re
from typing import Any

from bot.core.quarterly.model import Plan

JSON_VERSION = 1
_CODE_SPAN = re.compile(r"(`+) ?(.*?) ?\1")
_ZERO_WIDTH_SPACE = "\u200b"


def plain(markdown: str) -> str:
    """An item's Markdown detail as plain text: code spans unwrapped, as the page spells it."""
    return _CODE_SPAN.sub(r"\2", markdown).replace(_ZERO_WIDTH_SPACE, "")


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan's facts: the issue's title, labels and assignees, tier counts, and every item
    (``page``, ``kind``, ``reason``; ``key`` is the item's marker, which keeps its tick)."""
    return {
        "version": JSON_VERSION,
        "quarter": plan.quarter.id,
        "sha": plan.sha,
        "title": plan.title,
        "labels": list(plan.labels),
        "assignees": list(plan.assignees),
        "counts": dict(plan.counts),
        "items": [
            {"page": item.path, "kind": item.kind, "reason": plain(item.detail), "key": item.key}
            for item in plan.items
        ],
    }
