"""A delivery off the wire: headers checked, body read within the limits, signature verified."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import gidgethub
from aiohttp import web
from gidgethub import sansio

from bot.core.limits import WEBHOOK_PAYLOAD_LIMIT

MAX_DELIVERY_ID = 128
#: GitHub never compresses a delivery; inflating one would let 1 MiB become 1 GiB.
IDENTITY = frozenset({"", "identity"})


class Refused(Exception):
    """A request that is not a delivery tierbot accepts: the status and the reason."""

    def __init__(self, status: int, reason: str, outcome: str) -> None:
        super().__init__(reason)
        self.status = status
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class Verified:
    """A delivery whose signature holds: its raw body, not yet parsed."""

    event: str  # X-GitHub-Event
    delivery_id: str  # X-GitHub-Delivery
    body: bytes
    charset: str


async def read_delivery(request: web.Request, secret: str, timeout: float) -> Verified:
    """The delivery in ``request``, its signature checked; raises ``Refused``.

    Everything the headers can refuse is refused before the body is read; the body must
    arrive within ``timeout`` seconds (GitHub sends it at once).
    """
    declared = request.content_length
    if declared is not None and declared > WEBHOOK_PAYLOAD_LIMIT:
        raise Refused(413, f"a delivery holds at most {WEBHOOK_PAYLOAD_LIMIT} bytes", "too-large")
    if _codings(request) - IDENTITY:
        raise Refused(415, "expected no Content-Encoding: deliveries are not compressed", "encoded")
    if request.content_type != "application/json":
        raise Refused(415, "expected Content-Type: application/json", "unsupported-media")
    # gidgethub falls back to X-Hub-Signature (SHA-1) and honours a "sha1=" value; neither
    # is accepted here.
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not signature.startswith("sha256="):
        raise Refused(401, "expected X-Hub-Signature-256: sha256=<HMAC>", "bad-signature")
    event = request.headers.get("X-GitHub-Event", "")
    delivery = request.headers.get("X-GitHub-Delivery", "")
    if not event or not 0 < len(delivery) <= MAX_DELIVERY_ID:
        raise Refused(400, "expected X-GitHub-Event and X-GitHub-Delivery", "bad-request")
    body = await _read_body(request, timeout)
    try:
        sansio.validate_event(body, signature=signature, secret=secret)
    except gidgethub.ValidationFailure:
        raise Refused(401, "the signature does not match the body", "bad-signature") from None
    return Verified(event, delivery, body, request.charset or "utf-8")


def _codings(request: web.Request) -> set[str]:
    """The content codings the request names, lower-cased, in any number of headers."""
    values = request.headers.getall("Content-Encoding", [])
    return {coding.strip().lower() for value in values for coding in value.split(",")}


async def _read_body(request: web.Request, timeout: float) -> bytes:
    """The whole body within ``timeout``: a hang-up or a late body is refused, not raised."""
    try:
        async with asyncio.timeout(timeout):
            if request.content_length is not None:  # at most the limit: aiohttp reads that
                return await request.read()
            return await _read_at_most(request, WEBHOOK_PAYLOAD_LIMIT)  # chunked
    except TimeoutError:
        raise Refused(408, f"the body took more than {timeout:g} s", "timeout") from None
    except (ConnectionError, web.RequestPayloadError):  # nobody is left to answer
        raise Refused(400, "the client hung up before the end of the body", "hung-up") from None


async def _read_at_most(request: web.Request, limit: int) -> bytes:
    """The body, read chunk by chunk; ``Refused`` (413) as soon as it passes ``limit``."""
    body = bytearray()
    async for chunk in request.content.iter_any():
        if len(body) + len(chunk) > limit:
            raise Refused(413, f"a delivery holds at most {limit} bytes", "too-large")
        body += chunk
    return bytes(body)
