"""The driver (`bot.port.drive`), scripted: retries and waits, errors handed to the job, async."""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Generator

import pytest
from support.scripted import Script

from bot.core.review.check_run import CheckAnnotation
from bot.errors import NotFound, RetryableError, TokenCannotWrite
from bot.port.drive import Recorder, RetryPolicy, complete, complete_async, dry_async
from bot.port.operations import (
    CreateComment,
    CreateIssue,
    Job,
    ListComments,
    ReadFiles,
    Sleep,
    UpdateCheckRun,
    ask,
)
from bot.port.results import Comment

POLICY = RetryPolicy(attempts=3, base_delay=1.0, max_delay=60.0)
POSTED = Comment(1, "hi", "github-actions[bot]", "https://github.com/o/r/issues/7#issuecomment-1")


def one(op) -> Job[object]:
    """A job of one operation that returns its result, or the error handed to it."""
    try:
        return (yield op)
    except Exception as error:
        return error


def test_a_rate_limit_is_retried_after_the_wait_github_asks_for() -> None:
    script = Script(
        (ListComments(7), RetryableError("secondary rate limit", status=403, retry_after=7)),
        (ListComments(7), (POSTED,)),
    )

    assert script.run(one(ListComments(7)), POLICY) == (POSTED,)
    assert script.waits == [7]


def test_5xx_answers_back_off_exponentially_then_reach_the_job() -> None:
    error = RetryableError("502 Bad Gateway", status=502)
    script = Script(*[(ReadFiles("a" * 40, ("x",)), error)] * 3)

    assert script.run(one(ReadFiles("a" * 40, ("x",))), POLICY) is error
    assert script.waits == [1.0, 2.0]  # three attempts, two waits


def test_a_wait_longer_than_the_policy_allows_is_not_waited() -> None:
    error = RetryableError("rate limit", status=403, retry_after=3600)
    script = Script((ListComments(7), error))

    assert script.run(one(ListComments(7)), POLICY) is error
    assert script.waits == []


NOTE = CheckAnnotation("a.md", 1, 1, "failure", "No tier.")
APPENDING = UpdateCheckRun(1, title="t", summary="s", annotations=(NOTE,))


@pytest.mark.parametrize(
    "op",
    [CreateComment(7, "hi"), CreateIssue("t", "b"), APPENDING],
    ids=["CreateComment", "CreateIssue", "UpdateCheckRun-appending"],
)
def test_a_5xx_on_a_create_is_not_retried_but_handed_to_the_job(op) -> None:
    error = RetryableError("502 Bad Gateway", status=502)
    script = Script((op, error))

    assert script.run(one(op), POLICY) is error
    assert script.waits == []


def test_a_5xx_on_a_check_run_update_without_annotations_is_retried() -> None:
    update = UpdateCheckRun(1, status="completed", conclusion="success")
    done = RetryableError("502 Bad Gateway", status=502)
    script = Script((update, done), (update, "updated"))
    assert script.run(one(update), POLICY) == "updated"
    assert script.waits == [1.0]


def test_a_rate_limited_create_is_retried_as_it_was_refused() -> None:
    script = Script(
        (CreateComment(7, "hi"), RetryableError("rate limit", status=429, retry_after=2)),
        (CreateComment(7, "hi"), POSTED),
    )

    assert script.run(one(CreateComment(7, "hi")), POLICY) == POSTED
    assert script.waits == [2]


@pytest.mark.parametrize(
    "error", [NotFound("gone", status=404), TokenCannotWrite("no", status=403), ValueError("x")]
)
def test_a_non_retryable_error_is_thrown_into_the_job_at_once(error: Exception) -> None:
    def job() -> Job[str]:
        try:
            yield ListComments(7)
        except type(error) as caught:
            assert caught is error
            yield ListComments(8)  # the job carries on after the error
            return "recovered"
        return "not thrown"

    script = Script((ListComments(7), error), (ListComments(8), ()))

    assert script.run(job(), POLICY) == "recovered"
    assert script.waits == []


def test_an_error_the_job_does_not_catch_ends_the_run() -> None:
    script = Script((ListComments(7), NotFound("gone", status=404)))

    with pytest.raises(NotFound, match="gone"):
        script.run(one_uncaught(), POLICY)
    script.assert_done()


def one_uncaught() -> Job[object]:
    return (yield ListComments(7))


