"""The site's configuration at a revision (mkdocs.yml, read with the pages): its redirects."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.core.mkdocs import Redirects, read_redirects

log = logging.getLogger(__name__)


def site_redirects(files: Mapping[str, object], ref: str) -> Redirects:
    """The redirects of the site file among ``files``, read at ``ref``; a file that cannot be
    read redirects nothing, and the log says why."""
    redirects = read_redirects(files)
    if redirects.problem is not None:
        log.warning(
            "%s at %s not read (%s): pages are judged as if not redirected",
            redirects.source,
            ref[:12],
            redirects.problem,
        )
    return redirects
