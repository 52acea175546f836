"""Tier rules as data: a rules file's text validated into a Policy, or a ``RulesError``."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, NamedTuple

import yaml

from bot.core.documents import EMPTY, SafeLoader
from bot.core.rules.kinds import CHECK_KINDS
from bot.core.tiers import OWN_FIELDS, TIERS
from bot.errors import RulesError

SEVERITIES = ("error", "warning", "notice")
_RULE_KEYS = {"id", "severity", "check", "when", "message", "checklist", "description"}


class Rule(NamedTuple):
    id: str
    severity: str
    check: str
    message: str
    checklist: str
    description: str = ""
    tiers: tuple[str, ...] | None = None  # from `when: {tier: ...}`; None: any page
    params: Mapping[str, Any] = EMPTY

    @property
    def field(self) -> str | None:
        return self.params.get("field")

    @property
    def scope(self) -> str:
        return CHECK_KINDS[self.check].scope


class Policy(NamedTuple):
    """A validated rules file."""

    source: str
    rules: tuple[Rule, ...]
    #: Every front-matter field some rule of the file (one turned off too), or tierbot
    #: itself, reads: what `key-spelling` knows. Worked out once, not for every page.
    fields: frozenset[str] = frozenset(OWN_FIELDS)

    def by_id(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def with_severities(self, overrides: Mapping[str, str]) -> Policy:
        """The policy with severities overridden per rule id; ``off`` drops a rule."""
        unknown = set(overrides) - {rule.id for rule in self.rules}
        if unknown:
            raise RulesError(
                f"severity: no rule `{sorted(unknown)[0]}` in {self.source}; "
                f"its rules are {', '.join(rule.id for rule in self.rules)}"
            )
        rules = []
        for rule in self.rules:
            severity = overrides.get(rule.id, rule.severity)
            if severity != "off":
                rules.append(rule._replace(severity=severity))
        return self._replace(rules=tuple(rules))


def parse_policy(text: str, source: str) -> Policy:
    """Validate a rules file's text; every mistake raises ``RulesError`` naming it."""
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as error:
        raise RulesError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"{source}: expected a mapping with a `rules:` list")
    unknown = set(data) - {"version", "rules"}
    if unknown:
        raise RulesError(f"{source}: unknown top-level keys: {', '.join(sorted(unknown))}")
    if data.get("version", 1) != 1:
        raise RulesError(f"{source}: version must be 1")
    rules: list[Rule] = []
    for index, raw in enumerate(data["rules"], start=1):
        rule = _parse_rule(raw, f"{source}: rule #{index}")
        if any(existing.id == rule.id for existing in rules):
            raise RulesError(f"{source}: rule `{rule.id}`: the id is used twice")
        rules.append(rule)
    fields = frozenset(rule.field for rule in rules if rule.field) | set(OWN_FIELDS)
    return Policy(source, tuple(rules), fields)


def _parse_rule(raw: Any, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: a rule must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RulesError(f"{where}: `id` is missing")
    where = f"{where.rsplit(':', 1)[0]}: rule `{rule_id}`"
    kind_name = raw.get("check")
    if not isinstance(kind_name, str) or kind_name not in CHECK_KINDS:
        raise RulesError(
            f"{where}: unknown check `{kind_name}`; known: {', '.join(sorted(CHECK_KINDS))}"
        )
    kind = CHECK_KINDS[kind_name]
    params = {key: value for key, value in raw.items() if key not in _RULE_KEYS}
    unknown = set(params) - set(kind.params)
    missing = kind.required - set(params)
    if unknown:
        raise RulesError(f"{where}: check `{kind_name}` takes no {', '.join(sorted(unknown))}")
    if missing:
        raise RulesError(f"{where}: check `{kind_name}` needs {', '.join(sorted(missing))}")
    if "field" in params and not (isinstance(params["field"], str) and params["field"]):
        raise RulesError(f"{where}: `field` must name a front-matter key")
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise RulesError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    for key in ("message", "checklist"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RulesError(f"{where}: `{key}` must be a non-empty string")
    for key in ("message", "checklist"):
        _check_placeholders(raw[key], kind.placeholders | {"field"}, f"{where}: `{key}`")
    try:
        kind.validate(params)
    except (TypeError, ValueError) as error:
        raise RulesError(f"{where}: {error}") from None
    return Rule(
        id=rule_id,
        severity=severity,
        check=kind_name,
        message=raw["message"].strip(),
        checklist=raw["checklist"].strip(),
        description=str(raw.get("description", "")).strip(),
        tiers=_parse_when(raw.get("when"), where),
        params=params,
    )


def _parse_when(when: Any, where: str) -> tuple[str, ...] | None:
    if when is None:
        return None
    if not isinstance(when, dict) or set(when) != {"tier"}:
        raise RulesError(f"{where}: `when` takes exactly one key, `tier`")
    tiers = when["tier"]
    if tiers == "any":
        return TIERS
    tiers = (tiers,) if isinstance(tiers, str) else tiers
    if not isinstance(tiers, list | tuple) or not tiers or any(t not in TIERS for t in tiers):
        raise RulesError(f"{where}: `when.tier` must be `any` or some of {', '.join(TIERS)}")
    return tuple(tiers)


def _check_placeholders(template: str, allowed: frozenset[str], where: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise RulesError(f"{where}: {error}") from None
    if any(not name or name.isdigit() for name in names):
        raise RulesError(f"{where}: placeholders need a name, like {{field}}")
    unknown = names - allowed
    if unknown:
        raise RulesError(
            f"{where}: unknown placeholder {{{sorted(unknown)[0]}}}; "
            f"this check offers {', '.join(sorted(allowed))}"
        )
