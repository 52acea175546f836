"""The JSON Schema of each tier says what the rules' checks say, kind by kind (pure)."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from support.front_schema import failing_rules, rule_titles
from support.pages import default_policy

from bot.core.documents import parse_document
from bot.core.rules.evaluate import evaluate
from bot.core.rules.policy import parse_policy
from bot.core.rules.schema import all_tiers_schema, tier_schema

#: Front matter (YAML) at the edges of each kind's test.
CASES = [
    "title: none",
    "excellence_tier: ''",
    "excellence_tier: '  '",
    "excellence_tier: platinum",
    "excellence_tier: [gold]",
    "excellence_tier: gold",
    "excellence_tier: gold\nmodern_examples: []\nproduction_checklist: x",
    "excellence_tier: gold\nmodern_examples: [{company: A, implementation: b, scale: c}]",
    "excellence_tier: gold\nmodern_examples:\n  - {company: A, implementation: b, scale: c}\n"
    "  - {company: B, implementation: '', scale: c}\nproduction_checklist: [a]",
    "excellence_tier: gold\nmodern_examples: [x, y]\nproduction_checklist: [a]\n"
    "pattern_status: recommended",
    "excellence_tier: gold\nmodern_examples: {a: 1}\npattern_status: unknown",
    "excellence_tier: silver\ntrade_offs: {pros: [a], cons: []}\nbest_for: []",
    "excellence_tier: silver\ntrade_offs: {pros: [null, a], cons: ['  ']}",  # a blank list
    "excellence_tier: gold\nmodern_examples: [null]\nproduction_checklist: ['', null]",
    "excellence_tier: silver\ntrade_offs: [a]\nbest_for: {a: 1}",
    "excellence_tier: silver\ntrade_offs: {pros: [a], cons: [b]}\nbest_for: yes\nintroduced: 2012",
    "excellence_tier: bronze\nintroduced: 2012-3\nmodern_alternatives: x",
    "excellence_tier: bronze\nintroduced: 2012-11\ndeprecation_reason: 0",
    "excellence_tier: bronze\nintroduced: 1960s\npattern_status: ''",
    "excellence_tier: bronze\nintroduced: 12",
]


@pytest.mark.parametrize("front", CASES)
def test_each_schema_fails_the_rules_check_fails(front):
    policy = default_policy()
    document = parse_document("p.md", f"---\n{front}\n---\n# P\n".encode())
    found = {finding.rule for finding in evaluate(document, policy)}
    meta = dict(document.meta or {})
    schema = all_tiers_schema(policy)
    Draft202012Validator.check_schema(schema)
    assert failing_rules(schema, meta) == found & rule_titles(schema)


def test_a_tier_schema_names_the_tier_and_its_rules_only():
    schema = tier_schema(default_policy(), "bronze")
    titles = [part["title"] for part in schema["allOf"]]
    assert titles[0] == "excellence_tier"
    assert "bronze-modern-alternatives" in titles and "gold-modern-examples" not in titles
    assert not Draft202012Validator(schema).is_valid({"excellence_tier": "gold"})


RULES = """
version: 1
rules:
  - id: slug
    severity: warning
    check: pattern
    field: slug
    regex: "[a-z-]+"
    message: "bad {value}"
    checklist: "Write `slug` in lower case."
  - id: banner
    severity: warning
    when: {tier: gold}
    check: tier-banner-missing
    message: "no banner"
    checklist: "Add a banner."
"""


def test_custom_rules_are_expressed_or_named_never_dropped():
    schema = tier_schema(parse_policy(RULES, "custom.yml"), "gold")
    assert [part["title"] for part in schema["allOf"]] == ["excellence_tier", "slug"]
    assert (
        "`banner` (check `tier-banner-missing`): their checks have no JSON Schema equivalent"
        in (schema["description"])
    )
    assert "custom.yml" in schema["description"]
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"excellence_tier": "gold", "slug": "a-b"})
    assert not validator.is_valid({"excellence_tier": "gold", "slug": "A b"})
