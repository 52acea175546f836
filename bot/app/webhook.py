"""POST /webhook: a delivery read within GitHub's limits, verified, routed, queued, answered."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.app import logs
from bot.app.delivery import MAX_DELIVERY_ID, Refused, read_delivery
from bot.app.environment import ServerConfig
from bot.app.examine import Asked, Examiner, ignored
from bot.app.metrics import AppMetrics
from bot.app.scheduler import Offer, Scheduler

log = logging.getLogger(__name__)

UNVERIFIED = "unverified"  # the event label of a delivery refused before its signature held
RETRY_AFTER = "30"  # seconds, on 503
#: Outcomes logged at DEBUG: most deliveries an App gets (its own runs, labels and comments
#: coming back) ask for nothing, and a line each would cost more than answering them. An
#: accepted one is logged when its review starts, under its delivery id.
QUIET = dict.fromkeys(("ignored", "handled", "ping", "accepted", "duplicate"), logging.DEBUG)
ANSWERS = {
    Offer.ACCEPTED: (202, "accepted"),
    Offer.DUPLICATE: (202, "already queued or under review"),
    Offer.FULL: (503, "the review queue is full; try again later"),
    Offer.CLOSED: (503, "shutting down; try again later"),
}


def webhook_handler(
    examiner: Examiner, scheduler: Scheduler, metrics: AppMetrics, config: ServerConfig
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The handler of POST /webhook: it answers before any GitHub API call."""

    async def receive(request: web.Request) -> web.Response:
        try:
            delivery = await read_delivery(request, config.secret, config.read_timeout)
        except Refused as refused:
            metrics.deliveries.labels(UNVERIFIED, refused.outcome).inc()
            claimed = request.headers.get("X-GitHub-Delivery", "")[:MAX_DELIVERY_ID]
            log.info("refused (%d) delivery %r: %s", refused.status, claimed, refused)
            answer = web.Response(status=refused.status, text=str(refused))
            if refused.status == 408:  # the client had its time: no lingering read of the rest
                await _answer_and_close(request, answer)
            return answer
        with logs.delivery(delivery.delivery_id):
            # An event no handler wants is answered unparsed, whatever its size.
            wanted = examiner.wants(delivery.event)
            asked = await examiner(delivery) if wanted else ignored(delivery.event)
            status, text, outcome = _queue(asked, scheduler)
            metrics.deliveries.labels(delivery.event, outcome).inc()
            log.log(QUIET.get(outcome, logging.INFO), "%s: %s", asked.name, outcome)
        headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
        return web.Response(status=status, text=text, headers=headers)

    return receive


async def _answer_and_close(request: web.Request, answer: web.Response) -> None:
    """Send ``answer`` now and close the connection; aiohttp would otherwise go on reading
    what is left of the body for ``lingering_time``."""
    await answer.prepare(request)
    await answer.write_eof()
    request.protocol.force_close()


def _queue(asked: Asked, scheduler: Scheduler) -> tuple[int, str, str]:
    """(status, text, outcome): the reviews ``asked`` for offered to the scheduler."""
    if not asked.works:
        return asked.status, asked.text, asked.outcome
    offer = scheduler.offer(asked.works)
    status, text = ANSWERS[offer]
    return status, text, offer.value
