"""Which files are pattern pages: the config's globs choose them, a declared `type` opts out.

The two tests live on `Config` (`is_pattern_page` for a path, `other_type` for a page's
front matter); this module applies them where a page's bytes or a skip's reason are at hand,
so `tierbot check`, the pull request review and the quarterly review select the same pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from bot.core.config import Config
from bot.core.documents import Document, parse_document

#: Why a file was skipped: an `exclude` glob matched it, or it declares another `type`.
EXCLUDE, TYPE = "exclude", "type"


class Skipped(NamedTuple):
    """A file tierbot did not check, and why."""

    path: str
    reason: str  # EXCLUDE or TYPE
    detail: str  # the glob that matched, or the type the page declares


def skipped_type(config: Config, path: str, meta: Mapping[str, Any] | None) -> Skipped | None:
    """The skip of a parsed page that declares a type not in ``types``, else None."""
    declared = config.other_type(meta)
    return Skipped(path, TYPE, declared) if declared is not None else None


def is_pattern_change(config: Config, *sides: object) -> bool:
    """Whether a changed page is reviewed: unless every side read declares another type.

    A side is the page's bytes, or the ``Document`` already parsed from them (not parsed
    again). A page that stops being a pattern (`type: pattern` → `type: guide`) is still
    reviewed, so a pull request cannot take a page out of review by retyping it; a side that
    is neither (absent, or not read) tells nothing.
    """
    read = [side for side in sides if side is not None]
    return not read or any(config.other_type(_meta(side)) is None for side in read)


def _meta(side: object) -> Mapping[str, Any] | None:
    """The front matter of a side read; None (no declared type) for one that was not."""
    if isinstance(side, Document):
        return side.meta
    return parse_document("", side).meta if isinstance(side, bytes) else None
