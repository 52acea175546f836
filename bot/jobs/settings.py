"""The settings of a run, read at a revision through the port (the base branch, never the PR),
laid over the owner's settings when the repository is on GitHub."""

from __future__ import annotations

from typing import NamedTuple

from bot.core.config import CONFIG_PATH, EXTENDS
from bot.core.extends import Extended, Extends, extends_of
from bot.core.settings import (
    Layer,
    Overrides,
    Settings,
    layered_config,
    origin,
    policy_from,
    read_layer,
)
from bot.errors import ConfigError, ForgeError, RetryableError
from bot.port.operations import Job, ReadFiles, ResolveRef, ask
from bot.port.results import FileContents, Unreadable
from bot.resources import bundled_rules

#: What GitHub answers for a default branch that is not there: no repository (or none the
#: token may see), an empty one (409), a HEAD that names no commit (422).
ABSENT = (404, 409, 422)
REFUSED = (
    "{source}: GitHub refused to read it ({error}). Install tierbot on {repository} (or give "
    "the token read access to it), or {instead}"
)
ADD_OWN = f"add a `{CONFIG_PATH}` of this repository's own"
DROP_EXTENDS = f"remove `{EXTENDS}` from {{own}}"


class Owner(NamedTuple):
    """The owner's settings file: its repository, the default branch's commit, its path."""

    repository: str
    sha: str
    path: str

    def read(self, path: str) -> Job[bytes | None]:
        """A file of the repository at that commit; one there but not read stops the run."""
        found = yield from ask(ReadFiles(self.sha, (path,), self.repository))
        return _readable(found, path, self.repository)


def settings_job(
    ref: str, overrides: Overrides = Overrides(), where: str = "", home: str | None = None
) -> Job[Settings]:
    """One read for the config, one more for custom rules; ``where`` names ``ref`` in errors.

    ``home`` (OWNER/NAME) is the repository on GitHub: its settings are laid over its
    owner's (``_extends``, or none of its own), each read once. None: a checkout alone.
    """
    where = where or ref[:12]
    path = overrides.config_path
    data = _readable((yield from ask(ReadFiles(ref, (path,)))), path, where)
    if data is None and path != CONFIG_PATH:
        raise ConfigError(f"{path}: no such config file at {where}")
    own = None if data is None else read_layer(data, f"{path} at {where}")
    found = (yield from _owner_layer(own, path, home)) if home else None
    owner, under = found if found else (None, None)
    layers = tuple(layer for layer in (under, own) if layer is not None)
    config = layered_config(layers, overrides)
    rules_path = overrides.rules_for(config)
    rules_data, rules_source = None, f"{rules_path} at {where}"
    ruled_by = origin(layers, "rules")
    if rules_path and owner and not overrides.rules_path and ruled_by is under:
        rules_source = f"{owner.repository}:{rules_path}"
        rules_data = yield from owner.read(rules_path)
        if rules_data is None:
            raise ConfigError(f"the rules file `{rules_path}` is missing from {owner.repository}")
    elif rules_path:
        rules_data = _readable((yield from ask(ReadFiles(ref, (rules_path,)))), rules_path, where)
        if rules_data is None:
            raise ConfigError(f"the rules file `{rules_path}` is missing at {where}")
    policy = policy_from(rules_data, rules_source, config, bundled_rules, layers)
    extended = Extended(owner.repository, owner.path, own is not None) if owner else None
    return Settings(config, policy, extended)


def _owner_layer(own: Layer | None, own_path: str, home: str) -> Job[tuple[Owner, Layer] | None]:
    """The owner's settings file the repository's own lie over, read at the default branch of
    its repository: the one `_extends` names, else `.github`'s when the repository has none."""
    if own is None:
        target, asked_by = Extends(), None  # none of its own: `.github`'s, if there is one
    else:
        named = extends_of(own.settings, own.source)
        if named is None:
            return None  # the repository's own settings, alone: nothing is read elsewhere
        target, asked_by = named, own.source
    repository = target.full_name(home)
    if repository.lower() == home.lower() and target.path == own_path:
        return None  # a repository never lies over itself
    source = f"{repository}:{target.path}"
    try:
        owner = Owner(repository, (yield from ask(ResolveRef("HEAD", repository))), target.path)
        data = yield from owner.read(target.path)
    except ForgeError as error:
        answered = None if isinstance(error, RetryableError) else error.status
        if answered in ABSENT and asked_by is None:
            return None  # no organisation-wide settings: the defaults
        if answered in ABSENT:
            raise ConfigError(
                f"{asked_by}: `{EXTENDS}`: no repository {repository} this token can read ({error})"
            ) from None
        if answered == 403:
            instead = DROP_EXTENDS.format(own=asked_by) if asked_by else ADD_OWN
            raise ConfigError(
                REFUSED.format(source=source, error=error, repository=repository, instead=instead)
            ) from None
        raise
    if data is None and asked_by is None:
        return None  # no organisation-wide settings: the defaults
    if data is None:
        raise ConfigError(f"{asked_by}: `{EXTENDS}`: no file {source} at its default branch")
    # The owner's own `_extends` is not followed: one level, no chains, no loops.
    return owner, read_layer(data, source)


def _readable(found: FileContents, path: str, where: str) -> bytes | None:
    """A settings file's bytes (None: there is none); one there but not read stops the run."""
    data = found.get(path)
    if isinstance(data, Unreadable):
        raise ConfigError(f"{path}{f' at {where}' if where else ''}: {data.problem}")
    return data
