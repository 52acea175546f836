"""A review's `tierbot` check run: started or awaited, completed once, or ended neutral."""

from __future__ import annotations

import logging

from bot.core.limits import CHECK_ANNOTATIONS_PER_REQUEST
from bot.core.review.check_run import CheckOutput, stopped_output, surplus_output
from bot.errors import ForgeError, TierbotError
from bot.jobs.once import create_once
from bot.jobs.review.claim import (
    CHECK_RUN_NAME,
    Claim,
    await_check_run,
    claim_new_run,
    end_check_run,
    newest_ours,
    take_over,
)
from bot.port.operations import GetCheckRun, Job, ListCheckRuns, UpdateCheckRun, ask
from bot.port.results import CheckRun

log = logging.getLogger(__name__)

WAITING = "%s is held by %s: this review publishes once that run completes"
#: Times a review waits for another's run and compares before leaving the run to the other.
SETTLE_ROUNDS = 3


def already_says(run: CheckRun, output: CheckOutput) -> bool:
    """Whether ``run`` is completed with exactly ``output``'s conclusion, title and summary."""
    return run.status == "completed" and (run.conclusion, run.title, run.summary) == (
        output.conclusion,
        output.title,
        output.summary,
    )


def start_check_run(head_sha: str, login: str, claim: Claim) -> Job[CheckRun | None]:
    """The run a review of ``head_sha`` reports into: our newest there, or a new one, claimed.

    Our newest may be completed already (a rerun): it is kept, to be compared with the
    review's output once that is known (see ``settle_check_run``); so is one that another
    live review holds, to be waited out before publishing. None in a dry run.
    """
    newest = newest_ours((yield from ask(ListCheckRuns(head_sha, CHECK_RUN_NAME))), login)
    if newest is None:
        return (yield from claim_new_run(head_sha, login, claim))
    if claim.stale(newest):
        return (yield from take_over(newest, claim))
    if claim.busy(newest):
        log.info(WAITING, newest.html_url, newest.external_id or "an unnamed review")
    return newest


def settle_check_run(
    run: CheckRun, output: CheckOutput, login: str, claim: Claim
) -> Job[CheckRun | None]:
    """The run to report ``output`` in: this review's own, or a completed one saying it already.

    Another live review's run is waited out first: it publishes what this review would, so
    it is compared once completed. GitHub appends the annotations of every request, so a run
    that holds another output's cannot be made to say this one: a new run is claimed. When
    another review still holds our newest run after ``SETTLE_ROUNDS``, that run is returned,
    left to it. None in a dry run.
    """
    for _ in range(SETTLE_ROUNDS):
        awaited = yield from await_check_run(run, login, claim)
        if awaited is None:
            return None
        if claim.holds(awaited) and _batches_held(awaited, output) is not None:
            return awaited
        if already_says(awaited, output):
            return awaited
        if claim.holds(awaited):  # taken over from a review that died, its annotations in it
            yield from end_check_run(awaited, surplus_output())
        created = yield from claim_new_run(awaited.head_sha, login, claim)
        if created is None or claim.holds(created):
            return created
        run = created  # another review's, newer: waited out in turn
    log.warning("%s stays another review's: this review leaves it", run.html_url)
    return run


def complete_check_run(run: CheckRun, output: CheckOutput, claim: Claim) -> Job[None]:
    """Send ``output``, 50 annotations a request, the last request completing the run.

    The run is read again before the first request, and each request's answer (the run as
    it left it) is read before the next: once the run is not this review's any more (another
    review took it over), nothing more is written. Requests that a review which died holding
    the run made already are not made again. Nothing is written when ``run`` already says
    exactly this.
    """
    if already_says(run, output):
        return
    size = CHECK_ANNOTATIONS_PER_REQUEST
    found = output.annotations
    batches = [found[start : start + size] for start in range(0, len(found), size)] or [()]
    now = yield from ask(GetCheckRun(run.id))
    batches = batches[_batches_held(now, output) or 0 :] or [()]
    for number, batch in enumerate(batches):
        if not claim.holds(now):
            log.warning("%s is %s's now: this review leaves it", run.html_url, now.external_id)
            return
        last = number == len(batches) - 1
        # Every request carries the output's title and summary: GitHub requires both.
        update = UpdateCheckRun(
            run.id,
            status="completed" if last else None,
            conclusion=output.conclusion if last else None,
            title=output.title,
            summary=output.summary,
            annotations=batch,
        )
        now = yield from _append(update, now)


def _batches_held(run: CheckRun, output: CheckOutput) -> int | None:
    """How many of ``output``'s requests ``run`` holds already; None: it holds others."""
    held, size = run.annotations_count, CHECK_ANNOTATIONS_PER_REQUEST
    if held == 0:
        return 0
    said = (run.title, run.summary) == (output.title, output.summary)
    if said and held % size == 0 and held <= len(output.annotations):
        return held // size
    return None


def _append(update: UpdateCheckRun, run: CheckRun) -> Job[CheckRun]:
    """Send ``update`` to ``run``; the run as the update left it.

    GitHub appends an update's annotations, and a 5xx may hide one that landed: the run is
    read again before one more try, so no annotation is shown twice.
    """
    after = run.annotations_count + len(update.annotations)

    def landed() -> Job[CheckRun | None]:
        now = yield from ask(GetCheckRun(update.check_run_id))
        return now if now.annotations_count >= after else None

    if update.annotations:
        made = yield from create_once(update, landed)
    else:  # nothing appended: the driver's own retries are safe
        made = yield from ask(update)
    return made or run  # None: a dry run's answer


def stop_check_run(run: CheckRun, error: TierbotError, claim: Claim) -> Job[None]:
    """End ``run`` neutral with the reason the review stopped, naming the failed operation
    (``ForgeError.operation``).

    GitHub failing on this too is only logged: the error that stopped the review is the one
    its caller re-raises.
    """
    if isinstance(error, ForgeError):
        name = error.operation or "a GitHub request"
        # The GitHub adapters' messages start with the operation's name already.
        cause, detail = f"{name} failed", str(error).removeprefix(f"{name}: ")
    else:  # a UsageError: the config or rules file at the base is invalid
        cause, detail = "the settings are invalid", str(error)
    try:
        yield from complete_check_run(run, stopped_output(cause, detail), claim)
    except ForgeError as failed:
        log.warning("check run %s stays in progress: %s", run.html_url, failed)
