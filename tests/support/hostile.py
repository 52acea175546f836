"""Hostile clients of `tierbot serve`, over raw sockets on 127.0.0.1: what no HTTP library sends.

    await hang_up(port, head(headers, length=1000) + b"{", reset=True)  # gone mid-body
    await hang_ups(port, deliveries.ping(), 25)                         # 25 of them
    start, rest = slow_requests(deliveries.ping())["body"]
    slow = await SlowClient.connect(port, start)                        # the rest of the body
    seen = await slow.dribble(rest, every=0.1, limit=30)                # a byte at a time
    gzip_bomb(1 << 30)                                                  # 1 MiB -> 1 GiB
    memory(server.pid)                                                  # RSS and its peak

Every loop is bounded in bytes and seconds: ``dribble`` stops by itself at ``limit``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from .deliveries import Delivery

HOST = "127.0.0.1"
#: An unfinished header line longer than any client would send before a timeout closes it.
UNFINISHED_HEADER = b"X-Slow: " + b"s" * 8000


def head(headers: dict[str, str], *, length: int | None = None, path: str = "/webhook") -> bytes:
    """A POST's request line and headers: ``Content-Length: length``, or chunked when None."""
    framing = {"Content-Length": str(length)} if length is not None else {}
    framing = framing or {"Transfer-Encoding": "chunked"}
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}"]
    lines += [f"{name}: {value}" for name, value in (headers | framing).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def hang_up(port: int, request: bytes, *, reset: bool) -> None:
    """Send ``request`` (a head and part of its body), then hang up: a FIN, or an RST."""
    _, writer = await asyncio.open_connection(HOST, port)
    writer.write(request)
    await writer.drain()
    if reset:  # SO_LINGER 0: close() resets the connection
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.close()
    with contextlib.suppress(ConnectionError):  # the RST's
        await writer.wait_closed()


async def hang_ups(port: int, delivery: Delivery, count: int) -> list[str]:
    """``count`` clients sending ``delivery`` under ids of their own, each gone 4 bytes into
    the body: by turns with a Content-Length or chunked, hanging up with a FIN or an RST.
    Their delivery ids, ``hang-up-N``."""
    sent = []
    for n in range(count):
        headers = delivery.headers | {"X-GitHub-Delivery": f"hang-up-{n}"}
        framed = head(headers) + b"10\r\n" if n % 2 else head(headers, length=len(delivery.body))
        sent.append(hang_up(port, framed + delivery.body[:4], reset=n % 4 < 2))
    await asyncio.gather(*sent)
    return [f"hang-up-{n}" for n in range(count)]


def slow_requests(delivery: Delivery) -> dict[str, tuple[bytes, bytes]]:
    """What a slow client sends at once and then a byte at a time: ``headers``, whose last
    line never ends, and ``body``, whose headers are whole."""
    request = head(delivery.headers, length=len(delivery.body))
    return {"headers": (request[:-2], UNFINISHED_HEADER), "body": (request, delivery.body)}


@dataclass(frozen=True)
class Dribbled:
    """What a slow client saw: the server's answer, and whether and when it was closed."""

    answer: bytes
    closed: bool
    seconds: float  # from the connection's opening


class SlowClient:
    """A connection that sends the start of a request at once, then the rest a byte at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.opened = time.monotonic()

    @classmethod
    async def connect(cls, port: int, start: bytes) -> SlowClient:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(start)
        await writer.drain()
        return cls(reader, writer)

    async def dribble(self, rest: bytes, *, every: float, limit: float) -> Dribbled:
        """Send ``rest`` one byte every ``every`` seconds until the server closes the
        connection, or ``limit`` seconds after it opened; keep what the server answers."""
        answer = b""
        sent = 0
        try:
            while time.monotonic() - self.opened < limit:
                if sent < len(rest):
                    self.writer.write(rest[sent : sent + 1])
                    sent += 1
                try:
                    chunk = await asyncio.wait_for(self.reader.read(65536), every)
                except TimeoutError:
                    continue
                if not chunk:
                    return self._seen(answer, closed=True)
                answer += chunk
        except ConnectionError:
            return self._seen(answer, closed=True)
        finally:
            self.writer.close()
        return self._seen(answer, closed=False)

    def _seen(self, answer: bytes, *, closed: bool) -> Dribbled:
        return Dribbled(answer, closed, time.monotonic() - self.opened)


def gzip_bomb(inflated: int) -> bytes:
    """A gzip body of zeros that inflates to ``inflated`` bytes (1 GiB: about 1 MiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip header and trailer
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(inflated // len(block))]
    return b"".join(parts) + packer.flush()


def memory(pid: int) -> dict[str, int]:
    """The process's resident set now (``VmRSS``) and at its peak (``VmHWM``), in bytes."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) * 1024 for name in ("VmRSS", "VmHWM")}
