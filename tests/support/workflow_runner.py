"""Run a workflow file's jobs the way GitHub Actions does, for tests.

An event starts the workflow when its ``on:`` names the event (and the payload's action or
cron line, where it lists ``types`` or crons); then each job runs whose ``if:`` holds over the
``github`` and ``inputs`` contexts (a `workflow_dispatch`'s inputs, else none). A job's steps
run as support/action_runner.py runs a composite action's, its ``uses:`` steps by handlers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .action_runner import ActionRun, UsesHandler, evaluate, run_steps
from .expressions import evaluate_expression, is_truthy


class Workflow:
    """A workflow file: its triggers, and its jobs runnable for an event."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        # YAML 1.1 reads the key `on` as true; GitHub's parser reads it as `on`.
        triggers = data.get("on", data.get(True))
        if isinstance(triggers, str | list):
            triggers = dict.fromkeys([triggers] if isinstance(triggers, str) else triggers)
        self.triggers: dict[str, Any] = triggers
        self.jobs: dict[str, dict[str, Any]] = data["jobs"]

    def starts_on(self, event_name: str, payload: Mapping[str, Any]) -> bool:
        """Whether the event starts a run: it is a trigger, of an action it lists if any (a
        schedule: of a cron line it lists)."""
        if event_name not in self.triggers:
            return False
        spec = self.triggers[event_name] or {}
        if event_name == "schedule":
            return payload.get("schedule") in [entry["cron"] for entry in spec]
        return "types" not in spec or payload.get("action") in spec["types"]

    def jobs_for(self, event_name: str, payload: Mapping[str, Any]) -> list[str]:
        """The jobs the event runs: none unless it starts the workflow, then those whose
        ``if:`` holds (GitHub shows the others as skipped)."""
        if not self.starts_on(event_name, payload):
            return []
        contexts = _contexts(event_name, payload, {})
        return [
            name
            for name, job in self.jobs.items()
            if is_truthy(evaluate_expression(str(job.get("if", "true")), contexts))
        ]

    def concurrency_group(self, name: str, event_name: str, payload: Mapping[str, Any]) -> str:
        """Job ``name``'s concurrency group for the event, evaluated ('' when it has none)."""
        concurrency = self.jobs[name].get("concurrency") or {}
        group = concurrency.get("group", "") if isinstance(concurrency, dict) else concurrency
        return evaluate(str(group), _contexts(event_name, payload, {}))

    def run_job(
        self,
        name: str,
        *,
        event_name: str,
        payload: Mapping[str, Any],
        github: Mapping[str, str],
        env: Mapping[str, str],
        workspace: Path,
        runner_temp: Path,
        uses: Mapping[str, UsesHandler],
    ) -> ActionRun:
        """Run job ``name``'s steps for the event (one ``jobs_for`` names); ``github`` adds
        to the context what the event does not say (the token, the repository)."""
        if name not in self.jobs_for(event_name, payload):
            raise ValueError(f"the `{event_name}` event does not run job `{name}`")
        contexts = _contexts(event_name, payload, github)
        return run_steps(self.jobs[name]["steps"], contexts, env, workspace, runner_temp, uses)


def _contexts(
    event_name: str, payload: Mapping[str, Any], github: Mapping[str, str]
) -> dict[str, Any]:
    inputs = payload.get("inputs") if event_name == "workflow_dispatch" else None
    return {
        "github": {**github, "event_name": event_name, "event": dict(payload)},
        "inputs": dict(inputs or {}),
        "steps": {},
    }
