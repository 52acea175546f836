"""A job run as ``yield from`` runs it, watched: the operation it waits on, its first answers."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from bot.port.operations import Job, Operation

T = TypeVar("T")
A = TypeVar("A")


class Watched(Generic[T]):
    """``run()`` is ``yield from job``, keeping what a caller needs when an error escapes the
    job: the operation it was waiting on, and the first answer of each type it was sent."""

    def __init__(self, job: Job[T]) -> None:
        self._job = job
        self.waiting: Operation[Any] | None = None
        self._first: dict[type, Any] = {}

    def first(self, kind: type[A]) -> A | None:
        """The first answer of type ``kind`` the job was sent, if any."""
        found: A | None = self._first.get(kind)
        return found

    def run(self) -> Job[T]:
        job = self._job
        try:
            self.waiting = next(job)
            while True:
                try:
                    answer = yield self.waiting
                except Exception as error:  # what the driver gave up on: the job may handle it
                    self.waiting = job.throw(error)
                else:
                    self._first.setdefault(type(answer), answer)
                    self.waiting = job.send(answer)
        except StopIteration as done:
            result: T = done.value
            return result
