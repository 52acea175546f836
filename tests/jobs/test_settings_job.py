"""`settings_job` with a scripted executor: one read for the config, one more for custom rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.pages import default_policy, rules_text
from support.scripted import Script

from bot.adapters.files import load_settings
from bot.core.config import CONFIG_PATH, Config
from bot.core.settings import Overrides
from bot.errors import ConfigError, RulesError
from bot.jobs.settings import settings_job
from bot.port.operations import ReadFiles

SHA = "b" * 40
RULES = "policy/rules.yml"
CUSTOM_RULES = rules_text().encode()


def test_no_config_file_is_the_defaults_and_the_bundled_policy_in_one_read() -> None:
    script = Script((ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: None}))

    config, policy, _ = script.run(settings_job(SHA))

    assert config == Config()
    assert policy == default_policy()


def test_a_config_without_rules_reads_nothing_more() -> None:
    script = Script((ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: b"fail-on: errors\n"}))

    config, policy, _ = script.run(settings_job(SHA))

    assert config.fail_on == "errors"
    assert policy == default_policy()


def test_custom_rules_named_by_the_config_are_a_second_read() -> None:
    config_file = f"rules: {RULES}\nseverity:\n  needs-title: error\n".encode()
    script = Script(
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: config_file}),
        (ReadFiles(SHA, (RULES,)), {RULES: CUSTOM_RULES}),
    )

    config, policy, _ = script.run(settings_job(SHA))

    assert config.rules == RULES
    assert policy.source == f"{RULES} at {SHA[:12]}"
    assert [(rule.id, rule.severity) for rule in policy.rules] == [("needs-title", "error")]


def test_a_missing_custom_rules_file_is_a_config_error_naming_it() -> None:
    script = Script(
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: f"rules: {RULES}\n".encode()}),
        (ReadFiles(SHA, (RULES,)), {RULES: None}),
    )

    with pytest.raises(
        ConfigError, match=re.escape(f"the rules file `{RULES}` is missing at bbbbbbbbbbbb") + "$"
    ):
        script.run(settings_job(SHA))
    script.assert_done()


def test_where_names_the_revision_in_errors() -> None:
    script = Script(
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: f"rules: {RULES}\n".encode()}),
        (ReadFiles(SHA, (RULES,)), {}),  # an adapter that leaves the path out: missing too
    )

    with pytest.raises(ConfigError, match=re.escape(f"`{RULES}` is missing at main") + "$"):
        script.run(settings_job(SHA, where="main"))
    script.assert_done()


def test_overridden_rules_are_read_without_the_config_naming_them() -> None:
    overrides = Overrides(rules_path=RULES, fail_on="warnings")
    script = Script(
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: None}),
        (ReadFiles(SHA, (RULES,)), {RULES: CUSTOM_RULES}),
    )

    config, policy, _ = script.run(settings_job(SHA, overrides))

    assert (config.fail_on, config.rules) == ("warnings", None)
    assert [rule.id for rule in policy.rules] == ["needs-title"]


def test_an_overridden_config_path_must_exist() -> None:
    overrides = Overrides(config_path="ci/tierbot.yml")
    script = Script((ReadFiles(SHA, ("ci/tierbot.yml",)), {"ci/tierbot.yml": None}))

    with pytest.raises(ConfigError, match=r"ci/tierbot\.yml: no such config file at bbbbbbbbbbbb$"):
        script.run(settings_job(SHA, overrides))
    script.assert_done()


def test_invalid_custom_rules_name_the_file_and_revision() -> None:
    script = Script(
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: f"rules: {RULES}\n".encode()}),
        (ReadFiles(SHA, (RULES,)), {RULES: b"version: 1\nrules: nope\n"}),
    )

    with pytest.raises(RulesError, match=re.escape(f"{RULES} at bbbbbbbbbbbb")):
        script.run(settings_job(SHA))
    script.assert_done()


def test_the_job_and_the_working_tree_parse_settings_alike(tmp_path: Path) -> None:
    """Both only read bytes: bot/core/settings.py decodes, parses and validates them."""
    (tmp_path / ".github").mkdir()
    (tmp_path / CONFIG_PATH).write_bytes(b"fail-on: \xff\n")
    script = Script((ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: b"fail-on: \xff\n"}))

    said = re.escape(f"{CONFIG_PATH} at bbbbbbbbbbbb: not UTF-8 text")
    with pytest.raises(ConfigError, match=f"^{said}$"):
        script.run(settings_job(SHA))
    said = re.escape(f"{tmp_path / CONFIG_PATH}: not UTF-8 text")
    with pytest.raises(ConfigError, match=f"^{said}$"):
        load_settings(None, None, tmp_path)

    config_file = f"rules: {RULES}\nseverity:\n  needs-title: error\n".encode()
    (tmp_path / CONFIG_PATH).write_bytes(config_file)
    (tmp_path / RULES).parent.mkdir()
    (tmp_path / RULES).write_bytes(CUSTOM_RULES)
    script = Script(
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: config_file}),
        (ReadFiles(SHA, (RULES,)), {RULES: CUSTOM_RULES}),
    )
    at_revision, in_tree = script.run(settings_job(SHA)), load_settings(None, None, tmp_path)
    assert at_revision.config == in_tree.config
    assert at_revision.policy.rules == in_tree.policy.rules
    assert [rule.severity for rule in in_tree.policy.rules] == ["error"]
