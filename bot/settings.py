"""Config and rules for a run, read from the base revision wherever the pages come from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.config import CONFIG_PATH, Config, load_config, parse_config
from bot.errors import ConfigError, UsageError
from bot.port import Job, ReadFiles
from bot.rules import Policy, load_policy, parse_policy

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


def settings_at(read: Callable[[str], bytes | None], where: str) -> Settings:
    """From a revision, given a reader of its files (``where`` names it in errors)."""
    config = config_from(read(CONFIG_PATH), where)
    return config, policy_for(config, read(config.rules) if config.rules else None, where)


def settings_job(ref: str) -> Job[Settings]:
    """Through the GitHub port: one request for the config, one more for custom rules."""
    files = yield ReadFiles(ref, (CONFIG_PATH,))
    config = config_from(files.get(CONFIG_PATH), ref[:12])
    rules_data = None
    if config.rules:
        rules_data = (yield ReadFiles(ref, (config.rules,))).get(config.rules)
    return config, policy_for(config, rules_data, ref[:12])


def config_from(data: bytes | None, where: str) -> Config:
    """The config a revision holds, or the defaults when it holds none."""
    if data is None:
        return Config()
    return parse_config(_text(data, f"{CONFIG_PATH} at {where}"), f"{CONFIG_PATH} at {where}")


def policy_for(config: Config, rules_data: bytes | None, where: str) -> Policy:
    """The policy ``config`` names (its rules file's bytes given), severities applied."""
    if not config.rules:
        policy = load_policy()
    elif rules_data is None:
        raise ConfigError(f"{CONFIG_PATH} at {where}: the rules file `{config.rules}` is missing")
    else:
        source = f"{config.rules} at {where}"
        policy = parse_policy(_text(rules_data, source), source)
    return policy.with_severities(config.severity)


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not UTF-8 text") from None
