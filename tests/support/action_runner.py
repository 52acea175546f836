"""Run a composite action's steps the way the GitHub Actions runner does, for tests.

Each ``run`` step becomes a script file executed as ``bash --noprofile --norc -eo pipefail
FILE`` in the workspace, with the step's ``env:`` evaluated against the ``inputs``,
``github`` and ``steps`` contexts, and a fresh ``GITHUB_OUTPUT`` / ``GITHUB_STEP_SUMMARY``
file per step, parsed back afterwards as the runner parses them; what a step appends to
``GITHUB_ENV`` and ``GITHUB_PATH`` holds for the steps after it. ``uses:`` steps are simulated
by the handler the test supplies for the action they name: it returns the step's outputs, or
a ``Uses`` with the variables and PATH entries the action would set too, or the ``ActionRun``
of an action it ran through this simulation. A workflow's jobs run the same way
(support/workflow_runner.py).
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .expressions import evaluate_expression, to_string

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
ANNOTATION = re.compile(r"^::(error|warning|notice)(?: (.*?))?::(.*)$")
BASH = ("bash", "--noprofile", "--norc", "-eo", "pipefail")


@dataclass
class Uses:
    """What a simulated ``uses:`` step leaves behind: outputs, and what it sets for later
    steps (as an action does through ``GITHUB_ENV`` and ``GITHUB_PATH``)."""

    outputs: Mapping[str, str]
    env: Mapping[str, str] = field(default_factory=dict)
    path: tuple[str, ...] = ()  # prepended to PATH, the last one first


def parse_output_file(text: str) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIMITER`` heredocs, as the runner reads them."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if not line:
            continue
        heredoc = re.fullmatch(r"([^=<]+)<<(.+)", line)
        if heredoc:
            name, delimiter = heredoc.groups()
            body = list(itertools.takewhile(lambda entry, end=delimiter: entry != end, lines))
            outputs[name] = "\n".join(body)
            continue
        name, equals, value = line.partition("=")
        if not equals or not name:
            raise ValueError(f"invalid line in the output file: {line!r}")
        outputs[name] = value
    return outputs


def _unescape(text: str, *, property_: bool = False) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if property_ else [])
    for escaped, plain in [*pairs, ("%25", "%")]:
        text = text.replace(escaped, plain)
    return text


def annotations(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    """The ``::level key=value,...::message`` commands in a step's output, parsed as the
    runner parses them: the properties end at the first ``::``."""
    found = []
    for line in stdout.splitlines():
        match = ANNOTATION.match(line)
        if match:
            level, properties, message = match.groups()
            pairs = (item.split("=", 1) for item in (properties or "").split(",") if item)
            values = {key: _unescape(value, property_=True) for key, value in pairs}
            found.append((level, values, _unescape(message)))
    return found


@dataclass
class StepResult:
    name: str
    returncode: int
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    env: dict[str, str] = field(default_factory=dict)  # set for the steps after it
    path: tuple[str, ...] = ()  # prepended to their PATH


@dataclass
class ActionRun:
    steps: list[StepResult]
    outputs: dict[str, str]  # the action's own outputs, evaluated
    env: dict[str, str] = field(default_factory=dict)  # what the job's later steps inherit
    path: tuple[str, ...] = ()  # PATH entries they inherit, first first

    @property
    def returncode(self) -> int:
        return next((s.returncode for s in self.steps if s.returncode), 0)

    @property
    def stdout(self) -> str:
        return "".join(step.stdout for step in self.steps)

    @property
    def stderr(self) -> str:
        return "".join(step.stderr for step in self.steps)

    @property
    def summary(self) -> str:
        return "".join(step.summary for step in self.steps)

    def annotations(self, level: str | None = None) -> list[tuple[str, dict[str, str], str]]:
        return [a for a in annotations(self.stdout) if level in (None, a[0])]


#: A simulated ``uses:`` step: its outputs; or a ``Uses``; or, for an action run through this
#: simulation in turn, its ``ActionRun``.
UsesHandler = Callable[[Mapping[str, str]], Mapping[str, str] | Uses | ActionRun]


class CompositeAction:
    """``action.yml`` of a composite action, runnable step by step."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.data: dict[str, Any] = yaml.safe_load(self.text)
        self.steps: list[dict[str, Any]] = self.data["runs"]["steps"]

    def run(
        self,
        *,
        with_: Mapping[str, str],
        github: Mapping[str, str],
        env: Mapping[str, str],
        workspace: Path,
        runner_temp: Path,
        uses: Mapping[str, UsesHandler],
        steps: Callable[[dict[str, Any]], bool] = lambda step: True,
        step_outputs: Mapping[str, Mapping[str, str]] | None = None,
    ) -> ActionRun:
        """Run the ``steps`` chosen; ``step_outputs`` are outputs of steps run earlier."""
        declared = self.data.get("inputs", {})
        unknown = set(with_) - set(declared)
        if unknown:
            raise ValueError(f"inputs the action does not declare: {sorted(unknown)}")
        contexts: dict[str, Any] = {
            "github": dict(github),
            "steps": {k: {"outputs": dict(v)} for k, v in (step_outputs or {}).items()},
        }
        contexts["inputs"] = {
            name: with_[name] if name in with_ else evaluate(str(spec["default"]), contexts)
            for name, spec in declared.items()
        }
        chosen = [step for step in self.steps if steps(step)]
        done = run_steps(chosen, contexts, env, workspace, runner_temp, uses)
        done.outputs = {
            name: evaluate(str(spec["value"]), contexts)
            for name, spec in self.data.get("outputs", {}).items()
        }
        return done


