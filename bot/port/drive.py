"""Drive a job against an adapter: one loop for the sync and async drivers, retries, dry runs."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from bot.errors import RetryableError
from bot.port.operations import Job, Operation, Sleep, Write, describe_operation, may_double

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded backoff for 5xx answers and secondary rate limits."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, error: RetryableError, attempt: int) -> float | None:
        """Seconds to wait after failed attempt number ``attempt``, or None to give up."""
        if attempt >= self.attempts:
            return None
        if error.retry_after is not None:
            # GitHub's own hint wins; one longer than we are willing to wait ends the run.
            return error.retry_after if error.retry_after <= self.max_delay else None
        return min(self.base_delay * 2.0 ** (attempt - 1), self.max_delay)


def _next_delay(op: Operation[Any], error: Exception, attempt: int, policy: RetryPolicy) -> float:
    """The wait before retrying ``op``; re-raises ``error`` when it is not worth retrying."""
    if not isinstance(error, RetryableError):
        raise error
    if may_double(op) and (error.status or 0) >= 500:
        raise error
    delay = policy.delay(error, attempt)
    if delay is None:
        raise error
    log.warning("%s failed (%s); retry %d in %.1f s", type(op).__name__, error, attempt, delay)
    return delay


class Wait(NamedTuple):
    """The loop asks its driver to wait this long."""

    seconds: float


class Answer(NamedTuple):
    """What the driver hands back: an operation's result, or the exception it raised."""

    result: Any = None
    error: Exception | None = None


#: The loop yields what to do (execute an operation, or wait) and is sent an Answer.
Loop = Generator[Operation[Any] | Wait, Answer, T]


def _loop(job: Job[T], policy: RetryPolicy) -> Loop[T]:
    """The one driving loop: every operation with its retries, errors handed to the job."""
    try:
        op = next(job)
        while True:
            try:
                result = yield from _attempts(op, policy)
            except Exception as error:  # handed to the job, which decides
                op = job.throw(error)
            else:
                op = job.send(result)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


def _attempts(
    op: Operation[Any], policy: RetryPolicy
) -> Generator[Operation[Any] | Wait, Answer, Any]:
    if isinstance(op, Sleep):
        yield Wait(op.seconds)
        return None
    for number in itertools.count(1):
        answer = yield op
        if answer.error is None:
            return answer.result
        yield Wait(_next_delay(op, answer.error, number, policy))
    raise AssertionError("unreachable")  # itertools.count never ends


def run(
    job: Job[T], execute: Callable[[Operation[Any]], Any], policy: RetryPolicy = RetryPolicy()
) -> T:
    """Drive ``job`` to completion with a synchronous ``execute``."""
    import time

    loop = _loop(job, policy)
    try:
        step = next(loop)
        while True:
            if isinstance(step, Wait):
                time.sleep(step.seconds)
                step = loop.send(Answer())
                continue
            try:
                answer = Answer(execute(step))
            except Exception as error:
                answer = Answer(error=error)
            step = loop.send(answer)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


async def run_async(
    job: Job[T],
    execute: Callable[[Operation[Any]], Awaitable[Any]],
    policy: RetryPolicy = RetryPolicy(),
) -> T:
    """Drive ``job`` to completion with an asynchronous ``execute``."""
    import asyncio

    loop = _loop(job, policy)
    try:
        step = next(loop)
        while True:
            if isinstance(step, Wait):
                await asyncio.sleep(step.seconds)
                step = loop.send(Answer())
                continue
            try:
                answer = Answer(await execute(step))
            except Exception as error:
                answer = Answer(error=error)
            step = loop.send(answer)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


@dataclass
class Recorder:
    """Collects the writes a dry run would have made."""

    writes: list[Operation[Any]] = field(default_factory=list)

    def took(self, op: Operation[Any]) -> bool:
        """Whether ``op`` is a write, now recorded instead of made."""
        if isinstance(op, Write):
            self.writes.append(op)
            return True
        return False

    def report(self) -> list[str]:
        """The writes not made, as a heading line and one line each."""
        return [
            f"Dry run: {len(self.writes)} write(s) not made:",
            *(f"  {describe_operation(op)}" for op in self.writes),
        ]


def dry(
    execute: Callable[[Operation[Any]], Any], recorder: Recorder
) -> Callable[[Operation[Any]], Any]:
    """Wrap ``execute`` so that writes are recorded instead of made."""

    def execute_reads_only(op: Operation[Any]) -> Any:
        return None if recorder.took(op) else execute(op)

    return execute_reads_only


def dry_async(
    execute: Callable[[Operation[Any]], Awaitable[Any]], recorder: Recorder
) -> Callable[[Operation[Any]], Awaitable[Any]]:
    """``dry`` for an asynchronous ``execute``."""

    async def execute_reads_only(op: Operation[Any]) -> Any:
        return None if recorder.took(op) else await execute(op)

    return execute_reads_only
