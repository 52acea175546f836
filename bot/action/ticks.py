"""The Action on an `issues` `edited` event: a quarterly issue's ticked boxes made into the
quarter's pull request, by the job the App runs; the event names the edit and who made it,
everything compared is read from GitHub in the run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.action.outputs import append_summary, outputs, write_outputs
from bot.core.quarterly.reviewed import box_edit
from bot.jobs.quarterly.box_edits import apply_box_edits
from bot.jobs.quarterly.review_pr import TicksOutcome
from bot.port.drive import run as drive
from bot.port.forge import Forge

SAID = {
    "created": "opened {pull}",
    "updated": "updated {pull}",
    "closed": "closed {pull}: no box is ticked",
    "unchanged": "{pull} already holds every ticked page",
    "refused": "may not write to the repository; the issue says why",
    "not-permitted": "the edit is by someone who may not write to the repository: ignored",
    "not-quarterly": "the issue is not a quarterly review",
}


def run_ticks(event: Mapping[str, Any], forge: Forge, env: Mapping[str, str], dry_run: bool) -> int:
    """Bring the quarter's pull request in step with the boxes the event's edit changed."""
    issue, sender = event.get("issue") or {}, event.get("sender") or {}
    changes = (event.get("changes") or {}).get("body") or {}
    edit = box_edit(
        changes.get("from") if event.get("action") == "edited" else None,
        issue.get("body") or "",
        str(sender.get("login", "")),
        sender.get("id"),
        sender.get("type"),
    )
    labels = [str(label["name"]) for label in issue.get("labels") or [] if "name" in label]
    if edit is None or not labels:
        said, conclusion = "no box of a quarterly review was ticked or unticked", "neutral"
    elif dry_run:
        said, conclusion = "a dry run: the quarter's pull request is left as it is", "neutral"
    else:
        today = datetime.now(UTC).date()
        base = str((event.get("repository") or {}).get("default_branch") or "main")
        job = apply_box_edits(int(issue["number"]), labels[0], base, [edit], forge.login, today)
        outcome: TicksOutcome = drive(job, forge.execute)
        pull = f"pull request #{outcome.pull}" if outcome.pull else "the pull request"
        said, conclusion = SAID[outcome.action].format(pull=pull), "success"
    append_summary(env.get("GITHUB_STEP_SUMMARY"), f"### tierbot quarterly review\n\n{said}\n")
    write_outputs(
        env.get("GITHUB_OUTPUT"), outputs(conclusion, (), new_errors=0, errors=0, warnings=0)
    )
    print(f"tierbot: quarterly boxes: {said}")
    return 0
