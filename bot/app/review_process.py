"""The reviews in a child process: their CPU work (YAML, rules, JSON) never delays an answer.

The server's event loop verifies, routes and queues deliveries; a review parses pages and
evaluates rules between its requests, which would hold that loop for milliseconds at a time.
So `tierbot serve` starts ``python -m bot.app.review_process``, which runs the reviews as
asyncio tasks over one GitHub session, and speaks JSON lines with it: ``{"id", "work"}`` in
on its stdin, ``{"id", "outcome", "github"}`` out (``{"ready"}`` or ``{"failed"}`` first).
Its stderr is the server's: its log lines name their delivery too.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import signal
import sys
from collections.abc import Mapping
from typing import IO, Any

import aiohttp

from bot.adapters.github_app import GitHubApp
from bot.app import logs
from bot.app.metrics import AppMetrics, GitHubTally
from bot.app.work import InstallationRunner, Work
from bot.errors import TierbotError, UsageError

log = logging.getLogger(__name__)

NOT_STARTED = "the review process did not start"
#: Reviews yield the CPU to the server answering GitHub: an answer is due within 10 seconds.
REVIEW_NICENESS = 5


class ReviewProcessDied(TierbotError):
    """The review process ended with reviews under way."""


class ReviewProcess:
    """The scheduler's runner: hands each review to the child process, awaits its outcome."""

    def __init__(
        self, env: Mapping[str, str], metrics: AppMetrics, *, level: int, timeout: float
    ) -> None:
        self._env = dict(env)
        self._metrics = metrics
        self._arguments = (str(level), str(timeout))
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[str]] = {}
        self._child: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the child; a ``UsageError`` when it cannot review (the App's settings)."""
        self._child = child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            __name__,
            *self._arguments,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=self._env,
        )
        assert child.stdout is not None
        first = json.loads(await child.stdout.readline() or "{}")
        if "ready" not in first:
            await child.wait()
            raise UsageError(first.get("failed") or NOT_STARTED)
        self._reader = asyncio.create_task(self._read(child))

    async def __call__(self, work: Work) -> str:
        if self._child is None or self._child.returncode is not None:
            log.warning("the review process is gone: starting another")
            await self.start()
        assert self._child is not None and self._child.stdin is not None
        ident = next(self._ids)
        answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting[ident] = answer
        message = {"id": ident, "work": work.to_json()}
        self._child.stdin.write(json.dumps(message).encode() + b"\n")
        await self._child.stdin.drain()
        return await answer

    async def _read(self, child: asyncio.subprocess.Process) -> None:
        assert child.stdout is not None
        async for line in child.stdout:
            message = json.loads(line)
            self._metrics.count_github(message["github"])
            answer = self._waiting.pop(message["id"], None)
            if answer is not None and not answer.done():
                answer.set_result(message["outcome"])
        died = ReviewProcessDied(f"the review process exited ({await child.wait()})")
        for answer in self._waiting.values():
            if not answer.done():
                answer.set_exception(died)
        self._waiting.clear()

    async def close(self) -> None:
        """End the child: its stdin closed, it cancels what it still runs and exits."""
        child = self._child
        if child is None or child.stdin is None:
            return
        child.stdin.close()
        try:
            await asyncio.wait_for(child.wait(), 5)
        except TimeoutError:
            child.kill()
            await child.wait()
        if self._reader is not None:
            await self._reader


# --- the child ------------------------------------------------------------------------------


def review_process_main(argv: list[str]) -> int:
    """``python -m bot.app.review_process LEVEL TIMEOUT``: review what stdin asks for.

    LEVEL is the logging level, TIMEOUT the seconds a GitHub request may take; it ends when
    its stdin closes.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):  # the server decides when this ends
        signal.signal(signum, signal.SIG_IGN)
    os.nice(REVIEW_NICENESS)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print() cannot break a line
    logs.configure(int(argv[0]))
    return asyncio.run(_review_what_comes(answers, os.environ, float(argv[1])))


def _say(answers: IO[str], message: dict[str, Any]) -> None:
    answers.write(json.dumps(message) + "\n")


async def _review_what_comes(answers: IO[str], env: Mapping[str, str], seconds: float) -> int:
    tally = GitHubTally()
    timeout = aiohttp.ClientTimeout(total=seconds)
    traced = [tally.trace_config()]
    async with aiohttp.ClientSession(timeout=timeout, trace_configs=traced) as session:
        try:
            runner = InstallationRunner(GitHubApp.from_env(env, session))
        except UsageError as error:
            _say(answers, {"failed": str(error)})
            return 2
        requests = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(requests), sys.stdin)
        _say(answers, {"ready": True})
        running: set[asyncio.Task[None]] = set()
        async for line in requests:
            task = asyncio.create_task(_review(runner, json.loads(line), answers, tally))
            running.add(task)
            task.add_done_callback(running.discard)
        for task in running:  # the server is gone, or past its grace period
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
    return 0


async def _review(
    runner: InstallationRunner, message: dict[str, Any], answers: IO[str], tally: GitHubTally
) -> None:
    work = Work.from_json(message["work"])
    with logs.delivery(work.delivery):
        try:
            outcome = await runner(work)
        except Exception:  # the server waits for an answer: a bug is logged, and answered
            log.exception("%s failed", work)
            outcome = "error"
    _say(answers, {"id": message["id"], "outcome": outcome, "github": tally.take()})


if __name__ == "__main__":
    sys.exit(review_process_main(sys.argv[1:]))
