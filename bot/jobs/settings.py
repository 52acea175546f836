"""The settings of a run, read at a revision through the port (the base branch, never the PR)."""

from __future__ import annotations

from bot.core.config import CONFIG_PATH
from bot.core.settings import Overrides, Settings, config_from, policy_from
from bot.errors import ConfigError
from bot.port.operations import Job, ReadFiles, ask
from bot.port.results import FileContents, Unreadable
from bot.resources import bundled_rules


def settings_job(ref: str, overrides: Overrides = Overrides(), where: str = "") -> Job[Settings]:
    """One read for the config, one more for custom rules; ``where`` names ``ref`` in errors."""
    where = where or ref[:12]
    path = overrides.config_path
    data = _readable((yield from ask(ReadFiles(ref, (path,)))), path, where)
    if data is None and path != CONFIG_PATH:
        raise ConfigError(f"{path}: no such config file at {where}")
    config = config_from(data, f"{path} at {where}", overrides)
    rules_path = overrides.rules_for(config)
    rules_data = None
    if rules_path:
        rules_data = _readable((yield from ask(ReadFiles(ref, (rules_path,)))), rules_path, where)
        if rules_data is None:
            raise ConfigError(f"the rules file `{rules_path}` is missing at {where}")
    policy = policy_from(rules_data, f"{rules_path} at {where}", config, bundled_rules)
    return Settings(config, policy)


def _readable(found: FileContents, path: str, where: str) -> bytes | None:
    """A settings file's bytes (None: there is none); one there but not read stops the run."""
    data = found.get(path)
    if isinstance(data, Unreadable):
        raise ConfigError(f"{path} at {where}: {data.problem}")
    return data
