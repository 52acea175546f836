"""A run's settings parsed from their files' bytes, wherever those are read, with the overrides."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from bot.core.config import CONFIG_PATH, Config
from bot.core.config_file import config_mapping, config_of
from bot.core.extends import Extended, extends_of, laid_over, sets
from bot.core.rules.policy import Policy, parse_policy
from bot.errors import ConfigError, RulesError, UsageError

#: The rules file shipped with tierbot, as (text, source); read by the caller, not the core.
BundledRules = Callable[[], tuple[str, str]]


class Settings(NamedTuple):
    """The config and the policy a run applies, both read from the base revision."""

    config: Config
    policy: Policy
    extended: Extended | None = None  # the owner's settings file under the repository's


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


class Layer(NamedTuple):
    """One settings file: its settings as read (validated), and how errors name it."""

    settings: Mapping[str, Any]
    source: str


def read_layer(data: bytes, source: str) -> Layer:
    """A settings file's bytes, checked on their own, so that a mistake names its file."""
    settings = config_mapping(_text(data, source, ConfigError), source)
    config_of(settings, source)
    extends_of(settings, source)
    return Layer(settings, source)


def layered_config(layers: Sequence[Layer], overrides: Overrides = Overrides()) -> Config:
    """The layers' settings, each laid over those before it, with the overrides' `fail-on`."""
    settings: Mapping[str, Any] = {}
    for layer in layers:
        settings = laid_over(settings, layer.settings)
    named = " over ".join(layer.source for layer in reversed(layers)) or CONFIG_PATH
    return overrides.apply(config_of(settings, named))


def origin(layers: Sequence[Layer], *keys: str) -> Layer | None:
    """The layer whose value of the setting at ``keys`` counts: the last that sets it."""
    return next((layer for layer in reversed(layers) if sets(layer.settings, keys)), None)


def config_from(data: bytes | None, source: str, overrides: Overrides = Overrides()) -> Config:
    """The config file ``data`` (None: there is none, the defaults), named ``source`` in
    errors, with the overrides' `fail-on`."""
    layers = () if data is None else (read_layer(data, source),)
    return layered_config(layers, overrides)


def policy_from(
    data: bytes | None,
    source: str,
    config: Config,
    bundled: BundledRules,
    layers: Sequence[Layer] = (),
) -> Policy:
    """The rules file ``data`` (None: the bundled rules), named ``source`` in errors, with the
    config's severities; one naming no rule names the layer it came from."""
    text, named = bundled() if data is None else (_text(data, source, RulesError), source)
    policy = parse_policy(text, named)
    known = {rule.id for rule in policy.rules}
    unknown = sorted(rule for rule in config.severity if rule not in known)
    layer = origin(layers, "severity", unknown[0]) if unknown and len(layers) > 1 else None
    if layer is not None:
        raise ConfigError(
            f"{layer.source}: `severity.{unknown[0]}`: no rule `{unknown[0]}` in {policy.source}"
        )
    return policy.with_severities(config.severity)


def _text(data: bytes, source: str, error: type[UsageError]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{source}: not UTF-8 text") from None
