"""A run's settings parsed from their files' bytes, wherever those are read, with the overrides."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from bot.core.config import CONFIG_PATH, Config, parse_config
from bot.core.rules.policy import Policy, parse_policy
from bot.errors import ConfigError, RulesError, UsageError

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

    def rules_for(self, config: Config) -> str | None:
        """The rules file to read: this one, else the config's; None: the bundled rules."""
        return self.rules_path or config.rules


def config_from(data: bytes | None, source: str, overrides: Overrides = Overrides()) -> Config:
    """The config file ``data`` (None: there is none, the defaults), named ``source`` in
    errors, with the overrides' `fail-on`."""
    config = Config() if data is None else parse_config(_text(data, source, ConfigError), source)
    return overrides.apply(config)


def policy_from(data: bytes | None, source: str, config: Config, bundled: BundledRules) -> Policy:
    """The rules file ``data`` (None: the bundled rules), named ``source`` in errors, with the
    config's severities."""
    text, named = bundled() if data is None else (_text(data, source, RulesError), source)
    return parse_policy(text, named).with_severities(config.severity)


def _text(data: bytes, source: str, error: type[UsageError]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{source}: not UTF-8 text") from None
