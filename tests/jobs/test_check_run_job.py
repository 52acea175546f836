"""The check-run jobs, scripted: started once, completed 50 annotations a request, ended neutral."""

from __future__ import annotations

import logging
from dataclasses import replace

from support.reviews import HEAD
from support.scripted import Script, like, reply

from bot.core.review.check_run import CheckAnnotation, CheckOutput
from bot.errors import ConfigError, RetryableError, TierbotError
from bot.jobs.review.check_run import (
    complete_check_run,
    is_ours,
    reopen_check_run,
    start_check_run,
    stop_check_run,
)
from bot.port.operations import (
    CreateCheckRun,
    GetCheckRun,
    ListCheckRuns,
    Operation,
    ReadFiles,
    UpdateCheckRun,
    UpdateComment,
)
from bot.port.results import CheckRun

LOGIN = "tierbot-app[bot]"
OPEN = CheckRun(
    1, "tierbot", HEAD, "in_progress", None, "https://github.com/o/r/runs/1", "tierbot-app"
)
THEIRS = replace(OPEN, id=9, app_slug="another-app", html_url="https://github.com/o/r/runs/9")
LIST = ListCheckRuns(HEAD, "tierbot")
CREATE = CreateCheckRun(HEAD, "tierbot")


def output(annotations: int, conclusion: str = "failure") -> CheckOutput:
    notes = tuple(
        CheckAnnotation(f"docs/p{n:03}.md", 1, 1, "failure", "No `tier`.", "tier-missing")
        for n in range(annotations)
    )
    return CheckOutput(conclusion, f"{annotations} new errors", "### tierbot", notes)


def completed(said: CheckOutput, run: CheckRun = OPEN) -> CheckRun:
    return replace(
        run, status="completed", conclusion=said.conclusion, title=said.title, summary=said.summary
    )


# --- ours ---------------------------------------------------------------------------------------


def test_ours_is_the_app_named_by_the_login() -> None:
    assert is_ours(OPEN, LOGIN)
    assert not is_ours(THEIRS, LOGIN)
    assert is_ours(replace(OPEN, app_slug="github-actions"), "github-actions[bot]")
    assert not is_ours(replace(OPEN, app_slug=None), LOGIN)


# --- start ---------------------------------------------------------------------------------------


def test_a_first_review_creates_the_run_in_progress() -> None:
    script = Script((LIST, (THEIRS,)), (CREATE, OPEN))

    assert script.run(start_check_run(HEAD, LOGIN)) == OPEN
    assert CREATE.status == "in_progress"


def test_our_open_run_is_reused() -> None:
    script = Script((LIST, (THEIRS, OPEN, replace(OPEN, id=0))))

    assert script.run(start_check_run(HEAD, LOGIN)) == OPEN


def test_our_completed_run_is_kept_to_be_compared_later() -> None:
    done = completed(output(3))
    script = Script((LIST, (done, replace(OPEN, id=0))))  # newest first

    assert script.run(start_check_run(HEAD, LOGIN)) == done


def test_a_run_created_despite_a_5xx_is_found_not_made_twice() -> None:
    script = Script(
        (LIST, ()),
        (CREATE, RetryableError("502 Bad Gateway", status=502)),
        (LIST, (completed(output(1), replace(OPEN, id=0)), OPEN)),
    )

    assert script.run(start_check_run(HEAD, LOGIN)) == OPEN
    assert script.waits == []  # the driver handed the 5xx to the job at once


def test_a_run_that_did_not_land_is_created_once_more() -> None:
    script = Script(
        (LIST, ()),
        (CREATE, RetryableError("500", status=500)),
        (LIST, (THEIRS,)),
        (CREATE, OPEN),
    )

    assert script.run(start_check_run(HEAD, LOGIN)) == OPEN


# --- reopen ------------------------------------------------------------------------------------


def test_an_open_run_or_one_already_right_is_kept() -> None:
    said = output(3)
    assert Script().run(reopen_check_run(OPEN, said, LOGIN)) == OPEN
    assert Script().run(reopen_check_run(completed(said), said, LOGIN)) == completed(said)


def test_a_completed_run_saying_something_else_is_replaced_by_a_new_one() -> None:
    new = replace(OPEN, id=2, html_url="https://github.com/o/r/runs/2")
    script = Script((CREATE, new))

    assert script.run(reopen_check_run(completed(output(3)), output(4), LOGIN)) == new


# --- complete ------------------------------------------------------------------------------------


