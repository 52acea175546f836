"""The README's `tierbot init` and `tierbot new` examples are what the commands print."""

from __future__ import annotations

import re
import shlex

import pytest
from support.readme import readme_section

from bot.cli import main as cli

CONSOLE = re.compile(r"```console\n\$ (tierbot [^\n]*)\n(.*?)```", re.S)
EXAMPLES = CONSOLE.findall(readme_section("Setting up a repository and writing pages"))


def test_the_section_shows_init_and_new():
    assert [command.split()[1] for command, _ in EXAMPLES] == ["init", "new"]


@pytest.mark.parametrize("command, shown", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_example_output_is_what_the_command_prints(tmp_path, capsys, monkeypatch, command, shown):
    monkeypatch.chdir(tmp_path)  # an empty repository
    assert cli.main(shlex.split(command)[1:]) == 0
    assert capsys.readouterr().out == shown, "README out of step: paste the real output"
