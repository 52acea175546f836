"""A run's settings (config and policy) from the bytes a revision holds, with the overrides."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from bot.core.config import CONFIG_PATH, Config, parse_config
from bot.core.rules.policy import Policy, parse_policy
from bot.errors import ConfigError

#: The rules file shipped with tierbot, as (text, source); read by the caller, not the core.
BundledRules = Callable[[], tuple[str, str]]


class Settings(NamedTuple):
    """The config and the policy a run applies, both read from the base revision."""

    config: Config
    policy: Policy


class Overrides(NamedTuple):
    """Where to find the config and rules at a revision, and a `fail-on` that wins."""

    config_path: str = CONFIG_PATH
    rules_path: str | None = None
    fail_on: str | None = None

    def apply(self, config: Config) -> Config:
        return config._replace(fail_on=self.fail_on) if self.fail_on else config


def config_from(data: bytes | None, where: str, overrides: Overrides = Overrides()) -> Config:
    """The config a revision holds, or the defaults when it holds none."""
    if data is None:
        if overrides.config_path != CONFIG_PATH:
            raise ConfigError(f"{overrides.config_path}: no such config file at {where}")
        return overrides.apply(Config())
    source = f"{overrides.config_path} at {where}"
    return overrides.apply(parse_config(_text(data, source), source))


def policy_for(
    config: Config,
    rules_path: str | None,
    rules_data: bytes | None,
    where: str,
    bundled: BundledRules,
) -> Policy:
    """The policy at ``rules_path`` (its bytes given; bundled when None), severities applied."""
    if not rules_path:
        policy = parse_policy(*bundled())
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
