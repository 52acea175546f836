"""The README's `tierbot check`, configuration and rule sections are in step with the code."""

from __future__ import annotations

import re
import shlex

import pytest
from support.readme import ROOT, readme_section

from bot.adapters.files import load_policy
from bot.cli import main as cli
from bot.core.config import Config, PromotionsConfig, QuarterlyConfig
from bot.core.config_file import parse_config

#: A console block: ``$ tierbot check ARGS`` on its first line, the output after it.
CONSOLE = re.compile(r"```console\n\$ (tierbot check[^\n]*)\n(.*?)```", re.S)
EXAMPLES = CONSOLE.findall(readme_section("Using tierbot check"))


def run_check(capsys, monkeypatch, command: str) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    code = cli.main(shlex.split(command)[1:])
    return code, capsys.readouterr().out


def test_the_section_shows_the_findings_and_the_statistics():
    commands = [command for command, _ in EXAMPLES]
    assert commands == [
        "tierbot check --severity error examples",
        "tierbot check --statistics examples",
    ]


@pytest.mark.parametrize("command, shown", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_example_output_is_what_the_command_prints(capsys, monkeypatch, command, shown):
    code, out = run_check(capsys, monkeypatch, command)
    assert code == 1  # the examples have errors on purpose
    assert out == shown, "README out of step: paste the command's real output"


def test_quick_start_summary_line_is_the_real_one(capsys, monkeypatch):
    quoted = re.search(r"a\s+summary line \(`([^`]+)`\)", readme_section("Quick start"))
    assert quoted, "the Quick start quotes the summary line of `tierbot check examples`"
    _, out = run_check(capsys, monkeypatch, "tierbot check examples")
    assert quoted.group(1) in out.splitlines()


class _Kept(dict):
    """Format a rule's text with its parameters, keeping the placeholders a finding fills."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def test_rule_table_is_the_bundled_policy():
    section = readme_section("Rule reference")
    rows = re.findall(r"(?m)^\| `([a-z-]+)` \| (\w+) \| [^|]+ \| [^|]+ \| (.+) \|$", section)
    policy = load_policy()
    assert [row[0] for row in rows] == [rule.id for rule in policy.rules]
    for (rule_id, severity, checklist), rule in zip(rows, policy.rules, strict=True):
        assert severity == rule.severity, rule_id
        assert checklist == rule.checklist.format_map(_Kept(rule.params)), rule_id


def test_configuration_example_is_the_defaults_and_every_setting_is_described():
    section = readme_section("Configuration")
    [example] = re.findall(r"```yaml\n(# \.github/tierbot\.yml: every value.*?)```", section, re.S)
    assert parse_config(example) == Config()
    settings = [f for f in Config._fields if f not in ("quarterly", "promotions")]
    settings += [f"quarterly.{f}" for f in QuarterlyConfig._fields if f != "health"]
    settings += [f"promotions.{f}" for f in PromotionsConfig._fields]
    for name in settings:
        assert f"\n| `{name.replace('_', '-')}` |" in section, name


def test_the_fix_examples_are_what_tierbot_fix_prints(capsys, monkeypatch):
    section = readme_section("Using tierbot check")
    shown = re.search(r"```console\n\$ tierbot fix --check examples\n(.*?)```", section, re.S)
    diff = re.search(
        r"and what `tierbot fix --diff examples` prints[^\n]*\n\n```diff\n(.*?)```", section, re.S
    )
    assert shown and diff, "the README shows `tierbot fix --check examples` and its --diff"
    code, out = run_check(capsys, monkeypatch, "tierbot fix --check examples")
    assert code == 1 and out == shown.group(1)  # the examples have fixes waiting, on purpose
    code, out = run_check(capsys, monkeypatch, "tierbot fix --diff examples")
    assert code == 0 and out == diff.group(1)
