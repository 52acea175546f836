"""The check-run jobs, scripted: started once, completed 50 annotations a request, ended neutral.

How a review claims its run and waits out another's: test_check_run_claim.py.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from support.check_runs import CREATE, LIST, LOGIN, OPEN, THEIRS, claim, completed, output
from support.reviews import HEAD
from support.scripted import Script, like, reply

from bot.core.review.check_run import surplus_output
from bot.errors import ConfigError, ForgeError, RetryableError, TierbotError
from bot.jobs.review.check_run import (
    complete_check_run,
    settle_check_run,
    start_check_run,
    stop_check_run,
)
from bot.jobs.review.claim import is_ours
from bot.port.operations import GetCheckRun, UpdateCheckRun
from bot.port.results import CheckRun

# --- ours ---------------------------------------------------------------------------------------


def test_ours_is_the_app_named_by_the_login() -> None:
    assert is_ours(OPEN, LOGIN)
    assert not is_ours(THEIRS, LOGIN)
    assert is_ours(replace(OPEN, app_slug="github-actions"), "github-actions[bot]")
    assert not is_ours(replace(OPEN, app_slug=None), LOGIN)


# --- start ---------------------------------------------------------------------------------------


def test_a_first_review_creates_the_run_in_progress_claimed() -> None:
    script = Script((LIST, (THEIRS,)), (CREATE, OPEN), (LIST, (OPEN, THEIRS)))

    assert script.run(start_check_run(HEAD, LOGIN, claim())) == OPEN
    assert CREATE.status == "in_progress"


def test_our_completed_run_is_kept_to_be_compared_later() -> None:
    done = completed(output(3))
    script = Script((LIST, (done, replace(OPEN, id=0))))  # newest first

    assert script.run(start_check_run(HEAD, LOGIN, claim())) == done


def test_a_run_created_despite_a_5xx_is_found_by_its_claim_not_made_twice() -> None:
    another = replace(OPEN, id=2, external_id="delivery-1/0the")  # the same delivery, elsewhere
    ended = surplus_output()
    script = Script(
        (LIST, ()),
        (CREATE, RetryableError("502 Bad Gateway", status=502)),
        (LIST, (another, OPEN)),  # ours is found by its claim, not as the newest
        (LIST, (another, OPEN)),
        (UpdateCheckRun(1, "completed", "skipped", ended.title, ended.summary), OPEN),
    )

    assert script.run(start_check_run(HEAD, LOGIN, claim())) == another  # newer: it stays
    assert script.waits == []  # the driver handed the 5xx to the job at once


def test_a_run_that_did_not_land_is_created_once_more() -> None:
    script = Script(
        (LIST, ()),
        (CREATE, RetryableError("500", status=500)),
        (LIST, (THEIRS,)),
        (CREATE, OPEN),
        (LIST, (OPEN,)),
    )

    assert script.run(start_check_run(HEAD, LOGIN, claim())) == OPEN


# --- settle ------------------------------------------------------------------------------------


def test_our_open_run_or_one_already_right_is_kept() -> None:
    said = output(3)
    assert Script().run(settle_check_run(OPEN, said, LOGIN, claim())) == OPEN
    done = completed(said)
    assert Script().run(settle_check_run(done, said, LOGIN, claim())) == done


def test_a_completed_run_saying_something_else_is_replaced_by_a_new_one() -> None:
    new = replace(OPEN, id=2, html_url="https://github.com/o/r/runs/2")
    script = Script((CREATE, new), (LIST, (new, OPEN)))

    assert script.run(settle_check_run(completed(output(3)), output(4), LOGIN, claim())) == new


def test_a_run_taken_over_holding_another_output_is_ended_and_a_new_one_claimed() -> None:
    dead = replace(OPEN, title="An older review", summary="…", annotations_count=50)
    new = replace(OPEN, id=2, html_url="https://github.com/o/r/runs/2")
    ended = surplus_output()
    script = Script(
        (UpdateCheckRun(1, "completed", "skipped", ended.title, ended.summary), OPEN),
        (CREATE, new),
        (LIST, (new, OPEN)),
    )

    assert script.run(settle_check_run(dead, output(60), LOGIN, claim())) == new


# --- complete ------------------------------------------------------------------------------------


def test_120_annotations_go_50_50_and_20_the_last_request_completing_the_run() -> None:
    said = output(120)
    first, second, last = said.annotations[:50], said.annotations[50:100], said.annotations[100:]
    script = Script(
        (GetCheckRun(1), OPEN),  # read again: still this review's; then each answer is
        (UpdateCheckRun(1, title=said.title, summary=said.summary, annotations=first), OPEN),
        (UpdateCheckRun(1, title=said.title, summary=said.summary, annotations=second), OPEN),
        (
            UpdateCheckRun(
                1,
                status="completed",
                conclusion="failure",
                title=said.title,
                summary=said.summary,
                annotations=last,
            ),
            completed(said),
        ),
    )

    script.run(complete_check_run(OPEN, said, claim()))

    assert [len(op.annotations) for op in script.executed[1:]] == [50, 50, 20]


def test_exactly_50_annotations_take_one_request() -> None:
    said = output(50)
    script = Script(
        (GetCheckRun(1), OPEN),
        (
            UpdateCheckRun(
                1, "completed", "failure", said.title, said.summary, annotations=said.annotations
            ),
            completed(said),
        ),
    )

    script.run(complete_check_run(OPEN, said, claim()))


def test_no_annotations_complete_in_one_request() -> None:
    said = output(0, "success")
    script = Script(
        (GetCheckRun(1), OPEN),
        (UpdateCheckRun(1, "completed", "success", said.title, said.summary), completed(said)),
    )

    script.run(complete_check_run(OPEN, said, claim()))


def test_a_run_already_saying_exactly_this_gets_no_write() -> None:
    said = output(120)
    Script().run(complete_check_run(completed(said), said, claim()))


# --- stop ----------------------------------------------------------------------------------------


def stop(error: TierbotError) -> UpdateCheckRun:
    """The one request ``stop_check_run`` makes, answered with the run it completed."""
    script = Script((GetCheckRun(1), OPEN), (like(UpdateCheckRun, check_run_id=1), reply(done_as)))
    script.run(stop_check_run(OPEN, error, claim()))
    (_, request) = script.executed
    return request


def given_up_on(error: ForgeError, operation: str) -> ForgeError:
    """``error`` as the driver hands it to the job, naming the operation it gave up on."""
    error.operation = operation
    return error


def done_as(op: UpdateCheckRun) -> CheckRun:
    return replace(OPEN, status="completed", conclusion=op.conclusion, title=op.title)


def test_a_forge_error_ends_the_run_neutral_naming_the_operation() -> None:
    error = RetryableError("UpdateComment: GitHub answered 502: Server Error", status=502)

    request = stop(given_up_on(error, "UpdateComment"))

    assert (request.status, request.conclusion, request.annotations) == ("completed", "neutral", ())
    assert request.title == "Stopped: UpdateComment failed"
    # The adapters' prefix is not said twice.
    assert "UpdateComment failed\n\nGitHub answered 502: Server Error\n" in request.summary


def test_without_the_operation_the_reason_still_says_github_failed() -> None:
    request = stop(RetryableError("502 Bad Gateway", status=502))
    assert request.title == "Stopped: a GitHub request failed"
    assert "502 Bad Gateway" in request.summary


def test_invalid_settings_end_the_run_neutral_saying_so() -> None:
    request = stop(ConfigError("`fail-on` must be one of …"))
    assert (request.conclusion, request.title) == ("neutral", "Stopped: the settings are invalid")
    assert "\\`fail-on\\` must be one of" in request.summary  # escaped: not a code span


def test_github_failing_on_the_stop_too_is_logged_not_raised(caplog) -> None:
    failing = RetryableError("UpdateCheckRun: GitHub answered 503", status=503)
    script = Script((GetCheckRun(1), OPEN), *[(like(UpdateCheckRun, check_run_id=1), failing)] * 3)

    with caplog.at_level(logging.WARNING):  # FAST: 3 attempts
        script.run(stop_check_run(OPEN, RetryableError("x", status=502), claim()))

    assert "runs/1 stays in progress: UpdateCheckRun: GitHub answered 503" in caplog.text


# --- annotations GitHub appends -----------------------------------------------------------------


def test_a_5xx_on_annotations_that_landed_is_not_sent_again() -> None:
    said = output(70)  # two requests: 50, then 20 with the conclusion
    lost = RetryableError("UpdateCheckRun: GitHub answered 502", status=502)
    script = Script(
        (GetCheckRun(1), OPEN),
        (like(UpdateCheckRun, check_run_id=1, status=None), lost),  # it landed all the same
        (GetCheckRun(1), replace(OPEN, annotations_count=50)),
        (like(UpdateCheckRun, check_run_id=1, status="completed"), completed(said)),
    )
    script.run(complete_check_run(OPEN, said, claim()))
    sent = [op for op in script.executed if isinstance(op, UpdateCheckRun)]
    assert [len(op.annotations) for op in sent] == [50, 20]  # none twice


def test_a_5xx_on_annotations_that_did_not_land_sends_them_once_more() -> None:
    said = output(20)
    lost = RetryableError("UpdateCheckRun: GitHub answered 500", status=500)
    held = replace(OPEN, annotations_count=3)  # another update's, before this output
    script = Script(
        (GetCheckRun(1), held),
        (like(UpdateCheckRun, check_run_id=1), lost),
        (GetCheckRun(1), held),  # 3 < 3 + 20: not landed
        (like(UpdateCheckRun, check_run_id=1, status="completed"), completed(said, held)),
    )
    script.run(complete_check_run(held, said, claim()))
    assert [type(op) for op in script.executed] == [GetCheckRun, UpdateCheckRun] * 2