def test_120_annotations_go_50_50_and_20_the_last_request_completing_the_run() -> None:
    said = output(120)
    first, second, last = said.annotations[:50], said.annotations[50:100], said.annotations[100:]
    script = Script(
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

    script.run(complete_check_run(OPEN, said))

    assert [len(op.annotations) for op in script.executed] == [50, 50, 20]


def test_exactly_50_annotations_take_one_request() -> None:
    said = output(50)
    script = Script(
        (
            UpdateCheckRun(
                1, "completed", "failure", said.title, said.summary, annotations=said.annotations
            ),
            completed(said),
        )
    )

    script.run(complete_check_run(OPEN, said))


def test_no_annotations_complete_in_one_request() -> None:
    said = output(0, "success")
    script = Script(
        (UpdateCheckRun(1, "completed", "success", said.title, said.summary), completed(said))
    )

    script.run(complete_check_run(OPEN, said))


def test_a_run_already_saying_exactly_this_gets_no_write() -> None:
    said = output(120)
    Script().run(complete_check_run(completed(said), said))


# --- stop ----------------------------------------------------------------------------------------


def stop(error: TierbotError, operation: Operation | None) -> UpdateCheckRun:
    """The one request ``stop_check_run`` makes, answered with the run it completed."""
    script = Script((like(UpdateCheckRun, check_run_id=1), reply(completed_as)))
    script.run(stop_check_run(OPEN, error, operation))
    (request,) = script.executed
    return request


def completed_as(op: UpdateCheckRun) -> CheckRun:
    return replace(OPEN, status="completed", conclusion=op.conclusion, title=op.title)


def test_a_forge_error_ends_the_run_neutral_naming_the_operation() -> None:
    error = RetryableError("UpdateComment: GitHub answered 502: Server Error", status=502)

    request = stop(error, UpdateComment(5, "body"))

    assert (request.status, request.conclusion, request.annotations) == ("completed", "neutral", ())
    assert request.title == "Stopped: UpdateComment failed"
    # The adapters' prefix is not said twice.
    assert "UpdateComment failed\n\nGitHub answered 502: Server Error\n" in request.summary


def test_without_the_operation_the_reason_still_says_github_failed() -> None:
    request = stop(RetryableError("502 Bad Gateway", status=502), None)
    assert request.title == "Stopped: a GitHub request failed"
    assert "502 Bad Gateway" in request.summary


def test_invalid_settings_end_the_run_neutral_saying_so() -> None:
    request = stop(ConfigError("`fail-on` must be one of …"), ReadFiles(HEAD, ("x",)))
    assert (request.conclusion, request.title) == ("neutral", "Stopped: the settings are invalid")
    assert "\\`fail-on\\` must be one of" in request.summary  # escaped: not a code span


def test_github_failing_on_the_stop_too_is_logged_not_raised(caplog) -> None:
    failing = RetryableError("UpdateCheckRun: GitHub answered 503", status=503)
    script = Script(*[(like(UpdateCheckRun, check_run_id=1), failing)] * 3)  # FAST: 3 attempts

    with caplog.at_level(logging.WARNING):
        script.run(stop_check_run(OPEN, RetryableError("x", status=502), None))

    assert "runs/1 stays in progress: UpdateCheckRun: GitHub answered 503" in caplog.text


# --- annotations GitHub appends -----------------------------------------------------------------


def test_a_5xx_on_annotations_that_landed_is_not_sent_again() -> None:
    said = output(70)  # two requests: 50, then 20 with the conclusion
    lost = RetryableError("UpdateCheckRun: GitHub answered 502", status=502)
    script = Script(
        (like(UpdateCheckRun, check_run_id=1, status=None), lost),  # it landed all the same
        (GetCheckRun(1), replace(OPEN, annotations_count=50)),
        (like(UpdateCheckRun, check_run_id=1, status="completed"), completed(said)),
    )
    script.run(complete_check_run(OPEN, said))
    sent = [op for op in script.executed if isinstance(op, UpdateCheckRun)]
    assert [len(op.annotations) for op in sent] == [50, 20]  # none twice


def test_a_5xx_on_annotations_that_did_not_land_sends_them_once_more() -> None:
    said = output(20)
    lost = RetryableError("UpdateCheckRun: GitHub answered 500", status=500)
    held = replace(OPEN, annotations_count=3)  # another update's, before this output
    script = Script(
        (like(UpdateCheckRun, check_run_id=1), lost),
        (GetCheckRun(1), held),  # 3 < 3 + 20: not landed
        (like(UpdateCheckRun, check_run_id=1, status="completed"), completed(said, held)),
    )
    script.run(complete_check_run(held, said))
    assert [type(op) for op in script.executed] == [UpdateCheckRun, GetCheckRun, UpdateCheckRun]
