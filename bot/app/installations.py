"""`installation` and `installation_repositories` deliveries: logged, nothing to review."""

from __future__ import annotations

import logging

from gidgethub import sansio
from gidgethub.routing import Router

from bot.app.payload import field, optional
from bot.app.work import Intake

log = logging.getLogger(__name__)

router = Router()

INSTALLATION = "installation %d on %s: %s"
REPOSITORIES = "installation %d on %s: repositories added: %s; removed: %s"


@router.register("installation")
async def installation(event: sansio.Event, intake: Intake) -> None:
    """The App was installed, uninstalled, suspended or given new permissions."""
    log.info(INSTALLATION, *_who(event), field(event.data, "action", str))


@router.register("installation_repositories")
async def repositories(event: sansio.Event, intake: Intake) -> None:
    """Repositories were added to or removed from an installation."""
    added, removed = (
        ", ".join(field(repo, "full_name", str) for repo in optional(event.data, key, list) or ())
        or "none"
        for key in ("repositories_added", "repositories_removed")
    )
    log.info(REPOSITORIES, *_who(event), added, removed)


def _who(event: sansio.Event) -> tuple[int, str]:
    return (
        field(event.data, "installation.id", int),
        optional(event.data, "installation.account.login", str) or "an account",
    )
