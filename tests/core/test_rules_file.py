"""Rules files: every mistake is a RulesError naming file, rule and problem; custom rules work."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support.pages import GOLD, NEEDS_TITLE_RULE, key_line, page, rules_text

from bot.adapters.files import load_policy
from bot.cli import main as cli
from bot.core.rules import kinds as checks
from bot.core.rules.kinds import Hit
from bot.core.rules.policy import parse_policy
from bot.errors import RulesError
from bot.resources import bundled_rules_path as default_rules_path

RULE = NEEDS_TITLE_RULE


def edit(old: str, new: str) -> str:
    assert old in RULE
    return rules_text(RULE.replace(old, new))


MISTAKES = [
    pytest.param(
        edit("check: required", "check: requierd"), "needs-title", "`requierd`", id="kind"
    ),
    pytest.param(edit("    field: title\n", ""), "needs-title", "needs field", id="missing-param"),
    pytest.param(edit("field: title", "field: title\n    colour: red"), "needs-title", "colour"),
    pytest.param(edit("severity: warning", "severity: fatal"), "needs-title", "severity", id="sev"),
    pytest.param(edit("check:", "when: {tier: platinum}\n    check:"), "needs-title", "when.tier"),
    pytest.param(edit("check:", "when: {tiers: gold}\n    check:"), "needs-title", "`when`"),
    pytest.param(edit("check:", "when: gold\n    check:"), "needs-title", "`when`", id="when-str"),
    pytest.param(edit("No `{field}`.", "No {title}."), "needs-title", "{title}", id="placeholder"),
    pytest.param(edit("Add `{field}`.", "Add {feild}."), "needs-title", "{feild}", id="checklist"),
    pytest.param(edit("No `{field}`.", "No {field."), "needs-title", "message", id="unbalanced"),
    pytest.param(rules_text(RULE + RULE), "needs-title", "twice", id="duplicate-id"),
    pytest.param(
        rules_text(
            RULE.replace("check: required", "check: pattern").replace(
                "field: title", "field: title\n    regex: '[0-9'"
            )
        ),
        "needs-title",
        "regular expression",
        id="bad-regex",
    ),
    pytest.param(edit("message:", "messsage: x\n    message:"), "needs-title", "messsage"),
    pytest.param("rules: [\n  - id: x\n", None, "not valid YAML", id="not-yaml"),
    pytest.param("- id: needs-title\n  check: required\n", None, "mapping", id="not-mapping"),
    pytest.param(rules_text("  - just a string\n"), "#1", "mapping", id="rule-not-mapping"),
]


@pytest.mark.parametrize("text, rule_id, problem", MISTAKES)
def test_mistake_raises_rules_error_naming_file_rule_and_problem(text, rule_id, problem):
    with pytest.raises(RulesError) as raised:
        parse_policy(text, "policies/bad.yml")
    message = str(raised.value)
    assert message.startswith("policies/bad.yml:")
    assert rule_id is None or rule_id in message
    assert problem in message


def test_positional_placeholder_is_a_rules_error():
    with pytest.raises(RulesError, match="needs-title"):
        parse_policy(edit("No `{field}`.", "No {}."), "bad.yml")


@pytest.mark.parametrize("text, rule_id, problem", MISTAKES)
def test_cli_exits_2_with_the_message_on_stderr(tmp_path, capsys, text, rule_id, problem):
    rules = tmp_path / "bad.yml"
    rules.write_text(text)
    with pytest.raises(RulesError) as raised:
        load_policy(rules)
    target = tmp_path / "page.md"
    target.write_text(page(GOLD))
    assert cli.main(["check", "--rules", str(rules), str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"tierbot: error: {raised.value}\n"
    assert str(rules) in err and problem in err


def test_cli_subprocess_exits_2_on_a_bad_rules_file(tmp_path):
    rules = tmp_path / "bad.yml"
    rules.write_text(edit("severity: warning", "severity: fatal"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--rules", str(rules), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert f"{rules}: rule `needs-title`: severity must be one of" in result.stderr
    assert result.stdout == ""


def test_missing_rules_file_exits_2(tmp_path, capsys):
    assert cli.main(["check", "--rules", str(tmp_path / "nope.yml"), str(tmp_path)]) == 2
    assert "nope.yml" in capsys.readouterr().err


def test_bundled_rules_file_loads():
    policy = load_policy()
    assert policy.source == str(default_rules_path())
    assert policy.by_id("tier-missing").field == "excellence_tier"


def custom_rules(extra: str) -> str:
    return default_rules_path().read_text(encoding="utf-8").rstrip() + "\n\n" + extra


def test_custom_rules_file_with_one_extra_rule(tmp_path):
    rules = tmp_path / "custom.yml"
    rules.write_text(custom_rules(RULE.replace("field: title", "field: tagline")))
    target = tmp_path / "page.md"
    target.write_text(page(GOLD))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--format", "json", "--rules", str(rules), target],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    [finding] = json.loads(result.stdout)["files"][0]["findings"]
    assert finding["rule"] == "needs-title"
    assert finding["message"] == "No `tagline`."
    assert finding["line"] == key_line(page(GOLD), "excellence_tier")  # the field is absent


def test_a_kind_declares_each_parameter_required_or_optional_and_validated(monkeypatch):
    def shout(name, value):
        if value != value.upper():
            raise ValueError(f"`{name}` must be upper case")

    specs = {"field": True, "note": False, "level": shout, "tone": checks.Param(False, shout)}
    monkeypatch.setitem(checks.CHECK_KINDS, "loud", None)  # removed again after the test
    checks.kind("loud", params=specs)(lambda context, params: iter(()))
    assert checks.CHECK_KINDS["loud"].required == {"field", "level"}

    def rules(**params: str) -> str:
        given = "".join(f", {name}: {value}" for name, value in params.items())
        rule = f"id: r, severity: notice, check: loud, message: m, checklist: c{given}"
        return f"rules:\n  - {{{rule}}}\n"

    parse_policy(rules(field="title", level="HIGH"), "r.yml")  # note and tone may be left out
    parse_policy(rules(field="title", level="HIGH", tone="SOFT", note="any"), "r.yml")
    with pytest.raises(RulesError, match="needs level"):
        parse_policy(rules(field="title"), "r.yml")
    with pytest.raises(RulesError, match="`tone` must be upper case"):
        parse_policy(rules(field="title", level="HIGH", tone="soft"), "r.yml")


def test_a_new_check_kind_is_one_function(tmp_path, capsys):
    @checks.kind("max-length", params={"field": True, "max": True}, placeholders=("length",))
    def max_length(context, params):
        value = context.meta.get(params["field"])
        if isinstance(value, str) and len(value) > params["max"]:
            yield Hit(context.document.line_of(params["field"]), {"length": len(value)})

    rule = """\
  - id: short-title
    severity: error
    check: max-length
    field: title
    max: 10
    message: "`{field}` has {length} characters."
    checklist: "Shorten `{field}`."
"""
    rules = tmp_path / "custom.yml"
    rules.write_text(custom_rules(rule))
    target = tmp_path / "page.md"
    target.write_text(page(GOLD))
    try:
        assert cli.main(["check", "--format", "json", "--rules", str(rules), str(target)]) == 1
    finally:
        del checks.CHECK_KINDS["max-length"]
    [finding] = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    assert finding == {
        "rule": "short-title",
        "severity": "error",
        "message": "`title` has 23 characters.",
        "line": 2,
        "field": "title",
        "checklist": "Shorten `title`.",
        "spelling": None,
    }
    with pytest.raises(RulesError, match="unknown check `max-length`"):
        load_policy(rules)  # once removed, the kind is gone
