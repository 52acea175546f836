"""Review a pull request on GitHub and publish the result: one job for the App and `tierbot pr`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from bot.core.config import Config
from bot.core.review.check_run import CheckOutput, review_output, superseded_output
from bot.core.review.comment import render_review
from bot.core.review.model import Review
from bot.core.settings import Overrides
from bot.errors import TierbotError
from bot.jobs.review.check_run import (
    complete_check_run,
    reopen_check_run,
    start_check_run,
    stop_check_run,
)
from bot.jobs.review.gather import review_pull_request
from bot.jobs.review.publish import ReviewOutcome, publish_review
from bot.jobs.review.suggestions import SuggestionOutcome, post_suggestions
from bot.jobs.watch import Watched
from bot.port.operations import GetPullRequest, Job
from bot.port.results import CheckRun, PullRequest

T = TypeVar("T")

DEFAULT_FAIL_ON = Config().fail_on


@dataclass(frozen=True, slots=True)
class PullRequestOutcome:
    """What reviewing a pull request did."""

    review: Review | None  # None: skipped, the head was not the one the caller expected
    published: ReviewOutcome | None = None  # None: not published (skipped or superseded)
    check_run_url: str | None = None
    superseded_by: str | None = None  # the pull request's head, when not the one reviewed
    fail_on: str = DEFAULT_FAIL_ON  # the review's `fail-on`: the caller's, else the base config's
    suggested: SuggestionOutcome | None = None  # None: suggestions not asked for, or not reached


def review_and_publish(
    number: int,
    login: str,
    full_report: str,
    *,
    expected_head: str | None = None,
    check_run: bool = False,
    overrides: Overrides = Overrides(),
    comment: bool = True,
    labels: bool = True,
    suggestions: bool = False,
) -> Job[PullRequestOutcome]:
    """Review pull request ``number`` at its head; publish it unless the head moved meanwhile.

    Everything compared with what would be written (the head, the labels, the comment, the
    check run) is read from GitHub here: an event's payload is history by the time a job
    reruns. ``expected_head`` is the head an event named: a pull request that moved on since
    is skipped, the newer head's event reviews it. ``check_run`` reports as the `tierbot`
    check run too (an App's token: a personal one cannot create check runs); ``comment`` and
    ``labels`` off leave those alone; ``suggestions`` posts the fixes of new findings on the
    changed lines as one review (not when the token could not write the comment).
    """
    pr = yield GetPullRequest(number)
    if expected_head is not None and pr.head_sha != expected_head:
        return PullRequestOutcome(None, superseded_by=pr.head_sha)
    run = (yield from start_check_run(pr.head_sha, login)) if check_run else None
    gather = _review_at_head(pr, full_report, overrides, suggestions)
    review, config, now = yield from _ending_neutral_on_error(run, gather)
    if now.head_sha != pr.head_sha:
        # Only the newest head is worth finishing: publishing this result would overwrite the
        # newer review's comment and labels. A run of ours left open would stay in progress on
        # a commit nobody reviews again; a completed one is right for its commit already.
        if run is not None and run.status != "completed":
            ended = complete_check_run(run, superseded_output(now.head_sha))
            yield from _ending_neutral_on_error(run, ended)
        url = run.html_url if run else None
        return PullRequestOutcome(review, None, url, now.head_sha, config.fail_on)
    output = review_output(review, config.fail_on, full_report)
    run = (yield from reopen_check_run(run, output, login)) if run else None
    if run is not None:  # the comment links the run; its URL changes only with the output
        linked = render_review(review, full_report=full_report, check_run_url=run.html_url)
        review = review._replace(comment=linked)
    publish = _publish(number, review, config, login, run, output, comment=comment, labels=labels)
    published = yield from _ending_neutral_on_error(run, publish)
    url = run.html_url if run else None
    suggested = None
    if suggestions and published.cannot_write is None:
        suggested = yield from post_suggestions(number, pr.head_sha, review.suggestions, login)
    return PullRequestOutcome(review, published, url, fail_on=config.fail_on, suggested=suggested)


def _review_at_head(
    pr: PullRequest, full_report: str, overrides: Overrides, suggest: bool
) -> Job[tuple[Review, Config, PullRequest]]:
    """The review, then the pull request read again: its head may have moved meanwhile."""
    job = review_pull_request(pr, full_report, overrides, suggest=suggest)
    review, (config, _) = yield from job
    now: PullRequest = yield GetPullRequest(pr.number)
    return review, config, now


def _publish(
    number: int,
    review: Review,
    config: Config,
    login: str,
    run: CheckRun | None,
    output: CheckOutput,
    *,
    comment: bool,
    labels: bool,
) -> Job[ReviewOutcome]:
    """The comment and labels, then the check run completed: it stays open until they land."""
    published = yield from publish_review(
        number, review, config, login, comment=comment, labels=labels
    )
    if run is not None:
        yield from complete_check_run(run, output)
    return published


def _ending_neutral_on_error(run: CheckRun | None, job: Job[T]) -> Job[T]:
    """``job`` as it is; when a TierbotError escapes it while ``run`` is open, the run ends
    neutral naming the operation the job was waiting on, and the error goes on."""
    if run is None or run.status == "completed":
        return (yield from job)
    watched = Watched(job)
    try:
        return (yield from watched.run())
    except TierbotError as error:
        yield from stop_check_run(run, error, watched.waiting)
        raise
