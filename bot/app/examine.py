"""What a verified delivery asks for: its JSON parsed and routed; a large one in a child process.

``json.loads`` holds the GIL for its whole run (1.5 s for 24 MB of small objects), so a thread
would stall the event loop just as much. A body over ``INLINE_LIMIT`` is parsed and routed by
``python -m bot.app.examine``, which reads the body on its stdin and writes what the delivery
asks for (a few fields, the reviews) as JSON on its stdout; its log lines go to the server's
stderr, naming the delivery.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import signal
import sys
from dataclasses import dataclass
from typing import Any

from gidgethub import sansio

from bot.app import logs
from bot.app.delivery import Verified
from bot.app.payload import MalformedPayload
from bot.app.routes import ROUTER
from bot.app.work import Intake, Work

log = logging.getLogger(__name__)

#: Bodies parsed on the event loop: at worst about 15 ms; GitHub's are mostly under 100 KiB.
INLINE_LIMIT = 256 * 1024
NOT_AN_OBJECT = "the body is not a JSON object"
#: The child yields the CPU to the server's loop: its other answers are due within 10 seconds.
NICENESS = 5
CHILD_FAILED = "examining the delivery's %d bytes apart failed (exit status %s)"


@dataclass(frozen=True, slots=True)
class Asked:
    """What a delivery asks for: its name, the outcome, the answer, and the work to queue."""

    name: str  # event.action, or the event alone
    outcome: str
    status: int
    text: str
    works: tuple[Work, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"works": [work.to_json() for work in self.works]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Asked:
        """The ``Asked`` of ``to_json`` after a JSON round trip."""
        return cls(**data | {"works": tuple(Work.from_json(w) for w in data["works"])})


def ignored(name: str) -> Asked:
    """A delivery no handler wants: 202, nothing done."""
    return Asked(name, "ignored", 202, "ignored")


async def examine(delivery: Verified) -> Asked:
    """Parse ``delivery`` and hand it to the handlers its event and action are routed to."""
    event = _parse(delivery)
    if event is None:
        return Asked(delivery.event, "bad-request", 400, NOT_AN_OBJECT)
    intake = Intake(event)
    try:
        name = intake.name
        if event.event == "ping":
            return Asked(name, "ping", 200, "pong")
        if not ROUTER.fetch(event):
            return ignored(name)
        await ROUTER.dispatch(event, intake)
    except MalformedPayload as error:
        return Asked(event.event, "bad-payload", 400, str(error))
    if not intake.works:
        return Asked(name, "handled", 202, "nothing to review")
    return Asked(name, "review", 202, "", tuple(intake.works))


def _parse(delivery: Verified) -> sansio.Event | None:
    """The delivery as gidgethub's ``Event``; None when its body is not a JSON object."""
    try:
        data = json.loads(delivery.body.decode(delivery.charset))
    except (ValueError, LookupError, RecursionError):  # not JSON, undecodable, nested deep
        return None
    if not isinstance(data, dict):
        return None
    return sansio.Event(data, event=delivery.event, delivery_id=delivery.delivery_id)


class Examiner:
    """Examines deliveries: a small one on the event loop, a large one in a child process."""

    def __init__(self, level: int) -> None:
        self._level = level
        self._apart = asyncio.Semaphore(1)  # a parse may take 30 times its body in memory

    @staticmethod
    def wants(event: str) -> bool:
        """Whether a delivery of ``event`` may ask for anything: else it is not parsed."""
        return event == "ping" or ROUTER.wants(event)

    async def __call__(self, delivery: Verified) -> Asked:
        if len(delivery.body) <= INLINE_LIMIT:
            return await examine(delivery)
        async with self._apart:
            return await self._apart_from_the_loop(delivery)

    async def _apart_from_the_loop(self, delivery: Verified) -> Asked:
        arguments = (delivery.event, delivery.delivery_id, delivery.charset, str(self._level))
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            __name__,
            *arguments,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        answer, _ = await child.communicate(delivery.body)
        if child.returncode != 0:
            log.error(CHILD_FAILED, len(delivery.body), child.returncode)
            return Asked(delivery.event, "error", 500, "the delivery could not be examined")
        return Asked.from_json(json.loads(answer))


def examine_main(argv: list[str]) -> int:
    """``python -m bot.app.examine EVENT DELIVERY CHARSET LEVEL``: the body on stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when this ends
    os.nice(NICENESS)
    event, delivery_id, charset, level = argv
    logs.configure(int(level))
    delivery = Verified(event, delivery_id, sys.stdin.buffer.read(), charset)
    with logs.delivery(delivery_id):
        asked = asyncio.run(examine(delivery))
    sys.stdout.write(json.dumps(asked.to_json()))
    return 0


if __name__ == "__main__":
    sys.exit(examine_main(sys.argv[1:]))
