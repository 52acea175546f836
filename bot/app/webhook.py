"""POST /webhook: a delivery read within GitHub's size limit, verified, routed, queued, answered."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import gidgethub
from aiohttp import web
from gidgethub import sansio
from gidgethub.routing import Router

from bot.app import logs
from bot.app.metrics import AppMetrics
from bot.app.payload import MalformedPayload
from bot.app.scheduler import Offer, Scheduler
from bot.app.work import Intake
from bot.core.limits import WEBHOOK_PAYLOAD_LIMIT

log = logging.getLogger(__name__)

UNVERIFIED = "unverified"  # the event label of a delivery refused before its signature held
RETRY_AFTER = "30"  # seconds, on 503
MAX_DELIVERY_ID = 128
DELIVERY_HEADERS = ("content-type", "x-github-event", "x-github-delivery", "x-hub-signature-256")
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


class Refused(Exception):
    """A request that is not a delivery tierbot accepts: the status and the reason."""

    def __init__(self, status: int, reason: str, outcome: str) -> None:
        super().__init__(reason)
        self.status = status
        self.outcome = outcome


async def read_event(request: web.Request, secret: str) -> sansio.Event:
    """The delivery in ``request``, its signature checked; raises ``Refused``."""
    declared = request.content_length
    if declared is not None and declared > WEBHOOK_PAYLOAD_LIMIT:
        raise Refused(413, f"a delivery holds at most {WEBHOOK_PAYLOAD_LIMIT} bytes", "too-large")
    if request.content_type != "application/json":
        raise Refused(415, "expected Content-Type: application/json", "unsupported-media")
    if declared is not None:  # at most the limit, as checked above: aiohttp reads that much
        body = await request.read()
    else:  # chunked: counted while it is read
        body = await _read_at_most(request, WEBHOOK_PAYLOAD_LIMIT)
    # Only what gidgethub reads: it falls back to X-Hub-Signature (SHA-1) and honours a
    # "sha1=" value, neither accepted here, so that header never reaches it.
    headers = {name: request.headers.get(name, "") for name in DELIVERY_HEADERS}
    if not headers.get("x-hub-signature-256", "").startswith("sha256="):
        raise Refused(401, "expected X-Hub-Signature-256: sha256=<HMAC>", "bad-signature")
    delivery = headers.get("x-github-delivery", "")
    if not headers.get("x-github-event") or not 0 < len(delivery) <= MAX_DELIVERY_ID:
        raise Refused(400, "expected X-GitHub-Event and X-GitHub-Delivery", "bad-request")
    try:
        event = sansio.Event.from_http(headers, body, secret=secret)
    except gidgethub.ValidationFailure:
        raise Refused(401, "the signature does not match the body", "bad-signature") from None
    except (gidgethub.BadRequest, LookupError, RecursionError):  # undecodable, or nested deep
        raise Refused(400, "the body is not a JSON object", "bad-request") from None
    if not isinstance(event.data, dict):
        raise Refused(400, "the body is not a JSON object", "bad-request")
    return event


async def _read_at_most(request: web.Request, limit: int) -> bytes:
    """The body, read chunk by chunk; ``Refused`` (413) as soon as it passes ``limit``."""
    body = bytearray()
    async for chunk in request.content.iter_any():
        if len(body) + len(chunk) > limit:
            raise Refused(413, f"a delivery holds at most {limit} bytes", "too-large")
        body += chunk
    return bytes(body)


def webhook_handler(
    router: Router, scheduler: Scheduler, metrics: AppMetrics, secret: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The handler of POST /webhook: it answers before any GitHub API call."""

    async def receive(request: web.Request) -> web.Response:
        try:
            event = await read_event(request, secret)
        except Refused as refused:
            metrics.deliveries.labels(UNVERIFIED, refused.outcome).inc()
            claimed = request.headers.get("X-GitHub-Delivery", "")[:MAX_DELIVERY_ID]
            log.info("refused (%d) delivery %r: %s", refused.status, claimed, refused)
            return web.Response(status=refused.status, text=str(refused))
        with logs.delivery(event.delivery_id):
            status, text, outcome, name = await _route(event, router, scheduler)
            metrics.deliveries.labels(event.event, outcome).inc()
            log.log(QUIET.get(outcome, logging.INFO), "%s: %s", name, outcome)
        headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
        return web.Response(status=status, text=text, headers=headers)

    return receive


async def _route(
    event: sansio.Event, router: Router, scheduler: Scheduler
) -> tuple[int, str, str, str]:
    """(status, text, outcome, event name) for a verified delivery."""
    intake = Intake(event)
    try:
        name = intake.name
        if event.event == "ping":
            return 200, "pong", "ping", name
        if not router.fetch(event):
            return 202, "ignored", "ignored", name
        await router.dispatch(event, intake)
    except MalformedPayload as error:
        return 400, str(error), "bad-payload", event.event
    if not intake.works:
        return 202, "nothing to review", "handled", name
    offer = scheduler.offer(intake.works)
    status, text = ANSWERS[offer]
    return status, text, offer.value, name
