"""The Action's inputs, as `action.yml` hands them over through `env:`, and its mode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.config import CONFIG_PATH
from bot.core.failing import FAIL_ON
from bot.core.settings import Overrides
from bot.errors import UsageError

MODES = ("auto", "review", "quarterly", "check")


@dataclass(frozen=True, slots=True)
class Inputs:
    """The action's inputs, validated."""

    token: str
    config: str | None
    rules: str | None
    fail_on: str | None
    comment: bool
    labels: bool
    suggestions: bool
    mode: str
    quarter: str | None
    dry_run: bool

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        def text(name: str) -> str | None:
            return env.get(f"TIERBOT_{name.upper().replace('-', '_')}", "").strip() or None

        def flag(name: str, default: str) -> bool:
            value = text(name) or default
            if value not in ("true", "false"):
                raise UsageError(f"input `{name}` must be `true` or `false`, not {value!r}")
            return value == "true"

        def choice(name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
            value = text(name) or default
            if value is not None and value not in allowed:
                raise UsageError(f"input `{name}` must be one of {', '.join(allowed)}")
            return value

        return cls(
            token=text("github-token") or "",
            config=text("config"),
            rules=text("rules"),
            fail_on=choice("fail-on", FAIL_ON, None),
            comment=flag("comment", "true"),
            labels=flag("labels", "true"),
            suggestions=flag("suggestions", "true"),
            mode=choice("mode", MODES, "auto") or "auto",
            quarter=text("quarter"),
            dry_run=flag("dry-run", "false"),
        )

    @property
    def overrides(self) -> Overrides:
        """The config, rules and fail-on inputs, which win over the base branch's settings."""
        return Overrides(self.config or CONFIG_PATH, self.rules, self.fail_on)


def mode_for(event_name: str, mode: str) -> str:
    """What the step does: the `mode` input, or what the event calls for."""
    if mode != "auto":
        return mode
    if event_name in ("pull_request", "pull_request_target", "pull_request_review"):
        return "review"
    if event_name in ("schedule", "workflow_dispatch", "issues"):
        return "quarterly"
    if event_name == "push":
        return "check"
    raise UsageError(f"tierbot does not handle `{event_name}` events; set the `mode` input")
