"""A review's `tierbot` check run: started in progress, completed once, or ended neutral."""

from __future__ import annotations

import logging

from bot.core.limits import CHECK_ANNOTATIONS_PER_REQUEST
from bot.core.review.check_run import CheckOutput, stopped_output
from bot.errors import ForgeError, TierbotError
from bot.jobs.once import create_once
from bot.port.operations import (
    CreateCheckRun,
    GetCheckRun,
    Job,
    ListCheckRuns,
    Operation,
    UpdateCheckRun,
)
from bot.port.results import CheckRun

log = logging.getLogger(__name__)

CHECK_RUN_NAME = "tierbot"


def is_ours(run: CheckRun, login: str) -> bool:
    """Made by tierbot's identity: GitHub names a run's App by its slug, the login less [bot]."""
    return run.app_slug == login.removesuffix("[bot]")


def already_says(run: CheckRun, output: CheckOutput) -> bool:
    """Whether ``run`` is completed with exactly ``output``'s conclusion, title and summary."""
    return run.status == "completed" and (run.conclusion, run.title, run.summary) == (
        output.conclusion,
        output.title,
        output.summary,
    )


def start_check_run(head_sha: str, login: str) -> Job[CheckRun | None]:
    """The run a review of ``head_sha`` reports into: our newest there, or a new one in progress.

    Our newest may be completed already (a rerun): it is kept, to be compared with the
    review's output once that is known (see ``reopen_check_run``). None in a dry run.
    """
    runs: tuple[CheckRun, ...] = yield ListCheckRuns(head_sha, CHECK_RUN_NAME)
    newest = next((run for run in runs if is_ours(run, login)), None)
    if newest is not None:
        return newest
    return (yield from _create(head_sha, login))


def reopen_check_run(run: CheckRun, output: CheckOutput, login: str) -> Job[CheckRun | None]:
    """``run``, unless it is completed saying something else than ``output``: then a new run.

    GitHub appends the annotations of every request, so a run that already holds another
    review's annotations cannot be made to say this one. None in a dry run.
    """
    if run.status != "completed" or already_says(run, output):
        return run
    return (yield from _create(run.head_sha, login))


def complete_check_run(run: CheckRun, output: CheckOutput) -> Job[None]:
    """Send ``output``, 50 annotations a request, the last request completing the run.

    Nothing is written when ``run`` already says exactly this.
    """
    if already_says(run, output):
        return
    size = CHECK_ANNOTATIONS_PER_REQUEST
    found = output.annotations
    batches = [found[start : start + size] for start in range(0, len(found), size)] or [()]
    held = run.annotations_count
    for batch in batches[:-1]:
        # Every request carries the output's title and summary: GitHub requires both.
        update = UpdateCheckRun(
            run.id, title=output.title, summary=output.summary, annotations=batch
        )
        held = yield from _append(update, held)
    last = UpdateCheckRun(
        run.id,
        status="completed",
        conclusion=output.conclusion,
        title=output.title,
        summary=output.summary,
        annotations=batches[-1],
    )
    yield from _append(last, held)


def _append(update: UpdateCheckRun, held: int) -> Job[int]:
    """Send ``update`` to a run holding ``held`` annotations; how many it holds after.

    GitHub appends an update's annotations, and a 5xx may hide one that landed: the run is
    read again before one more try, so no annotation is shown twice.
    """
    after = held + len(update.annotations)

    def landed() -> Job[CheckRun | None]:
        now: CheckRun = yield GetCheckRun(update.check_run_id)
        return now if now.annotations_count >= after else None

    if update.annotations:
        yield from create_once(update, landed)
    else:  # nothing appended: the driver's own retries are safe
        yield update
    return after


def stop_check_run(run: CheckRun, error: TierbotError, operation: Operation | None) -> Job[None]:
    """End ``run`` neutral with the reason the review stopped, naming the failed operation.

    GitHub failing on this too is only logged: the error that stopped the review is the one
    its caller re-raises.
    """
    if isinstance(error, ForgeError):
        name = type(operation).__name__ if operation is not None else "a GitHub request"
        # The GitHub adapters' messages start with the operation's name already.
        cause, detail = f"{name} failed", str(error).removeprefix(f"{name}: ")
    else:  # a UsageError: the config or rules file at the base is invalid
        cause, detail = "the settings are invalid", str(error)
    try:
        yield from complete_check_run(run, stopped_output(cause, detail))
    except ForgeError as failed:
        log.warning("check run %s stays in progress: %s", run.html_url, failed)


def _create(head_sha: str, login: str) -> Job[CheckRun | None]:
    def landed() -> Job[CheckRun | None]:
        runs: tuple[CheckRun, ...] = yield ListCheckRuns(head_sha, CHECK_RUN_NAME)
        return next((r for r in runs if is_ours(r, login) and r.status != "completed"), None)

    return (yield from create_once(CreateCheckRun(head_sha, CHECK_RUN_NAME), landed))
