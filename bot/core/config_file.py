"""A config file's text read and validated into a `Config`: a mistake names its file and setting."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from bot.core.config import (
    CONFIG_PATH,
    EXTENDS,
    Config,
    HealthConfig,
    LabelSpec,
    PromotionsConfig,
    QuarterlyConfig,
)
from bot.core.documents import SafeLoader
from bot.core.failing import FAIL_ON
from bot.core.tiers import TIERS
from bot.errors import ConfigError


def parse_config(text: str, source: str = CONFIG_PATH) -> Config:
    """Validate a config file's text; a mistake raises ``ConfigError`` naming it."""
    return config_of(config_mapping(text, source), source)


def config_mapping(text: str, source: str = CONFIG_PATH) -> dict[str, Any]:
    """A config file's settings as its YAML gives them, not yet validated ({}: none)."""
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as error:
        raise ConfigError(f"{source}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of settings")
    return data


def config_of(settings: Mapping[str, Any], source: str = CONFIG_PATH) -> Config:
    """Validate settings (``_extends`` aside: ``bot.core.extends`` follows it), ``source``
    named in errors."""
    data = {key: value for key, value in settings.items() if key != EXTENDS}
    reader = _Reader(source)
    reader.known(
        data,
        "",
        (
            "include",
            "exclude",
            "types",
            "rules",
            "severity",
            "labels",
            "fail-on",
            "quarterly",
            "promotions",
        ),
    )
    config = Config()
    changes: dict[str, Any] = {}
    for key in ("include", "exclude"):
        if key in data:
            changes[key] = reader.globs(data[key], key)
    if "types" in data:
        changes["types"] = reader.strings(data["types"], "types", at_least_one=True)
    if "rules" in data:
        changes["rules"] = reader.string(data["rules"], "rules")
    if "severity" in data:
        changes["severity"] = reader.severities(data["severity"])
    if "labels" in data:
        changes["labels"] = reader.labels(data["labels"], config.labels)
    if "fail-on" in data:
        changes["fail_on"] = reader.choice(data["fail-on"], "fail-on", FAIL_ON)
    if "quarterly" in data:
        changes["quarterly"] = reader.quarterly(data["quarterly"])
    if "promotions" in data:
        changes["promotions"] = reader.promotions(data["promotions"])
    return config._replace(**changes)


class _Reader:
    """Type checks that name the file and the setting at fault."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: `{where}`: {problem}")

    def known(self, data: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        unknown = sorted(set(data) - set(allowed), key=str)
        if unknown:
            raise ConfigError(
                f"{self.source}: unknown setting `{where}{unknown[0]}`; "
                f"known here: {', '.join(allowed)}"
            )

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a mapping")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "must be a non-empty string")
        return value

    def strings(self, value: Any, where: str, at_least_one: bool = False) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, "must be a list of strings")
        if at_least_one and not value:
            raise self.fail(where, "must list at least one")
        return tuple(value)

    def globs(self, value: Any, where: str) -> tuple[str, ...]:
        """Globs relative to the repository root, so a leading ``/`` (the root) is dropped."""
        return tuple(glob.removeprefix("/") for glob in self.strings(value, where))

    def number(self, value: Any, where: str, minimum: int = 0) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(where, f"must be a whole number of at least {minimum}")
        return value

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, "must be true or false")
        return value

    def choice(self, value: Any, where: str, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise self.fail(where, f"must be one of {', '.join(allowed)}")
        return str(value)

    def severities(self, value: Any) -> dict[str, str]:
        allowed = ("error", "warning", "notice", "off")
        return {
            # YAML 1.1 reads a bare `off` as false.
            str(rule_id): self.choice(
                "off" if severity is False else severity, f"severity.{rule_id}", allowed
            )
            for rule_id, severity in self.mapping(value, "severity").items()
        }

    def labels(self, value: Any, defaults: Mapping[str, LabelSpec]) -> dict[str, LabelSpec]:
        labels = dict(defaults)
        for role, spec in self.mapping(value, "labels").items():
            where = f"labels.{role}"
            if role not in defaults:
                raise self.fail(where, f"unknown label role; known: {', '.join(defaults)}")
            if isinstance(spec, str):
                spec = {"name": spec}
            self.known(self.mapping(spec, where), f"{where}.", ("name", "color", "description"))
            color = str(spec.get("color", defaults[role].color)).lstrip("#")
            if not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
                raise self.fail(f"{where}.color", "must be six hex digits, like FFD700")
            labels[role] = LabelSpec(
                self.string(spec.get("name", defaults[role].name), f"{where}.name"),
                color.upper(),
                str(spec.get("description", defaults[role].description)),
            )
        return labels

    def quarterly(self, value: Any) -> QuarterlyConfig:
        data = self.mapping(value, "quarterly")
        names = {name.replace("_", "-"): name for name in QuarterlyConfig._fields}
        self.known(data, "quarterly.", tuple(names))
        readers: dict[str, Callable[[Any, str], Any]] = {
            "labels": lambda v, w: self.strings(v, w),
            "assignees": lambda v, w: self.strings(v, w),
            "budget": lambda v, w: self.number(v, w, 0),
            "max-age-days": lambda v, w: self.number(v, w, 1),
            "min-modern-examples": lambda v, w: self.number(v, w, 1),
            "close-previous": self.boolean,
            "enabled": self.boolean,
            "health": lambda v, w: self.health(v),
            "dashboard": self.string,
        }
        return QuarterlyConfig(
            **{names[key]: readers[key](item, f"quarterly.{key}") for key, item in data.items()}
        )

    def health(self, value: Any) -> HealthConfig:
        data = self.mapping(value, "quarterly.health")
        self.known(data, "quarterly.health.", ("repos", "max-requests"))
        repos = {
            str(page): self.strings(names, f"quarterly.health.repos.{page}")
            for page, names in self.mapping(data.get("repos", {}), "quarterly.health.repos").items()
        }
        max_requests = self.number(data.get("max-requests", 30), "quarterly.health.max-requests")
        return HealthConfig(repos, max_requests)

    def promotions(self, value: Any) -> PromotionsConfig:
        data = self.mapping(value, "promotions")
        self.known(data, "promotions.", ("tiers", "approvers"))
        tiers = PromotionsConfig().tiers
        if "tiers" in data:
            tiers = self.strings(data["tiers"], "promotions.tiers", at_least_one=True)
            for tier in tiers:
                self.choice(tier, "promotions.tiers", TIERS)
        approvers = self.strings(data.get("approvers", []), "promotions.approvers")
        for approver in approvers:
            if not _APPROVER.fullmatch(approver):
                raise self.fail(
                    "promotions.approvers", f"{approver!r} is neither a login nor `org/team`"
                )
        return PromotionsConfig(tiers, approvers)


#: A login, or an organisation's login and a team's slug.
_APPROVER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9_.-]+)?")
