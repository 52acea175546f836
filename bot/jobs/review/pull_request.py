"""Review a pull request on GitHub and publish the result: one job for the App and `tierbot pr`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from bot.core.config import Config
from bot.core.review.check_run import CheckOutput, review_output, superseded_output
from bot.core.review.comment import render_review
from bot.core.review.model import Review
from bot.core.settings import Overrides, Settings
from bot.errors import TierbotError
from bot.jobs.review.check_run import (
    complete_check_run,
    settle_check_run,
    start_check_run,
    stop_check_run,
)
from bot.jobs.review.claim import Claim, await_check_run
from bot.jobs.review.gather import judge_pull_request
from bot.jobs.review.publish import ReviewOutcome, publish_review
from bot.jobs.review.suggestions import SuggestionOutcome, post_suggestions
from bot.port.operations import GetPullRequest, Job, ask
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
    check_run: Claim | None = None,
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
    check run too, under that claim (an App's token: a personal one cannot create check
    runs); while another review holds the head's run, this one publishes nothing until that
    run completes, then compares. ``comment`` and ``labels`` off leave those alone;
    ``suggestions`` posts the fixes of new findings on the changed lines as one review (not
    when the token could not write the comment). A TierbotError that stops the review once
    the pull request is read names its head (``TierbotError.reviewed_head``).
    """
    pr = yield from ask(GetPullRequest(number))
    if expected_head is not None and pr.head_sha != expected_head:
        return PullRequestOutcome(None, superseded_by=pr.head_sha)
    reviewing = _review_as_read(
        pr,
        login,
        full_report,
        check_run,
        overrides,
        comment=comment,
        labels=labels,
        suggestions=suggestions,
    )
    try:
        return (yield from reviewing)
    except TierbotError as error:
        error.reviewed_head = pr.head_sha  # where `tierbot pr` says the review stopped
        raise


def _review_as_read(
    pr: PullRequest,
    login: str,
    full_report: str,
    claim: Claim | None,
    overrides: Overrides,
    *,
    comment: bool,
    labels: bool,
    suggestions: bool,
) -> Job[PullRequestOutcome]:
    """The review of ``pr`` as first read, published unless its head moved meanwhile."""
    run = (yield from start_check_run(pr.head_sha, login, claim)) if claim else None
    gather = judge_pull_request(pr, full_report, overrides, suggest=suggestions)
    reviewed = _review_at_head(pr.number, gather, run, login, claim)
    review, config, now, run = yield from _ending_neutral_on_error(_held(run, claim), reviewed)
    url = run.html_url if run else None
    if now.head_sha != pr.head_sha:
        # Only the newest head is worth finishing: publishing this result would overwrite the
        # newer review's comment and labels. A run of ours left open would stay in progress on
        # a commit nobody reviews again; a completed one is right for its commit already.
        if held := _held(run, claim):
            ended = complete_check_run(held.run, superseded_output(now.head_sha), held.claim)
            yield from _ending_neutral_on_error(held, ended)
        return PullRequestOutcome(review, None, url, now.head_sha, config.fail_on)
    output = review_output(review, config.fail_on, full_report)
    if claim is not None and run is not None:
        run = yield from settle_check_run(run, output, login, claim)
    if run is not None:  # the comment links the run; its URL changes only with the output
        linked = render_review(review, full_report=full_report, check_run_url=run.html_url)
        review = review._replace(comment=linked)
    review = _labelled_now(review, now.labels)
    held = _held(run, claim)
    publish = _publish(
        now,
        review,
        config,
        login,
        held,
        output,
        comment=comment,
        labels=labels,
        suggest=suggestions,
    )
    published, suggested = yield from _ending_neutral_on_error(held, publish)
    url = run.html_url if run else None
    return PullRequestOutcome(review, published, url, fail_on=config.fail_on, suggested=suggested)


def _review_at_head(
    number: int,
    gather: Job[tuple[Review, Settings]],
    run: CheckRun | None,
    login: str,
    claim: Claim | None,
) -> Job[tuple[Review, Config, PullRequest, CheckRun | None]]:
    """The review; then another live review's run waited out (it publishes this head's review
    meanwhile); then the pull request read again: its head may have moved meanwhile."""
    review, settings = yield from gather
    config = settings.config
    if claim is not None and run is not None:
        run = yield from await_check_run(run, login, claim)
    now = yield from ask(GetPullRequest(number))
    return review, config, now, run


def _labelled_now(review: Review, labels: tuple[str, ...]) -> Review:
    """``review`` adding only labels the pull request lacks now and removing only those it
    has: another review may have set them since the review read the pull request."""
    return review._replace(
        labels_add=tuple(name for name in review.labels_add if name not in labels),
        labels_remove=tuple(name for name in review.labels_remove if name in labels),
    )


def _publish(
    pr: PullRequest,
    review: Review,
    config: Config,
    login: str,
    held: Held | None,
    output: CheckOutput,
    *,
    comment: bool,
    labels: bool,
    suggest: bool,
) -> Job[tuple[ReviewOutcome, SuggestionOutcome | None]]:
    """The comment, labels and suggestions, then the check run completed: it stays open until
    they land, so that another review waiting for it finds them there."""
    published = yield from publish_review(
        pr.number, review, config, login, comment=comment, labels=labels
    )
    suggested = None
    if suggest and published.cannot_write is None:
        suggested = yield from post_suggestions(pr.number, pr.head_sha, review.suggestions, login)
    if held:
        yield from complete_check_run(held.run, output, held.claim)
    return published, suggested


class Held(NamedTuple):
    """A check run this review holds, so writes, with the claim it holds it by."""

    run: CheckRun
    claim: Claim


def _held(run: CheckRun | None, claim: Claim | None) -> Held | None:
    """``run`` with ``claim`` when the claim holds it, else None: the run is not ours to write."""
    return Held(run, claim) if run and claim and claim.holds(run) else None


def _ending_neutral_on_error(held: Held | None, job: Job[T]) -> Job[T]:
    """``job`` as it is; when a TierbotError escapes it while this review holds a run, the
    run ends neutral naming the operation that failed, and the error goes on."""
    try:
        return (yield from job)
    except TierbotError as error:
        if held is not None:
            yield from stop_check_run(held.run, error, held.claim)
        raise
