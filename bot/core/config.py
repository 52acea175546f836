"""A repository's `.github/tierbot.yml`, validated, with defaults for everything."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml
from wcmatch import glob as wcglob

from bot.core.documents import SafeLoader
from bot.core.failing import FAIL_ON
from bot.core.page_kinds import TYPE_FIELD
from bot.core.tiers import TIERS
from bot.errors import ConfigError

CONFIG_PATH = ".github/tierbot.yml"
#: The setting naming the settings file a repository's are laid over (Probot's convention).
EXTENDS = "_extends"


class LabelSpec(NamedTuple):
    name: str
    color: str  # six hex digits, no '#'
    description: str = ""


#: The globs' grammar (wcmatch): ``**`` spans folders as a whole part (``**/``, ``/**``), ``*``
#: and ``?`` stay within one; a dot-file is a file like any other; case counts everywhere.
GLOB_FLAGS = wcglob.GLOBSTAR | wcglob.DOTGLOB | wcglob.FORCEUNIX
DEFAULT_INCLUDE = ("docs/pattern-library/**/*.md", "docs/patterns/**/*.md")
DEFAULT_EXCLUDE = ("**/index.md", "**/README.md", "**/*template*.md")
DEFAULT_TYPES = ("pattern",)
DEFAULT_LABELS: Mapping[str, LabelSpec] = MappingProxyType(
    {
        "gold": LabelSpec("tier: gold", "FFD700", "Touches a gold-tier pattern"),
        "silver": LabelSpec("tier: silver", "C0C0C0", "Touches a silver-tier pattern"),
        "bronze": LabelSpec("tier: bronze", "CD7F32", "Touches a bronze-tier pattern"),
        "changed": LabelSpec("tier: changed", "5319E7", "Changes the tier of a pattern"),
        "needs-metadata": LabelSpec(
            "needs: tier-metadata", "D93F0B", "Adds tier metadata problems"
        ),
    }
)


class HealthConfig(NamedTuple):
    repos: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # page path -> repos
    max_requests: int = 30


class QuarterlyConfig(NamedTuple):
    labels: tuple[str, ...] = ("tierbot: quarterly-review",)
    assignees: tuple[str, ...] = ()
    budget: int = 25  # pages a quarter's issue asks for; 0: every page that needs a review
    max_age_days: int = 365
    min_modern_examples: int = 2
    close_previous: bool = True
    health: HealthConfig = HealthConfig()
    enabled: bool = False  # whether `tierbot quarterly --app` publishes (else: a dry run)
    dashboard: str | None = None  # the health dashboard page the quarter's pull request refreshes


class PromotionsConfig(NamedTuple):
    """The promotion gate: a page raised to one of ``tiers`` waits for one of ``approvers``."""

    tiers: tuple[str, ...] = ("gold",)
    approvers: tuple[str, ...] = ()  # logins and `org/team` slugs; none: no gate

    @property
    def enabled(self) -> bool:
        return bool(self.approvers)


class Config(NamedTuple):
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    types: tuple[str, ...] = DEFAULT_TYPES
    rules: str | None = None  # a path in the repository; None: the bundled policy
    severity: Mapping[str, str] = MappingProxyType({})
    labels: Mapping[str, LabelSpec] = DEFAULT_LABELS
    fail_on: str = "new-errors"
    quarterly: QuarterlyConfig = QuarterlyConfig()
    promotions: PromotionsConfig = PromotionsConfig()

    def is_pattern_page(self, path: str) -> bool:
        """Whether a repository-relative POSIX path is one tierbot checks, by the globs.

        The page itself may still opt out by declaring another ``type`` (`other_type`).
        """
        return self.includes((path,)) and not self.excludes((path,))

    def includes(self, paths: Iterable[str]) -> bool:
        """Whether some of ``paths`` matches an ``include`` glob."""
        return any(m.match(path) for path in paths for m in _compiled(self.include))

    def excludes(self, paths: Iterable[str]) -> bool:
        """Whether some of ``paths`` matches an ``exclude`` glob."""
        return self.exclusion(paths) is not None

    def exclusion(self, paths: Iterable[str]) -> str | None:
        """The first ``exclude`` glob some of ``paths`` matches, if any."""
        paths = tuple(paths)
        for glob, compiled in zip(self.exclude, _compiled(self.exclude), strict=True):
            if any(compiled.match(path) for path in paths):
                return glob
        return None

    def other_type(self, meta: Mapping[str, Any] | None) -> str | None:
        """The ``type`` a page declares when it is not one of ``types``: then the page is
        not a pattern page. None for a pattern page: its type is listed, it declares none
        (or not as text), or its front matter cannot be read (that is a finding)."""
        declared = meta.get(TYPE_FIELD) if meta is not None else None
        if isinstance(declared, str) and declared.strip() not in ("", *self.types):
            return declared.strip()
        return None

    @property
    def bot_labels(self) -> frozenset[str]:
        """The label names tierbot owns; it never touches any other."""
        return frozenset(spec.name for spec in self.labels.values())


@lru_cache(maxsize=64)
def _compiled(globs: tuple[str, ...]) -> tuple[wcglob.WcMatcher[str], ...]:
    return tuple(wcglob.compile(glob, flags=GLOB_FLAGS) for glob in globs)


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
