"""Properties of loading rules and config: any rules file built from the schema's pieces either
loads, and then judges any page, or raises a ``RulesError`` naming the file (and the rule); any
YAML value in any setting of a config file, a ``ConfigError`` naming the setting."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from support.strategies import config_files, page_bytes, rules_files

from bot.core.config_file import parse_config
from bot.core.rules.evaluate import check_page
from bot.core.rules.policy import parse_policy
from bot.errors import ConfigError, RulesError

SOURCE = ".github/tierbot-rules.yml"


def one_rule(**keys: str) -> str:
    rule = {"id": "r", "severity": "error", "check": "required", "field": "title", **keys}
    lines = "".join(f"    {key}: {value}\n" for key, value in rule.items())
    return f"version: 1\nrules:\n  - message: m\n    checklist: c\n{lines}"


# What the property found: values that are not names crashed loading or checking a page.
@example(one_rule(field="[a, b]"), [b"---\ntitle: x\n---\n"])
@example(one_rule(field="3"), [b"---\ntitle: x\n---\n"])
@example(one_rule(check="[]"), [])
@example(one_rule(when="{tier: [[gold]]}"), [])
@given(rules_files, st.lists(page_bytes, max_size=3))
def test_a_rules_file_loads_or_is_refused_naming_the_place(text: str, pages: list[bytes]) -> None:
    try:
        policy = parse_policy(text, SOURCE)
    except RulesError as error:
        assert str(error).startswith(f"{SOURCE}: "), error
        return
    for rule in policy.rules:
        assert rule.field is None or isinstance(rule.field, str)
    assert policy.fields  # every field a rule reads, hashable
    for data in pages:
        _, report = check_page("docs/pattern-library/p.md", data, policy)
        assert {f.rule for f in report.findings} <= {rule.id for rule in policy.rules}


@given(config_files)
def test_a_config_file_loads_or_is_refused_naming_the_setting(text: str) -> None:
    source = ".github/tierbot.yml at main"
    try:
        config = parse_config(text, source)
    except ConfigError as error:
        assert str(error).startswith(f"{source}: "), error
        return
    assert all(isinstance(glob, str) for glob in (*config.include, *config.exclude))
    assert config.is_pattern_page("docs/pattern-library/a.md") in (True, False)
