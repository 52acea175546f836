"""Config and rules for a run, read from the base revision wherever the pages come from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bot.config import CONFIG_PATH, Config, load_config, parse_config
from bot.errors import ConfigError, UsageError
from bot.rules import Policy, load_policy, parse_policy

if TYPE_CHECKING:  # the port is not needed by `tierbot check`
    from bot.port import Job

Settings = tuple[Config, Policy]


def load_settings(
    config_file: str | None, rules_file: str | None, root: Path = Path(".")
) -> Settings:
    """From the file system: an explicit config file, else the repository's if any."""
    if config_file:
        config_path = Path(config_file)
        if not config_path.is_file():
            raise UsageError(f"{config_path}: no such config file")
        # Paths inside the config are relative to the repository that holds `.github/`.
        if config_path.parent.name == ".github":
            root = config_path.parent.parent
    else:
        config_path = root / CONFIG_PATH
        config_path = config_path if config_path.is_file() else None
    config = load_config(config_path)
    rules_path = Path(rules_file) if rules_file else (root / config.rules if config.rules else None)
    return config, load_policy(rules_path).with_severities(config.severity)


class Overrides(NamedTuple):
    """Where to find the config and rules at a revision, and a `fail-on` that wins."""

    config_path: str = CONFIG_PATH
    rules_path: str | None = None
    fail_on: str | None = None

    def apply(self, config: Config) -> Config:
        return config._replace(fail_on=self.fail_on) if self.fail_on else config


def settings_at(
    read: Callable[[str], bytes | None], where: str, overrides: Overrides = Overrides()
) -> Settings:
    """From a revision, given a reader of its files (``where`` names it in errors)."""
    config = config_from(read(overrides.config_path), where, overrides)
    rules_path = overrides.rules_path or config.rules
    return config, policy_for(config, rules_path, read(rules_path) if rules_path else None, where)


def settings_job(ref: str, overrides: Overrides = Overrides()) -> Job[Settings]:
    """Through the GitHub port: one request for the config, one more for custom rules."""
    from bot.port import ReadFiles

    files = yield ReadFiles(ref, (overrides.config_path,))
    config = config_from(files.get(overrides.config_path), ref[:12], overrides)
    rules_path = overrides.rules_path or config.rules
    rules_data = None
    if rules_path:
        rules_data = (yield ReadFiles(ref, (rules_path,))).get(rules_path)
    return config, policy_for(config, rules_path, rules_data, ref[:12])


def config_from(data: bytes | None, where: str, overrides: Overrides = Overrides()) -> Config:
    """The config a revision holds, or the defaults when it holds none."""
    if data is None:
        if overrides.config_path != CONFIG_PATH:
            raise ConfigError(f"{overrides.config_path}: no such config file at {where}")
        return overrides.apply(Config())
    source = f"{overrides.config_path} at {where}"
    return overrides.apply(parse_config(_text(data, source), source))


def policy_for(
    config: Config, rules_path: str | None, rules_data: bytes | None, where: str
) -> Policy:
    """The policy at ``rules_path`` (its bytes given; bundled when None), severities applied."""
    if not rules_path:
        policy = load_policy()
    elif rules_data is None:
        raise ConfigError(f"the rules file `{rules_path}` is missing at {where}")
    else:
        source = f"{rules_path} at {where}"
        policy = parse_policy(_text(rules_data, source), source)
    return policy.with_severities(config.severity)


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not UTF-8 text") from None
