"""A bounded queue of work served by asyncio workers: per subject, the newest ask wins."""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable, Hashable, Sequence

from bot.app import logs
from bot.app.metrics import AppMetrics
from bot.app.work import Work

log = logging.getLogger(__name__)

#: Runs one work; returns its outcome, a short word for the metrics ("published", ...).
Runner = Callable[[Work], Awaitable[str]]

SUPERSEDED = "%s dropped: delivery %s asks for it again"
ABANDONED = "shutdown: %s (deliveries %s) abandoned; redeliver to run it"


class Offer(enum.Enum):
    """What the scheduler did with a delivery's work."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # every one already queued, or covered by the work running
    FULL = "queue-full"
    CLOSED = "shutting-down"


class Scheduler:
    """Work waiting (one per key, at most ``capacity``) and the workers running it.

    Work of one key (a review: one pull request) never runs in two workers at once: work
    asked for while another runs waits for it. Nothing here is needed for correctness across
    replicas; it saves work.
    """

    def __init__(self, run: Runner, metrics: AppMetrics, *, workers: int, capacity: int) -> None:
        self._run = run
        self._metrics = metrics
        self._workers = workers
        self._capacity = capacity
        self._pending: dict[Hashable, Work] = {}  # insertion order: first come, first served
        self._running: dict[Hashable, Work] = {}
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.closing = False

    @property
    def busy(self) -> int:
        """Reviews running now."""
        return len(self._running)

    @property
    def queued(self) -> int:
        """Reviews waiting for a worker."""
        return len(self._pending)

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._worker(), name=f"tierbot-worker-{n}")
            for n in range(self._workers)
        ]

    def offer(self, works: Sequence[Work]) -> Offer:
        """Queue ``works`` (one delivery's) all or none; never waits."""
        if self.closing:
            return Offer.CLOSED
        fresh = [work for work in works if not self._has(work) and not self._covered(work)]
        if not fresh:
            return Offer.DUPLICATE
        if len(self._pending.keys() | {w.key for w in fresh}) > self._capacity:
            return Offer.FULL
        for work in fresh:
            queued = self._pending.get(work.key)
            if queued is not None and queued.replaced_by(work):
                self._metrics.superseded.inc()
                log.info(SUPERSEDED, queued, work.delivery)
            self._pending[work.key] = queued.merged(work) if queued else work
        self._metrics.queue_depth.set(len(self._pending))
        self._wakeup.set()
        return Offer.ACCEPTED

    def _has(self, work: Work) -> bool:
        """Whether ``work``'s delivery already asked for its pull request and is not done."""
        return any(
            work.delivery in found.deliveries
            for found in (self._pending.get(work.key), self._running.get(work.key))
            if found is not None
        )

    def _covered(self, work: Work) -> bool:
        """Whether the work running for ``work``'s key already does what it asks."""
        running = self._running.get(work.key)
        return running is not None and running.covers(work)

    def _take(self) -> Work | None:
        key = next((k for k in self._pending if k not in self._running), None)
        if key is None:
            return None
        work = self._running[key] = self._pending.pop(key)
        self._metrics.queue_depth.set(len(self._pending))
        return work

    async def _worker(self) -> None:
        while True:
            work = self._take()
            if work is None:
                if self.closing:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            try:
                await self._do(work)
            finally:
                del self._running[work.key]
                self._wakeup.set()  # work of the same key may be waiting

    async def _do(self, work: Work) -> None:
        with logs.delivery(work.delivery):
            if len(work.deliveries) > 1:
                log.info("also asked for by deliveries %s", ", ".join(work.deliveries[:-1]))
            started = time.perf_counter()
            try:
                outcome = await self._run(work)
            except Exception:  # one work's bug must not stop the worker; its trace is logged
                log.exception("%s failed", work)
                outcome = "error"
            self._metrics.review_seconds.labels(outcome).observe(time.perf_counter() - started)

    async def close(self, grace: float) -> None:
        """Take no more; finish what is queued and running within ``grace`` seconds."""
        self.closing = True
        self._wakeup.set()
        if not self._tasks:
            return
        _, late = await asyncio.wait(self._tasks, timeout=grace)
        for work in [*self._running.values(), *self._pending.values()]:
            log.warning(ABANDONED, work, ", ".join(work.deliveries))
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
