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


class Place(NamedTuple):
    """A repository at a commit, where settings files are read: ``repository`` None is the
    one the run is about; ``where`` names the place in errors."""

    repository: str | None
    sha: str
    where: str

    def read(self, path: str) -> Job[bytes | None]:
        """A file's bytes (None: there is none); one there but not read stops the run."""
        found = yield from ask(ReadFiles(self.sha, (path,), self.repository))
        return _readable(found, path, self.where)

    def source(self, path: str) -> str:
        """A file of this place as errors name it."""
        return f"{self.repository}:{path}" if self.repository else f"{path} at {self.where}"


class OwnerSettings(NamedTuple):
    """The owner's settings file, read: where, its path, its settings."""

    place: Place
    path: str
    layer: Layer


def settings_job(
    ref: str, overrides: Overrides = Overrides(), where: str = "", home: str | None = None
) -> Job[Settings]:
    """One read for the config, one more for custom rules; ``where`` names ``ref`` in errors.

    ``home`` (OWNER/NAME) is the repository on GitHub: its settings are laid over its
    owner's (``_extends``, or none of its own), each read once. None: a checkout alone.
    """
    here = Place(None, ref, where or ref[:12])
    path = overrides.config_path
    data = yield from here.read(path)
    if data is None and path != CONFIG_PATH:
        raise ConfigError(f"{path}: no such config file at {here.where}")
    own = None if data is None else read_layer(data, here.source(path))
    owner = (yield from _owner_layer(own, path, home)) if home else None
    layers = tuple(layer for layer in (owner.layer if owner else None, own) if layer)
    config = layered_config(layers, overrides)
    rules_path = overrides.rules_for(config)
    place = here
    if owner is not None and not overrides.rules_path and origin(layers, "rules") is owner.layer:
        place = owner.place  # rules are read where the file naming them is
    rules_data = None
    if rules_path:
        rules_data = yield from place.read(rules_path)
        if rules_data is None:
            raise ConfigError(f"the rules file `{rules_path}` is missing at {place.where}")
    policy = policy_from(rules_data, place.source(str(rules_path)), config, bundled_rules, layers)
    if owner is None:
        return Settings(config, policy)
    extended = Extended(str(owner.place.repository), owner.path, under_own=own is not None)
    return Settings(config, policy, extended)


def _owner_layer(own: Layer | None, own_path: str, home: str) -> Job[OwnerSettings | None]:
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
        place = Place(repository, (yield from ask(ResolveRef("HEAD", repository))), repository)
        data = yield from place.read(target.path)
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
    return OwnerSettings(place, target.path, read_layer(data, source))


def _readable(found: FileContents, path: str, where: str) -> bytes | None:
    """A settings file's bytes (None: there is none); one there but not read stops the run."""
    data = found.get(path)
    if isinstance(data, Unreadable):
        raise ConfigError(f"{path} at {where}: {data.problem}")
    return data
