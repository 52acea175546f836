"""Pages' owners from the repository's CODEOWNERS file, and whom the quarter's issue is assigned.

GitHub's CODEOWNERS syntax (gitignore-like patterns, the last match wins, a pattern with no
owners clears them) is parsed by the `codeowners` library, a port of the parsers GitHub's
own tooling ecosystem uses (hmarr/codeowners in Go): tierbot does not keep a third copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from codeowners import CodeOwners

from bot.core.quarterly.model import Item
from bot.core.rules.evaluate import Unreadable

#: Where GitHub looks for the file, in its order: the first one found is used.
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
#: GitHub assigns an issue to at most this many people.
MAX_ASSIGNEES = 10


def codeowners_text(found: Mapping[str, bytes | Unreadable | None]) -> str | None:
    """The text of the first CODEOWNERS file GitHub would use, among the files read."""
    for path in CODEOWNERS_PATHS:
        data = found.get(path)
        if isinstance(data, bytes):
            return data.decode("utf-8", "replace")
    return None


def owners_of(text: str | None, paths: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Path -> its owners (``@user``, ``@org/team``, an email); a file GitHub would reject
    (a pattern it cannot read) names no owners rather than the wrong ones."""
    if not text:
        return {}
    try:
        rules = CodeOwners(text)
    except ValueError:
        return {}
    found = {}
    for path in paths:
        owners = tuple(owner for _, owner in rules.of(path))
        if owners:
            found[path] = owners
    return found


def assignees(items: Iterable[Item], limit: int = MAX_ASSIGNEES) -> tuple[str, ...]:
    """The people (not teams or emails) owning ``items``: who owns the most pages first."""
    counts = Counter(
        owner.removeprefix("@")
        for item in items
        for owner in item.owners
        if owner.startswith("@") and "/" not in owner
    )
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].lower()))
    return tuple(login for login, _ in ranked[:limit])
