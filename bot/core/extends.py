"""Organisation-wide settings: what `_extends` names; one file's settings laid over another's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from bot.core.config import CONFIG_PATH, EXTENDS
from bot.core.markdown import code
from bot.errors import ConfigError

#: The repository whose settings every repository of its owner lies over by default.
OWNER_REPOSITORY = ".github"
#: Probot's grammar: ``[OWNER/]NAME[:PATH.yml]``, an owner spelt as GitHub allows it.
_TARGET = re.compile(
    r"(?:(?P<owner>[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})/)?"
    r"(?P<name>[-\w.]+)"
    r"(?::(?P<path>[-\w./]+\.ya?ml))?",
    re.IGNORECASE,
)
HOW = "`.github`, `REPOSITORY`, `OWNER/REPOSITORY`, each optionally followed by `:PATH.yml`"


class Extends(NamedTuple):
    """The settings file a repository's lie over: a repository (of the same owner when
    ``owner`` is empty) and a path in it, read at its default branch."""

    owner: str = ""
    name: str = OWNER_REPOSITORY
    path: str = CONFIG_PATH

    def full_name(self, home: str) -> str:
        """OWNER/NAME of the repository, ``home`` (OWNER/NAME) lending its owner."""
        return f"{self.owner or home.split('/')[0]}/{self.name}"


class Extended(NamedTuple):
    """The owner's settings file a run's lie over, as the review's footer names it."""

    repository: str  # OWNER/NAME
    path: str
    under_own: bool  # the repository's own file lies over it

    def __str__(self) -> str:
        return f"{code(self.repository)} › {code(self.path)}"


def parse_extends(value: Any, source: str) -> Extends:
    """What a file's `_extends` names; a mistake raises ``ConfigError`` naming ``source``."""
    found = _TARGET.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None or found["name"] in (".", ".."):
        raise ConfigError(f"{source}: `{EXTENDS}`: must be {HOW}; it is {value!r}")
    return Extends(found["owner"] or "", found["name"], found["path"] or CONFIG_PATH)


def extends_of(settings: Mapping[str, Any], source: str) -> Extends | None:
    """The `_extends` of a file's settings, if it has one."""
    return parse_extends(settings[EXTENDS], source) if EXTENDS in settings else None


def laid_over(under: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over``'s settings laid over ``under``'s: mappings merged key by key, lists and
    scalars replaced."""
    result = dict(under)
    for key, value in over.items():
        below = result.get(key)
        if isinstance(below, Mapping) and isinstance(value, Mapping):
            value = laid_over(below, value)
        result[key] = value
    return result


def sets(settings: Mapping[str, Any], keys: tuple[str, ...]) -> bool:
    """Whether ``settings`` hold a value at the nested ``keys`` (`quarterly`, `budget`)."""
    for key in keys:
        if not isinstance(settings, Mapping) or key not in settings:
            return False
        settings = settings[key]
    return True
