"""The review comment's checklist, ticked by tierbot: what the last comment asked and is now
done stays on the list, ticked and struck through, so a contributor watches it shrink.

A contributor cannot tick the bot's boxes (nor could a tick survive the next push, which
rewrites the comment), so tierbot ticks them itself. GitHub is the database: the previous
comment's checklist marker names each box's key in order, and its lines say what they asked.
"""

from __future__ import annotations

import re

from bot.core import markers
from bot.core.limits import size
from bot.core.review.comment import NEW_TITLE, SCREENS, outside_fold

#: Before the done items when no problem is left open.
ALL_DONE_TITLE = "**New problems**: none left; done since tierbot's first review:"
DONE_ITEM = "- [x] ~~{text}~~"
DONE_MORE = "- [x] … and {count} more done earlier"
_BOX = re.compile(r"^- \[([ x])\] (.*)$", re.MULTILINE)
_MORE = re.compile(r"^- \[x\] … and \d+ more done earlier$")


def carry_ticks(body: str, previous: str, limit: int) -> str:
    """``body`` (a fresh comment) with the items of ``previous`` it no longer has, ticked.

    The newest done come first; as many are shown as fit in the comment's screens, the rest
    are counted. Their keys stay in the marker, so they stay done on the next push.
    """
    now = markers.checklist_keys(body)
    before = markers.checklist_keys(markers.normalize(previous))
    if now is None or before is None:
        return body
    open_now = set(now[0])
    texts = _texts(markers.normalize(previous), before)
    if texts is None:  # the comment was edited by hand: start the list again
        return body
    newly = [key for key in before[0] if key not in open_now]
    done = [*newly, *(key for key in before[1] if key not in open_now and key not in newly)]
    if not done:
        return body
    # The marker's done keys count too: GitHub counts every character of the body.
    room = SCREENS - outside_fold(body) - size(",".join(done))
    lines: list[str] = []
    for key in done:
        text = texts.get(key)
        line = DONE_ITEM.format(text=text) if text else ""
        if not line or size(line) + 1 > room - 60:  # 60: the count line that may follow
            break
        lines.append(line)
        room -= size(line) + 1
    if len(lines) < len(done):
        lines.append(DONE_MORE.format(count=len(done) - len(lines)))
    if NEW_TITLE not in body:
        lines = [ALL_DONE_TITLE, "", *lines]
    ticked = body.replace(markers.DONE_HERE, "\n".join([*lines, markers.DONE_HERE]), 1)
    marker = markers.checklist_marker(now[0], now[1])
    ticked = ticked.replace(marker, markers.checklist_marker(now[0], done), 1)
    return ticked if size(ticked) <= limit else body


def _texts(previous: str, keys: tuple[list[str], list[str]]) -> dict[str, str] | None:
    """What each box of ``previous`` said, by key; None when its boxes and keys disagree."""
    opened: list[str] = []
    ticked: list[str] = []
    for match in _BOX.finditer(previous):
        if match[1] == " ":
            opened.append(match[2])
        elif not _MORE.match(match[0]):
            ticked.append(match[2].removeprefix("~~").removesuffix("~~"))
    if len(opened) != len(keys[0]) or len(ticked) > len(keys[1]):
        return None
    return {**dict(zip(keys[1], ticked, strict=False)), **dict(zip(keys[0], opened, strict=True))}
