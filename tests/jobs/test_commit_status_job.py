"""`with_commit_status`, scripted: which status it sets on which head, and when none."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.pages import default_policy
from support.reviews import HEAD, PR
from support.scripted import Script

from bot.core.config import Config
from bot.core.review.plan import review_pages
from bot.errors import ConfigError, ForgeError, RetryableError, TokenCannotWrite
from bot.jobs.review.commit_status import CONTEXT, set_status, with_commit_status
from bot.jobs.review.publish import ReviewOutcome
from bot.jobs.review.pull_request import PullRequestOutcome
from bot.port.operations import GetCommitStatus, GetPullRequest, Job, SetCommitStatus
from bot.port.results import CommitStatus

STATUS = CommitStatus(CONTEXT, "failure", "1 new error on 1 of 1 page.", "https://c/1")
NOTHING_CHANGED = review_pages([], Config(), default_policy(), head_sha=HEAD)


def reviewing(outcome: PullRequestOutcome | Exception) -> Job[PullRequestOutcome]:
    """A stand-in review job: reads the pull request, then ends as ``outcome`` says."""
    yield GetPullRequest(PR.number)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def test_a_review_without_pattern_pages_passes_and_links_no_comment() -> None:
    script = Script(
        (GetPullRequest(7), PR),
        (GetCommitStatus(HEAD, CONTEXT), None),
        (SetCommitStatus(HEAD, "success", CONTEXT, "No pattern pages changed.", None), None),
    )
    done = script.run(with_commit_status(reviewing(PullRequestOutcome(NOTHING_CHANGED))))
    assert done.written and done.status is not None and done.status.state == "success"


def test_a_superseded_review_sets_no_status() -> None:
    outcome = PullRequestOutcome(NOTHING_CHANGED, superseded_by="d" * 40)
    script = Script((GetPullRequest(7), PR))
    assert script.run(with_commit_status(reviewing(outcome))).status is None


def test_a_token_that_cannot_write_the_comment_is_not_asked_to_write_a_status() -> None:
    outcome = PullRequestOutcome(NOTHING_CHANGED, ReviewOutcome(cannot_write="read-only"))
    script = Script((GetPullRequest(7), PR))
    assert script.run(with_commit_status(reviewing(outcome))).status is None


def test_an_error_after_the_pull_request_was_read_sets_error_on_its_head() -> None:
    error = ConfigError("`fail-on` must be one of new-errors, errors, warnings, never")
    script = Script(
        (GetPullRequest(7), PR),
        (GetCommitStatus(HEAD, CONTEXT), None),
        (
            SetCommitStatus(
                HEAD, "error", CONTEXT, f"tierbot could not review this commit: {error}"
            ),
            None,
        ),
    )
    with pytest.raises(ConfigError):
        script.run(with_commit_status(reviewing(error)))


def test_an_error_description_is_cut_to_140_characters() -> None:
    script = Script(
        (GetPullRequest(7), PR),
        (GetCommitStatus(HEAD, CONTEXT), None),
        (
            SetCommitStatus(
                HEAD, "error", CONTEXT, "tierbot could not review this commit: " + "x" * 101 + "…"
            ),
            None,
        ),
    )
    with pytest.raises(ConfigError):
        script.run(with_commit_status(reviewing(ConfigError("x" * 500))))


def test_an_error_before_the_pull_request_was_read_sets_nothing() -> None:
    def failing() -> Job[PullRequestOutcome]:
        raise ConfigError("no")
        yield  # a generator

    with pytest.raises(ConfigError):
        Script().run(with_commit_status(failing()))


def test_set_status_writes_only_what_differs_and_survives_a_read_only_token() -> None:
    same = Script((GetCommitStatus(HEAD, CONTEXT), STATUS))
    assert same.run(set_status(HEAD, STATUS)) is False

    write = SetCommitStatus(HEAD, "failure", CONTEXT, STATUS.description, STATUS.target_url)
    refused = Script(
        (GetCommitStatus(HEAD, CONTEXT), replace(STATUS, state="pending")),
        (write, TokenCannotWrite("403")),
    )
    assert refused.run(set_status(HEAD, STATUS)) is False


def test_a_failing_error_status_leaves_the_reviews_own_error_to_tell() -> None:
    error = ConfigError("the config is wrong")
    script = Script(
        (GetPullRequest(7), PR),
        (GetCommitStatus(HEAD, CONTEXT), None),
        (
            SetCommitStatus(
                HEAD, "error", CONTEXT, f"tierbot could not review this commit: {error}"
            ),
            ForgeError("SetCommitStatus: GitHub answered 422"),
        ),
    )
    with pytest.raises(ConfigError, match="the config is wrong"):
        script.run(with_commit_status(reviewing(error)))


def test_a_status_a_5xx_set_all_the_same_is_not_set_twice() -> None:
    write = SetCommitStatus(HEAD, "failure", CONTEXT, STATUS.description, STATUS.target_url)
    script = Script(
        (GetCommitStatus(HEAD, CONTEXT), None),
        (write, RetryableError("SetCommitStatus: GitHub answered 502", status=502)),
        (GetCommitStatus(HEAD, CONTEXT), STATUS),  # it landed: no second write
    )
    assert script.run(set_status(HEAD, STATUS)) is True


def test_a_status_a_5xx_did_not_set_is_set_once_more() -> None:
    write = SetCommitStatus(HEAD, "failure", CONTEXT, STATUS.description, STATUS.target_url)
    script = Script(
        (GetCommitStatus(HEAD, CONTEXT), None),
        (write, RetryableError("SetCommitStatus: GitHub answered 502", status=502)),
        (GetCommitStatus(HEAD, CONTEXT), None),
        (write, None),
    )
    assert script.run(set_status(HEAD, STATUS)) is True
