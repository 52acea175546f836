"""The JSON Schema (draft 2020-12) of the front matter a policy asks of each tier.

Each page rule becomes one subschema of an ``allOf``, titled with the rule's id, from the
fragment its kind declares; a rule whose kind has none (a banner in the page's body, a key's
spelling, a pull request's change) is named in the schema's description, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.rules.kinds import CHECK_KINDS
from bot.core.rules.policy import Policy, Rule
from bot.core.rules.shapes import DEFINITIONS, Schema
from bot.core.tiers import TIER_FIELD, TIERS

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def tier_schema(policy: Policy, tier: str) -> Schema:
    """The front matter of a page of ``tier``: every rule that applies to it."""
    rules = [rule for rule in policy.rules if rule.tiers is None or tier in rule.tiers]
    schema = _document(f"The front matter of a {tier} pattern page", policy, rules)
    tier_is = {"title": TIER_FIELD, "properties": {TIER_FIELD: {"const": tier}}}
    schema["allOf"].insert(0, {**tier_is, "required": [TIER_FIELD]})
    return schema


def all_tiers_schema(policy: Policy) -> Schema:
    """One schema for every page: the rules of any page, then each tier's by ``if``/``then``
    on `excellence_tier`."""
    everywhere = [rule for rule in policy.rules if rule.tiers is None]
    schema = _document("The front matter of a pattern page", policy, policy.rules, everywhere)
    for tier in TIERS:
        rules = [rule for rule in policy.rules if rule.tiers is not None and tier in rule.tiers]
        if rules:
            when = {"properties": {TIER_FIELD: {"const": tier}}, "required": [TIER_FIELD]}
            then = {"allOf": [_subschema(rule) for rule in _expressed(rules)]}
            schema["allOf"].append({"title": tier, "if": when, "then": then})
    return schema


def _document(
    title: str, policy: Policy, rules: Iterable[Rule], applied: Iterable[Rule] | None = None
) -> Schema:
    """The schema's frame: what it is, what it cannot say, and the ``applied`` rules (by
    default ``rules``) as its ``allOf``."""
    rules = list(rules)
    left_out = [rule for rule in rules if not _has_schema(rule)]
    description = f"Derived from the tierbot rules in {policy.source}."
    if left_out:
        why: dict[str, list[str]] = {}
        for rule in left_out:
            named_by = "" if rule.id == rule.check else f" (check `{rule.check}`)"
            why.setdefault(_why(rule), []).append(f"`{rule.id}`{named_by}")
        named = "; ".join(f"{', '.join(ids)}: {reason}" for reason, ids in why.items())
        description += f" Checked by `tierbot check` or a review only: {named}."
    allof = [_subschema(rule) for rule in _expressed(rules if applied is None else applied)]
    return {
        "$schema": DIALECT,
        "title": title,
        "description": description,
        "type": "object",
        "$defs": DEFINITIONS,
        "allOf": allof,
    }


def _has_schema(rule: Rule) -> bool:
    kind = CHECK_KINDS[rule.check]
    return kind.scope == "page" and kind.schema is not None


def _expressed(rules: Iterable[Rule]) -> list[Rule]:
    return [rule for rule in rules if _has_schema(rule)]


def _why(rule: Rule) -> str:
    """Why a rule is not in the schema, said once for the rules it holds for."""
    if CHECK_KINDS[rule.check].scope != "page":
        return "they judge a pull request's change"
    return "their checks have no JSON Schema equivalent"


def _subschema(rule: Rule) -> Schema:
    """One rule's fragment, titled with its id (how a validator's error is traced back)."""
    schema_of = CHECK_KINDS[rule.check].schema
    assert schema_of is not None  # _expressed keeps only these
    text = rule.checklist.format_map(_Kept({**rule.params, "field": rule.field or ""}))
    return {"title": rule.id, "description": text, **schema_of(rule.params)}


class _Kept(dict[str, object]):
    """Format a rule's text with its parameters, keeping the placeholders a finding fills."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
