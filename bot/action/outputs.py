"""The step's outputs (one builder for every mode) and its job summary, in GitHub's file formats."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from bot.core.tiers import TIERS


def outputs(
    conclusion: str,
    tiers: Iterable[str | None],
    *,
    new_errors: int,
    errors: int,
    warnings: int,
    comment_url: str | None = None,
    issue_url: str | None = None,
) -> dict[str, str]:
    """Every output `action.yml` declares, whatever the mode; ``tiers`` are those touched."""
    touched = set(tiers)
    return {
        "conclusion": conclusion,
        "tiers": ",".join(tier for tier in TIERS if tier in touched),
        "new-errors": str(new_errors),
        "errors": str(errors),
        "warnings": str(warnings),
        "comment-url": comment_url or "",
        "issue-url": issue_url or "",
    }


def write_outputs(path: str | None, values: Mapping[str, str]) -> None:
    """Append outputs in GitHub's syntax: `name=value`, heredoc for several lines."""
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        for name, value in values.items():
            if "\n" in value:
                delimiter = f"ghadelimiter_{uuid.uuid4()}"
                handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                handle.write(f"{name}={value}\n")


def append_summary(path: str | None, markdown: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
