"""The README's `tierbot init`, `new` and `schema` examples are what the commands print."""

from __future__ import annotations

import re
import shlex

import pytest
from support.readme import is_excerpt, readme_section

from bot.cli import main as cli

CONSOLE = re.compile(r"```console\n\$ (tierbot [^\n]*)\n(.*?)```", re.S)
EXAMPLES = CONSOLE.findall(readme_section("Setting up a repository and writing pages"))


def test_the_section_shows_init_new_and_schema():
    assert [command.split()[1] for command, _ in EXAMPLES] == ["init", "new", "schema"]


@pytest.mark.parametrize("command, shown", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_example_output_is_what_the_command_prints(tmp_path, capsys, monkeypatch, command, shown):
    monkeypatch.chdir(tmp_path)  # an empty repository
    assert cli.main(shlex.split(command)[1:]) == 0
    real = capsys.readouterr().out
    assert is_excerpt(shown, real), f"README out of step: paste the real output\n{real}"


@pytest.mark.parametrize(
    ("shown", "real", "verdict"),
    [
        ("a\nb\n", "a\nb\n", True),
        ("a\n", "a\nb\n", False),  # cut short without saying so
        ("a\n# …\n", "a\nb\nc\n", True),
        ("a\n# …\nc\n", "a\nb\nc\n", True),
        ("a\n# …\nc\n", "a\nb\nc\nd\n", False),
        ("b\n# …\n", "a\nb\nc\n", False),  # an excerpt starts where the output does
        ("a\n# …\nx\n", "a\nb\nc\n", False),  # a line the output lacks
        ("a\n# …\n c\n", "a\nb\nc\n", False),  # lines whole, never parts of them
    ],
)
def test_an_excerpt_leaves_out_whole_lines_only_where_it_says(shown, real, verdict):
    assert is_excerpt(shown, real) is verdict
