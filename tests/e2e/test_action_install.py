"""`action.yml` as data (inputs, outputs, no expression in a script), and its install step: a
private environment with only what the Action uses (installed once: support/action_site.py)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from support import wheelhouse
from support.action_runner import CompositeAction, parse_output_file
from support.action_site import (
    DISTRIBUTIONS,
    ROOT,
    Installed,
    action_dependencies,
)
from uv import find_uv_bin

from bot.action import run as bot_action

# --- action.yml as data --------------------------------------------------------------------


def test_every_input_is_documented_quoted_and_used() -> None:
    action = CompositeAction(ROOT / "action.yml")
    inputs, steps_text = action.data["inputs"], json.dumps(action.steps)
    for name, spec in inputs.items():
        assert spec.get("description"), name
        assert isinstance(spec.get("default"), str), name
        assert re.search(rf'^  {name}:\n(    .*\n)*?    default: "[^"\n]*"$', action.text, re.M), (
            f"input {name}: the default is not a quoted string"
        )
        assert re.search(rf"\$\{{\{{ inputs\.{name} \}}\}}", steps_text), f"{name} is unused"
    assert set(re.findall(r"inputs\.([\w-]+)", steps_text)) <= set(inputs)
    # `bot.action.Inputs` reads exactly what the Run step hands over, one variable per input.
    # Inputs reach the scripts through `env:` only: an expression in a script is injectable.
    assert not [step for step in action.steps if "${{" in step.get("run", "")]
    run_step = next(step for step in action.steps if step.get("id") == "tierbot")
    handed = {f"TIERBOT_{n.upper().replace('-', '_')}" for n in inputs if n != "python-version"}
    assert set(run_step["env"]) == handed | {"TIERBOT_PYTHON"}
    for name, spec in action.data["outputs"].items():
        assert spec["description"] and spec["value"] == f"${{{{ steps.tierbot.outputs.{name} }}}}"


def test_write_outputs_round_trips_through_the_runner_syntax(tmp_path: Path) -> None:
    path = tmp_path / "output"
    path.write_text("earlier=1\n")
    values = {"plain": "a=b c", "empty": "", "lines": "first\nsecond\n\nlast"}
    bot_action.write_outputs(str(path), values)
    assert parse_output_file(path.read_text()) == {"earlier": "1", **values}


# --- installing -----------------------------------------------------------------------------


def test_install_step_puts_the_wheel_in_a_private_environment(installed: Installed) -> None:
    assert [step.returncode for step in installed.install.steps] == [0, 0], installed.install.stderr
    site = subprocess.run(
        [installed.python, "-I", "-c", "import bot; print(bot.__file__)"],
        cwd=installed.action_path.parent / "workspace",  # holds decoy `bot` and `pip` packages
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    environment = installed.python.parent.parent
    assert environment.parent == installed.action_path.parent  # under RUNNER_TEMP
    assert Path(site).is_relative_to(environment), site  # not the source
    assert (Path(site).parent / "_rules" / "dstudio.yml").is_file()  # the bundled policy
    [record] = Path(site).parents[1].glob("tierbot-*.dist-info/direct_url.json")
    assert json.loads(record.read_text())["url"] == installed.action_path.as_uri()
    assert installed.test_site_unchanged  # the test environment was not touched


def test_the_action_installs_only_what_it_uses(installed: Installed) -> None:
    listed = subprocess.run(
        [installed.python, "-I", "-c", DISTRIBUTIONS], capture_output=True, text=True, check=True
    ).stdout.split()
    needed = wheelhouse.closure(action_dependencies()[:-1])  # not the build backend
    assert sorted(listed) == sorted([*needed, "tierbot"])
    assert not {"aiohttp", "gidgethub", "prometheus-client", "hatchling"} & set(listed)


def test_the_job_keeps_its_own_python(installed: Installed) -> None:
    """setup-uv puts uv on PATH and names its cache; nothing else reaches the job's steps."""
    assert installed.install.env.keys() == {"UV_CACHE_DIR"}
    assert installed.install.path == (
        str(installed.python.parent.parent.parent / "hostedtoolcache" / "uv"),
    )


def test_the_uv_tested_is_the_uv_pinned(installed: Installed) -> None:
    [setup] = [step for step in installed.action.steps if step.get("id") == "uv"]
    version = subprocess.run([find_uv_bin(), "--version"], capture_output=True, text=True)
    assert version.stdout.split()[1] == setup["with"]["version"]
