"""Drive a job over an executor: the one loop (sync and async share it), retries, dry runs.

The loop hands each operation a job yields to the executor and sends the result back, or
throws the error in at the job's ``yield``: a traceback that escapes the job shows the
adapter's frames and the job's own. Everything else wraps the executor: waits and retries
(``_with_waits_and_retries``), dry runs (``dry``). The GitHub adapters run each operation's
exchange of HTTP requests on the same loop (``complete``, ``complete_async``).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.errors import ForgeError, RetryableError
from bot.port.operations import Job, Operation, Sleep, Write, describe_operation, may_double

log = logging.getLogger(__name__)

T = TypeVar("T")
Y = TypeVar("Y")  # what a generator yields: an operation, a request
S = TypeVar("S")  # what it is sent back: the result, the response

#: What executes one operation, synchronously or not.
Execute = Callable[[Operation[Any]], Any]
ExecuteAsync = Callable[[Operation[Any]], Awaitable[Any]]


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


async def _loop(steps: Generator[Y, S, T], perform: Callable[[Y], Awaitable[S]]) -> T:
    """The one driving loop: each step ``steps`` yields performed, its result sent back or
    its error thrown in; what ``steps`` returns."""
    try:
        step = next(steps)
        while True:
            try:
                result = await perform(step)
            except Exception as error:  # handed to the generator, which decides
                step = steps.throw(error)
            else:
                step = steps.send(result)
    except StopIteration as done:
        returned: T = done.value
        return returned


def _without_suspending(loop: Coroutine[Any, Any, T]) -> T:
    """What ``loop`` returns when its awaits never suspend (a synchronous executor's): one
    send runs it to its end, no event loop needed."""
    try:
        loop.send(None)
    except StopIteration as done:
        returned: T = done.value
        return returned
    raise AssertionError("unreachable")  # a synchronous step never suspends the loop


def complete(steps: Generator[Y, S, T], perform: Callable[[Y], S]) -> T:
    """Run ``steps`` to its end, each step performed by a synchronous ``perform``."""

    async def performed(step: Y) -> S:
        return perform(step)

    return _without_suspending(_loop(steps, performed))


async def complete_async(steps: Generator[Y, S, T], perform: Callable[[Y], Awaitable[S]]) -> T:
    """``complete`` with an asynchronous ``perform``."""
    return await _loop(steps, perform)


def run(job: Job[T], execute: Execute, policy: RetryPolicy = RetryPolicy()) -> T:
    """Drive ``job`` to completion with a synchronous ``execute``."""

    async def performed(op: Operation[Any]) -> Any:
        return execute(op)

    async def wait(seconds: float) -> None:
        time.sleep(seconds)

    return _without_suspending(_loop(job, _with_waits_and_retries(performed, wait, policy)))


async def run_async(job: Job[T], execute: ExecuteAsync, policy: RetryPolicy = RetryPolicy()) -> T:
    """Drive ``job`` to completion with an asynchronous ``execute``."""
    import asyncio  # here: the synchronous commands never load it

    async def wait(seconds: float) -> None:
        await asyncio.sleep(seconds)

    return await _loop(job, _with_waits_and_retries(execute, wait, policy))


def _with_waits_and_retries(
    execute: ExecuteAsync, wait: Callable[[float], Awaitable[None]], policy: RetryPolicy
) -> ExecuteAsync:
    """``execute`` with ``Sleep`` waited instead of executed, and each failure retried under
    ``policy``; a ForgeError given up on is named its operation (``ForgeError.operation``)."""

    async def performed(op: Operation[Any]) -> Any:
        if isinstance(op, Sleep):
            await wait(op.seconds)
            return None
        for attempt in itertools.count(1):
            try:
                return await execute(op)
            except Exception as error:
                delay = _retry_delay(op, error, attempt, policy)
                if delay is None:
                    if isinstance(error, ForgeError):
                        error.operation = type(op).__name__
                    raise
                log.warning(
                    "%s failed (%s); retry %d in %.1f s", type(op).__name__, error, attempt, delay
                )
                await wait(delay)
        raise AssertionError("unreachable")  # itertools.count never ends

    return performed


def _retry_delay(
    op: Operation[Any], error: Exception, attempt: int, policy: RetryPolicy
) -> float | None:
    """The wait before retrying ``op`` after ``error``; None when it is not worth retrying."""
    if not isinstance(error, RetryableError):
        return None
    if may_double(op) and (error.status or 0) >= 500:
        return None
    return policy.delay(error, attempt)


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


def dry(execute: Execute, recorder: Recorder) -> Execute:
    """Wrap ``execute`` so that writes are recorded instead of made."""

    def execute_reads_only(op: Operation[Any]) -> Any:
        return None if recorder.took(op) else execute(op)

    return execute_reads_only


def dry_async(execute: ExecuteAsync, recorder: Recorder) -> ExecuteAsync:
    """``dry`` for an asynchronous ``execute``."""

    async def execute_reads_only(op: Operation[Any]) -> Any:
        return None if recorder.took(op) else await execute(op)

    return execute_reads_only