def run_steps(
    steps: list[dict[str, Any]],
    contexts: dict[str, Any],
    env: Mapping[str, str],
    workspace: Path,
    runner_temp: Path,
    uses: Mapping[str, UsesHandler],
) -> ActionRun:
    """Run ``steps`` in order, as in a job or a composite action: what a step sets (outputs,
    variables, PATH) holds for the steps after it, and a failed step ends the run. The run's
    own outputs are the caller's to evaluate."""
    results = []
    counter = itertools.count()
    job_env: dict[str, str] = {}
    job_path: tuple[str, ...] = ()
    for step in steps:
        if "if" in step:
            raise NotImplementedError("steps with `if:` are not simulated")
        if "uses" in step:
            result = _uses(step, uses, contexts)
        else:
            changed = {**env, **job_env}
            if job_path:
                changed["PATH"] = os.pathsep.join([*job_path, env.get("PATH", os.defpath)])
            index = next(counter)
            result = _run(step, contexts, changed, workspace, runner_temp, index)
        job_env |= result.env
        job_path = (*reversed(result.path), *job_path)
        if step.get("id"):
            contexts["steps"][step["id"]] = {"outputs": result.outputs}
        results.append(result)
        if result.returncode:
            break
    return ActionRun(results, {}, job_env, job_path)


def _uses(
    step: dict[str, Any], uses: Mapping[str, UsesHandler], contexts: dict[str, Any]
) -> StepResult:
    """A ``uses:`` step, by the test's handler for the action it names."""
    action = step["uses"].split("@")[0]
    arguments = {k: evaluate(to_string(v), contexts) for k, v in step.get("with", {}).items()}
    done = uses[action](arguments)
    name = step.get("name", action)
    if isinstance(done, ActionRun):  # an action run through the simulation in turn
        return StepResult(
            name,
            done.returncode,
            done.stdout,
            done.stderr,
            done.outputs,
            done.summary,
            done.env,
            done.path,
        )
    effects = done if isinstance(done, Uses) else Uses(done)
    return StepResult(
        name, 0, outputs=dict(effects.outputs), env=dict(effects.env), path=effects.path
    )


def _run(
    step: dict[str, Any],
    contexts: dict[str, Any],
    env: Mapping[str, str],
    workspace: Path,
    runner_temp: Path,
    index: int,
) -> StepResult:
    if step.get("shell") != "bash":
        raise NotImplementedError(f"shell {step.get('shell')!r} is not simulated")
    script = runner_temp / f"step-{index}-{os.getpid()}.sh"
    script.write_text(evaluate(step["run"], contexts), encoding="utf-8")
    files = {
        kind: script.with_suffix(f".{kind.lower()}")
        for kind in ("OUTPUT", "STEP_SUMMARY", "ENV", "PATH")
    }
    for path in files.values():
        path.write_text("")
    step_env = {
        **env,
        **{k: evaluate(to_string(v), contexts) for k, v in step.get("env", {}).items()},
        **{f"GITHUB_{kind}": str(path) for kind, path in files.items()},
        "RUNNER_TEMP": str(runner_temp),
    }
    done = subprocess.run(
        [*BASH, str(script)],
        cwd=workspace / step.get("working-directory", "."),
        env=step_env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    def read(kind: str) -> str:
        return files[kind].read_text(encoding="utf-8")

    return StepResult(
        step.get("name", step["run"]),
        done.returncode,
        done.stdout,
        done.stderr,
        parse_output_file(read("OUTPUT")),
        read("STEP_SUMMARY"),
        parse_output_file(read("ENV")),
        tuple(line for line in read("PATH").splitlines() if line),
    )


def evaluate(text: str, contexts: Mapping[str, Any]) -> str:
    """Replace each ``${{ expression }}`` in ``text`` with its value, as the runner does."""
    return EXPRESSION.sub(lambda found: to_string(evaluate_expression(found[1], contexts)), text)
