"""Which files are pattern pages: the config's globs choose them; a declared `type` or a
redirect opts out.

The tests of a path and of a page's `type` live on `Config` (`is_pattern_page`,
`other_type`); this module adds the redirects (a stub's `redirect_to`, the site's
`redirect_maps`) and applies them where a page's bytes or a skip's reason are at hand, so
`tierbot check`, the pull request review and the quarterly review select the same pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from bot.core.config import Config
from bot.core.documents import Document, parse_document
from bot.core.mkdocs import MKDOCS_FILES, Redirects

#: Why a file was skipped: an `exclude` glob matched it, it declares another `type`, or it
#: sends its readers to another page.
EXCLUDE, TYPE, REDIRECT = "exclude", "type", "redirect"
#: The front-matter field of a redirect stub (`redirect_to: /circuit-breaker-transformed/`).
REDIRECT_FIELD = "redirect_to"
#: What redirects a page the site's configuration maps away (its `redirect_maps`).
SITE_FILE = MKDOCS_FILES[0]


class Skipped(NamedTuple):
    """A file tierbot did not check, and why."""

    path: str
    reason: str  # EXCLUDE, TYPE or REDIRECT
    detail: str  # the glob that matched, the type declared, or REDIRECT_FIELD or the site file


class Redirected(NamedTuple):
    """A page that sends its readers elsewhere, so no pattern page: where, and what says so."""

    target: str  # a repository page, or a URL as written
    by: str  # REDIRECT_FIELD or SITE_FILE


def redirect_of(meta: Mapping[str, Any] | None) -> str | None:
    """The URL a redirect stub's front matter sends readers to (`redirect_to`); None for a page."""
    target = meta.get(REDIRECT_FIELD) if meta is not None else None
    return target.strip() if isinstance(target, str) and target.strip() else None


def redirect_in(data: object) -> str | None:
    """The `redirect_to` of a page's bytes (parsed only when they name the field)."""
    if not isinstance(data, bytes) or REDIRECT_FIELD.encode() not in data:
        return None
    return redirect_of(parse_document("", data).meta)


def sent_elsewhere(side: object, mapped_to: str | None) -> Redirected | None:
    """How a page read at head sends readers elsewhere: its `redirect_to` (``mapped_to`` being
    the page that URL was found to be, if it was), else the site's redirect to ``mapped_to``."""
    url = redirect_of(_meta(side))
    if url is not None:
        return Redirected(mapped_to or url, REDIRECT_FIELD)
    return Redirected(mapped_to, SITE_FILE) if mapped_to is not None else None


def skipped_page(
    config: Config, path: str, meta: Mapping[str, Any] | None, redirects: Redirects = Redirects()
) -> Skipped | None:
    """The skip of a parsed page that is no pattern page: it declares a type not in
    ``types``, or it is a redirect (its `redirect_to`, or ``redirects`` maps it away)."""
    declared = config.other_type(meta)
    if declared is not None:
        return Skipped(path, TYPE, declared)
    if redirect_of(meta) is not None:
        return Skipped(path, REDIRECT, REDIRECT_FIELD)
    if redirects.redirect(path) is not None:
        return Skipped(path, REDIRECT, redirects.source or SITE_FILE)
    return None


def is_pattern_change(config: Config, *sides: object) -> bool:
    """Whether a changed page is reviewed: unless every side read is another type or a redirect.

    A side is the page's bytes, the ``Document`` already parsed from them (not parsed again),
    or how it is ``Redirected``. A page that stops being a pattern (`type: pattern` →
    `type: guide`, or a stub's `redirect_to`) is still reviewed, so a pull request cannot take
    a page out of review by retyping or redirecting it; a side that is neither (absent, or not
    read) tells nothing.
    """
    read = [side for side in sides if side is not None]
    return not read or any(_is_pattern(config, side) for side in read)


def _is_pattern(config: Config, side: object) -> bool:
    meta = _meta(side)
    return not isinstance(side, Redirected) and skipped_page(config, "", meta) is None


def _meta(side: object) -> Mapping[str, Any] | None:
    """The front matter of a side read; None (no declared type) for one that was not."""
    if isinstance(side, Document):
        return side.meta
    return parse_document("", side).meta if isinstance(side, bytes) else None
