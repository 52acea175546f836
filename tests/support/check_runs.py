"""A scripted review's `tierbot` check run: its claim, its run in progress, what it says."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.core.review.check_run import CheckAnnotation, CheckOutput
from bot.jobs.review.claim import Claim
from bot.port.operations import CreateCheckRun, ListCheckRuns
from bot.port.results import CheckRun

from .reviews import HEAD

LOGIN = "tierbot-app[bot]"
BEGAN = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
ID = "delivery-1/5eed"
OPEN = CheckRun(
    1,
    "tierbot",
    HEAD,
    "in_progress",
    None,
    "https://github.com/o/r/runs/1",
    "tierbot-app",
    external_id=ID,
    started_at=BEGAN,
)
THEIRS = replace(OPEN, id=9, app_slug="another-app", html_url="https://github.com/o/r/runs/9")
LIST = ListCheckRuns(HEAD, "tierbot")
CREATE = CreateCheckRun(HEAD, "tierbot", external_id=ID)


def claim() -> Claim:
    """This review's claim: it began when OPEN did (a fresh one each test: it counts waits)."""
    return Claim(ID, BEGAN)


def output(annotations: int, conclusion: str = "failure") -> CheckOutput:
    """A review's output with ``annotations`` new errors, one a page."""
    notes = tuple(
        CheckAnnotation(f"docs/p{n:03}.md", 1, 1, "failure", "No `tier`.", "tier-missing")
        for n in range(annotations)
    )
    return CheckOutput(conclusion, f"{annotations} new errors", "### tierbot", notes)


def completed(said: CheckOutput, run: CheckRun = OPEN) -> CheckRun:
    """``run`` completed saying ``said``."""
    return replace(
        run, status="completed", conclusion=said.conclusion, title=said.title, summary=said.summary
    )
