"""Organisation-wide settings in the core: `_extends` read, layers merged, errors naming files."""

from __future__ import annotations

import re

import pytest
from support.pages import rules_text

from bot.core.config import CONFIG_PATH, Config
from bot.core.config_file import parse_config
from bot.core.extends import Extends, laid_over, parse_extends
from bot.core.settings import Layer, layered_config, origin, policy_from, read_layer
from bot.errors import ConfigError, RulesError
from bot.resources import bundled_rules

ORG = "octo/.github:.github/tierbot.yml"
OWN = ".github/tierbot.yml at main"


def layers(org: str, own: str) -> tuple[Layer, Layer]:
    return read_layer(org.encode(), ORG), read_layer(own.encode(), OWN)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (".github", Extends("", ".github", CONFIG_PATH)),
        ("pattern-settings", Extends("", "pattern-settings", CONFIG_PATH)),
        ("other-org/shared", Extends("other-org", "shared", CONFIG_PATH)),
        (".github:tierbot/library.yml", Extends("", ".github", "tierbot/library.yml")),
        ("Other-Org/shared.cfg:base.yaml", Extends("Other-Org", "shared.cfg", "base.yaml")),
    ],
)
def test_extends_names_a_repository_and_a_file_as_probot_does(
    value: str, expected: Extends
) -> None:
    assert parse_extends(value, OWN) == expected


def test_extends_lends_the_owner_of_the_repository_reviewed() -> None:
    assert parse_extends(".github", OWN).full_name("octo/patterns") == "octo/.github"
    assert parse_extends("acme/base", OWN).full_name("octo/patterns") == "acme/base"


@pytest.mark.parametrize(
    "value", ["", "a/b/c", "-bad/x", "x:notyaml.txt", "..", 3, ["x"], "x y", "owner/"]
)
def test_an_unreadable_extends_names_the_file_and_the_setting(value: object) -> None:
    with pytest.raises(ConfigError, match=re.escape(f"{OWN}: `_extends`: must be")):
        parse_extends(value, OWN)


def test_read_layer_checks_extends_in_the_file_it_reads() -> None:
    with pytest.raises(ConfigError, match=re.escape(f"{OWN}: `_extends`")):
        read_layer(b"_extends: a/b/c\n", OWN)


def test_a_file_with_extends_alone_parses_as_the_defaults() -> None:
    """`tierbot check` reads the local file alone: `_extends` is no unknown setting there."""
    assert parse_config("_extends: .github\n") == Config()


def test_mappings_merge_key_by_key_lists_and_scalars_are_replaced() -> None:
    under = {"quarterly": {"budget": 5, "labels": ["a", "b"]}, "include": ["x/**"], "fail-on": "x"}
    over = {"quarterly": {"labels": ["c"]}, "include": ["y/**"]}

    assert laid_over(under, over) == {
        "quarterly": {"budget": 5, "labels": ["c"]},
        "include": ["y/**"],
        "fail-on": "x",
    }
    assert under["quarterly"] == {"budget": 5, "labels": ["a", "b"]}  # left as it was


def test_the_repository_settings_lie_over_the_owners() -> None:
    org = (
        "fail-on: warnings\n"
        "labels: {gold: {name: 'org: gold', color: 111111}}\n"
        "quarterly: {budget: 5, assignees: [ann]}\n"
        "exclude: ['**/draft.md']\n"
    )
    own = "_extends: .github\nlabels: {gold: {color: 222222}}\nquarterly: {budget: 9}\n"

    config = layered_config(layers(org, own))

    assert config.fail_on == "warnings"
    assert (config.labels["gold"].name, config.labels["gold"].color) == ("org: gold", "222222")
    assert (config.quarterly.budget, config.quarterly.assignees) == (9, ("ann",))
    assert config.exclude == ("**/draft.md",)


def test_a_bad_setting_names_the_file_it_came_from() -> None:
    with pytest.raises(ConfigError, match=re.escape(f"{ORG}: `quarterly.budget`")):
        layers("quarterly: {budget: -1}\n", "_extends: .github\n")
    with pytest.raises(ConfigError, match=re.escape(f"{OWN}: unknown setting `fail_on`")):
        layers("fail-on: errors\n", "fail_on: errors\n")
    with pytest.raises(ConfigError, match=re.escape(f"{ORG}: not valid YAML")):
        layers("fail-on: [\n", "")


def test_a_severity_no_rule_has_names_the_file_that_set_it() -> None:
    """The owner's severities meet the repository's rules only once merged."""
    stack = layers("severity: {tier-banner: off}\n", "rules: policy/rules.yml\n")
    config = layered_config(stack)

    with pytest.raises(ConfigError, match=re.escape(f"{ORG}: `severity.tier-banner`: no rule")):
        policy_from(rules_text().encode(), "policy/rules.yml at main", config, bundled_rules, stack)
    with pytest.raises(RulesError, match="no rule `tier-banner`"):  # one file: as before
        policy_from(rules_text().encode(), "rules", config, bundled_rules)


def test_origin_is_the_last_layer_that_sets_a_setting() -> None:
    stack = layers("rules: org.yml\nseverity: {a: off}\n", "severity: {b: off}\n")

    assert origin(stack, "rules") is stack[0]
    assert origin(stack, "severity", "b") is stack[1]
    assert origin(stack, "severity", "a") is stack[0]
    assert origin(stack, "labels") is None
