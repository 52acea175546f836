"""Whether a person may write to the repository: what asks on their behalf must check first."""

from __future__ import annotations

from bot.errors import NotFound
from bot.port.operations import GetPermission, Job, ask

#: GitHub reports `maintain` as write and `triage` as read in ``permission``.
WRITE_PERMISSIONS = frozenset({"admin", "write"})


def permission_of(user: str) -> Job[str]:
    """``user``'s permission on the repository: admin, write, read or none."""
    try:
        permission: str = yield from ask(GetPermission(user))
    except NotFound:  # not a user any more
        return "none"
    return permission


def may_write(permission: str) -> bool:
    return permission in WRITE_PERMISSIONS
