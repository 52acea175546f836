"""The settings of a run, read at a revision through the port (the base branch, never the PR)."""

from __future__ import annotations

from bot.core.settings import Overrides, Settings, config_from, policy_for
from bot.errors import ConfigError
from bot.port.operations import Job, ReadFiles, ask
from bot.port.results import FileContents, Unreadable
from bot.resources import bundled_rules


def settings_job(ref: str, overrides: Overrides = Overrides(), where: str = "") -> Job[Settings]:
    """One read for the config, one more for custom rules; ``where`` names ``ref`` in errors."""
    where = where or ref[:12]
    path = overrides.config_path
    config = config_from(
        _readable((yield from ask(ReadFiles(ref, (path,)))), path, where), where, overrides
    )
    rules_path = overrides.rules_path or config.rules
    rules_data = None
    if rules_path:
        rules_data = _readable((yield from ask(ReadFiles(ref, (rules_path,)))), rules_path, where)
    return Settings(config, policy_for(config, rules_path, rules_data, where, bundled_rules))


def _readable(found: FileContents, path: str, where: str) -> bytes | None:
    """A settings file's bytes (None: there is none); one there but not read stops the run."""
    data = found.get(path)
    if isinstance(data, Unreadable):
        raise ConfigError(f"{path} at {where}: {data.problem}")
    return data
