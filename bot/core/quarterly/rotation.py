"""This quarter's pages (pure): at most the budget, by priority, rotating through the library.

GitHub holds the rotation: each quarter's issue names its pages by their boxes' hidden keys
(ticked, open or resolved). A page comes up again only after every page that needs a review
has come up since (least recently listed first, by priority among equals), so each one is
listed within ⌈pages / budget⌉ quarters. Within a quarter the choice is kept: a page reviewed
or fixed since the issue opened still counts against the budget, and no other takes its place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from bot.core import markers
from bot.core.markers import normalize
from bot.core.quarterly.model import Item, Quarter, Rotation

_KEYS = re.compile(
    "|".join(
        markers.regex(template, key=r"[0-9a-f]{12}")
        for template in (markers.ITEM, markers.RESOLVED)
    )
)


def listed_keys(body: str) -> frozenset[str]:
    """The keys of the pages an issue body lists: open, ticked or resolved."""
    return frozenset(
        key for match in _KEYS.finditer(normalize(body)) for key in match.groups() if key
    )


def rotation_of(bodies: Sequence[tuple[Quarter, str]]) -> Rotation:
    """What each quarter's issue listed (a quarter with duplicates: all of them)."""
    listed: dict[Quarter, frozenset[str]] = {}
    for quarter, body in bodies:
        listed[quarter] = listed.get(quarter, frozenset()) | listed_keys(body)
    return Rotation(listed)


def choose(due: Sequence[Item], budget: int, quarter: Quarter, rotation: Rotation) -> list[Item]:
    """This quarter's pages among ``due`` (in priority order); ``budget`` 0: every one."""
    if not budget:
        return list(due)
    mine = rotation.listed.get(quarter)
    kept = [item for item in due if mine is not None and item.key in mine]
    room = budget - len(mine) if mine is not None else budget
    last = _last_listed(rotation, quarter)
    waiting = sorted(
        (item for item in due if item not in kept),
        key=lambda item: (last.get(item.key, 0), item.priority),
    )
    chosen = {item.key for item in [*kept, *waiting[: max(room, 0)]]}
    return [item for item in due if item.key in chosen]


def _last_listed(rotation: Rotation, quarter: Quarter) -> Mapping[str, int]:
    """Key -> the ordinal of the latest earlier quarter that listed it."""
    last: dict[str, int] = {}
    for listed_in, keys in sorted(rotation.listed.items()):
        if listed_in < quarter:
            last.update(dict.fromkeys(keys, listed_in.ordinal))
    return last


def covered_by(quarter: Quarter, waiting: int, budget: int) -> Quarter:
    """The quarter by which ``waiting`` pages are listed, ``budget`` a quarter after this one."""
    return Quarter.of_ordinal(quarter.ordinal + math.ceil(waiting / budget))