def test_sleep_is_waited_by_the_driver_and_never_executed() -> None:
    def job() -> Job[object]:
        first = yield Sleep(3)
        yield Sleep(0.25)
        return first, (yield ListComments(7))

    script = Script((ListComments(7), ()))

    assert script.run(job(), POLICY) == (None, ())
    assert script.waits == [3, 0.25]
    assert script.executed == [ListComments(7)]


def busy() -> Job[tuple]:
    """A job exercising every path of the loop: a wait, a retry, a thrown error, results."""
    yield Sleep(1.5)
    listed = yield ListComments(7)
    try:
        yield CreateComment(7, "hi")
    except RetryableError as error:
        made = (yield CreateComment(7, "again")), error.status
    return listed, made


def busy_script() -> Script:
    return Script(
        (ListComments(7), RetryableError("rate limit", status=403, retry_after=4)),
        (ListComments(7), (POSTED,)),
        (CreateComment(7, "hi"), RetryableError("503", status=503)),
        (CreateComment(7, "again"), POSTED),
    )


def test_run_async_gives_what_run_gives() -> None:
    synchronous, asynchronous = busy_script(), busy_script()

    expected = synchronous.run(busy(), POLICY)
    assert asynchronous.run_async(busy(), POLICY) == expected == ((POSTED,), (POSTED, 503))
    assert asynchronous.executed == synchronous.executed
    assert asynchronous.waits == synchronous.waits == [1.5, 4]


def test_run_async_hands_errors_to_the_job_too() -> None:
    error = RetryableError("502", status=502)
    script = Script(*[(ListComments(7), error)] * 3)

    assert script.run_async(one(ListComments(7)), POLICY) is error
    assert script.waits == [1.0, 2.0]


def test_an_async_dry_run_records_writes_and_awaits_reads() -> None:
    async def execute(op):
        return ("read", op)

    recorder = Recorder()
    execute_dry = dry_async(execute, recorder)
    read, write = ListComments(7), CreateComment(7, "body")

    assert asyncio.run(execute_dry(read)) == ("read", read)
    assert asyncio.run(execute_dry(write)) is None
    assert recorder.writes == [write]


def reading() -> Job[object]:
    """A job whose read is made by a job it calls: two job frames and ``ask``'s above the yield."""
    return (yield from reading_comments())


def reading_comments() -> Job[object]:
    return (yield from ask(ListComments(7)))


@pytest.mark.parametrize("driver", ["run", "run_async"])
def test_an_error_escaping_the_job_shows_the_jobs_frames_then_the_executors(driver) -> None:
    script = Script((ListComments(7), NotFound("gone", status=404)))

    with pytest.raises(NotFound) as raised:
        getattr(script, driver)(reading(), POLICY)

    names = [frame.name for frame in traceback.extract_tb(raised.value.__traceback__)]
    # Thrown in at the job's yield: the job's own frames, innermost last, then the I/O's.
    jobs = [names.index(name) for name in ("reading", "reading_comments", "ask")]
    assert jobs == sorted(jobs)
    assert names.index("ask") < names.index("execute") == len(names) - 1


def exchange() -> Generator[str, str, tuple[str, str]]:
    """Steps as an adapter's exchange of requests has them: a result, then an error caught."""
    first = yield "a"
    try:
        yield "b"
    except KeyError as error:
        return first, str(error)
    return first, "not thrown"


def perform(step: str) -> str:
    if step == "b":
        raise KeyError(step)
    return step.upper()


def test_complete_sends_each_result_and_throws_each_error_in() -> None:
    async def perform_async(step: str) -> str:
        return perform(step)

    assert complete(exchange(), perform) == ("A", "'b'")
    assert asyncio.run(complete_async(exchange(), perform_async)) == ("A", "'b'")


@pytest.mark.parametrize("driver", ["run", "run_async"])
def test_the_error_given_up_on_names_its_operation(driver) -> None:
    error = RetryableError("502 Bad Gateway", status=502)
    script = Script((ListComments(7), error), (CreateComment(7, "hi"), error))

    def job() -> Job[object]:
        try:
            yield from ask(ListComments(7))
        except RetryableError as first:
            assert first.operation == "ListComments"
        return (yield from ask(CreateComment(7, "hi")))

    with pytest.raises(RetryableError) as raised:
        getattr(script, driver)(job(), RetryPolicy(attempts=1))
    assert raised.value.operation == "CreateComment"  # the same error, failing again
