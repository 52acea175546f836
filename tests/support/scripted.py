"""A scripted executor for driving jobs: expected operations in order, canned answers out.

    script = Script(
        (ListComments(7), ()),                                 # a result
        (CreateLabel(GOLD_LABEL), AlreadyExists("exists")),    # an exception, raised
        (like(CreateComment, issue_number=7), reply(made)),    # any body; answered by made(op)
    )
    outcome = script.run(publish_review(...))                  # every step used, in order

An operation that differs from the next expected one, or that arrives after the last step,
fails the test at once (``pytest.fail`` is a BaseException: neither the driver nor a job can
catch it). ``run`` fails the test too when steps are left over. The driver's waits (retries,
``Sleep`` operations) are recorded in ``waits`` instead of slept.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar
from unittest import mock

import pytest

from bot.port.drive import RetryPolicy, run, run_async
from bot.port.operations import Job, Operation, describe_operation

T = TypeVar("T")

#: The real asyncio.sleep, bound before run_async's waits are patched to be recorded.
_pause = asyncio.sleep

#: Retries without backoff delays; a wait GitHub asks for (retry_after) is still recorded.
FAST = RetryPolicy(attempts=3, base_delay=0)


@dataclass(frozen=True)
class Like:
    """Matches any operation of ``kind`` whose named fields have the given values."""

    kind: type
    values: dict[str, Any]

    def matches(self, op: Operation) -> bool:
        return type(op) is self.kind and all(getattr(op, k) == v for k, v in self.values.items())

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"like({self.kind.__name__}{', ' if shown else ''}{shown})"


def like(kind: type, **values: Any) -> Like:
    """An expected operation given by its type and some fields only."""
    names = {field.name for field in fields(kind)}
    unknown = sorted(set(values) - names)
    assert not unknown, f"{kind.__name__} has no field {unknown[0]!r}"
    return Like(kind, values)


@dataclass(frozen=True)
class Reply:
    """An answer computed from the operation executed (the function may raise)."""

    function: Callable[[Any], Any]


def reply(function: Callable[[Any], Any]) -> Reply:
    return Reply(function)


Step = tuple[Operation | Like, Any]


def _show(expected: Operation | Like) -> str:
    return repr(expected) if isinstance(expected, Like) else describe_operation(expected)


def _differences(expected: Operation | Like, op: Operation) -> str:
    """Which fields of an operation of the expected type differ, and where a text parts."""
    if isinstance(expected, Like):
        kind, wanted = expected.kind, expected.values
    else:
        kind, wanted = type(expected), {f.name: getattr(expected, f.name) for f in fields(expected)}
    if type(op) is not kind:
        return ""
    lines = []
    for name, value in wanted.items():
        got = getattr(op, name)
        if got == value:
            continue
        lines.append(f"\n  field {name} differs")
        if isinstance(got, str) and isinstance(value, str):
            at = next((i for i, (a, b) in enumerate(zip(got, value, strict=False)) if a != b), None)
            at = min(len(got), len(value)) if at is None else at
            lines.append(f" from character {at}: {value[at : at + 40]!r} != {got[at : at + 40]!r}")
    return "".join(lines)


class Script:
    """An executor answering a fixed, ordered list of (expected operation, answer) steps."""

    def __init__(self, *steps: Step) -> None:
        self.steps: deque[Step] = deque(steps)
        self.executed: list[Operation] = []
        self.waits: list[float] = []

    def execute(self, op: Operation) -> Any:
        """Check ``op`` against the next step; return its result or raise its exception."""
        number = len(self.executed) + 1
        if not self.steps:
            self._fail(f"operation {number} was not expected: {describe_operation(op)}")
        expected, answer = self.steps.popleft()
        same = expected.matches(op) if isinstance(expected, Like) else op == expected
        if not same:
            self._fail(
                f"operation {number}:\n  expected {_show(expected)}\n"
                f"  executed {describe_operation(op)}{_differences(expected, op)}"
            )
        self.executed.append(op)
        if isinstance(answer, Reply):
            answer = answer.function(op)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    async def execute_async(self, op: Operation) -> Any:
        """``execute`` for ``run_async``."""
        await _pause(0)  # a real await point, as an HTTP adapter has
        return self.execute(op)

    def assert_done(self) -> None:
        """Fail the test when steps were never executed."""
        if self.steps:
            left = "\n  ".join(_show(expected) for expected, _ in self.steps)
            self._fail(f"{len(self.steps)} operation(s) never executed:\n  {left}")

    def run(self, job: Job[T], policy: RetryPolicy = FAST) -> T:
        """Drive ``job`` with ``bot.port.drive.run``; every step must be used."""
        with mock.patch.object(time, "sleep", self.waits.append):
            result = run(job, self.execute, policy)
        self.assert_done()
        return result

    def run_async(self, job: Job[T], policy: RetryPolicy = FAST) -> T:
        """Drive ``job`` with ``bot.port.drive.run_async`` in a fresh event loop."""

        async def wait(seconds: float) -> None:
            self.waits.append(seconds)

        async def main() -> T:
            return await run_async(job, self.execute_async, policy)

        with mock.patch.object(asyncio, "sleep", wait):
            result = asyncio.run(main())
        self.assert_done()
        return result

    def _fail(self, message: str) -> None:
        done = "\n  ".join(describe_operation(op) for op in self.executed) or "(none)"
        pytest.fail(f"{message}\nexecuted before:\n  {done}", pytrace=False)
