"""Create once: a create that a 5xx may have made all the same is looked for before a retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.errors import RetryableError
from bot.port.operations import Job, Write, ask

T = TypeVar("T")


def create_once(create: Write[T], landed: Callable[[], Job[T | None]]) -> Job[T | None]:
    """Make ``create``; after a 5xx, ``landed`` looks for what it made before one more try.

    The driver hands a not-idempotent write's 5xx to the job instead of retrying it: GitHub
    may have done the work before it failed to answer. None is a dry run's answer.
    """
    try:
        return (yield from ask(create))
    except RetryableError:
        found = yield from landed()
        if found is not None:
            return found
        return (yield from ask(create))
