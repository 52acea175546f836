"""Hostile clients against `tierbot serve`: hang-ups, slow clients, gzip bombs, huge events.

Everything runs on 127.0.0.1: the fake GitHub of the tests (tests/support/fake_github/) in this
process, `tierbot serve` as a subprocess with its defaults (TIERBOT_READ_TIMEOUT 5 s), the
clients over raw sockets (tests/support/hostile.py). Every loop is bounded in count and time.
Printed, each next to its goal:

1. 25 clients hanging up mid-body (FIN or RST, Content-Length or chunked): the tracebacks and
   the refusal lines in the server's log. Goal: no traceback, one line each.
2. 50 clients sending their headers a byte every 50 ms, and 50 their bodies so: the seconds
   until each was closed, and the answers to 10 signed deliveries sent meanwhile. Goal: closed
   within the timeout (a slow body answered 408 then), deliveries answered 202 within 1 s.
3. Six 1 MiB gzip bodies inflating to 1 GiB each, forged signatures, sent at once, and a signed
   delivery among them: the seconds to each answer and the server's RSS growth. Goal: 415
   within 100 ms, RSS growth under 20 MiB.
4. A signed 24 MB body of 8.4 M ``{}`` for ``star`` (an event tierbot ignores), then one for
   ``installation`` (one it handles, parsed apart): the seconds to the answer, /healthz's
   latencies meanwhile (called every 10 ms), the server's RSS growth. Goal: /healthz under 100 ms.

    python benchmarks/webhook_hostile.py
"""

from __future__ import annotations

import asyncio
import http.client
import logging
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support import deliveries  # noqa: E402
from support.app_server import Answer, AppServer, SlowGitHub  # noqa: E402
from support.app_site import BREAKER, BROKEN_PAGE, GOLD_PAGE, AppSite  # noqa: E402
from support.hostile import (  # noqa: E402
    Dribbled,
    SlowClient,
    gzip_bomb,
    hang_ups,
    memory,
    slow_requests,
)

MIB = 1024 * 1024
PATIENCE = 30.0  # seconds a slow client waits to be closed, at most
HEALTH_EVERY = 0.01  # seconds between two /healthz calls
ROWS: list[tuple[str, str, str]] = []  # (figure, measured, goal)


def row(figure: str, measured: str, goal: str = "") -> None:
    ROWS.append((figure, measured, goal))


def timed(call: Callable[[], Answer]) -> tuple[float, Answer]:
    """Seconds to the answer of ``call``, and the answer."""
    started = time.perf_counter()
    answer = call()
    return time.perf_counter() - started, answer


@contextmanager
def health_watch(port: int) -> Iterator[list[float]]:
    """/healthz's latencies, called every ``HEALTH_EVERY`` seconds while the block runs (as
    a load balancer's checks would, not so often that they take the CPU from the rest)."""
    latencies: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.wait(HEALTH_EVERY) and len(latencies) < 100_000:
            started = time.perf_counter()
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            latencies.append(time.perf_counter() - started)
        connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield latencies
    finally:
        stop.set()
        watcher.join(30)


def spread(latencies: list[float]) -> str:
    """p50, p99 and worst, in milliseconds, of ``latencies``."""
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.1f}, p99 {p99 * 1000:.1f}, "
        f"worst {ordered[-1] * 1000:.1f} ms ({len(ordered)} calls)"
    )


def hang_up_mid_body(server: AppServer) -> None:
    asyncio.run(hang_ups(server.port, deliveries.ping(), 25))
    refused = r"refused \(\d+\) delivery 'hang-up-\d+'"
    server.wait_for(lambda: len(server.logged(refused)) >= 25, "the refusals", timeout=PATIENCE)
    row("1. hang-ups: tracebacks in the log", str(len(server.logged("Traceback"))), "0")
    row("1. hang-ups: refusal lines", str(len(server.logged(refused))), "25 (one each)")


def slow_clients(server: AppServer, site: AppSite) -> None:
    slow = slow_requests(deliveries.ping())
    kinds = ["headers"] * 50 + ["body"] * 50
    pulls = [site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE}) for _ in range(10)]

    async def meanwhile() -> tuple[list[Dribbled], list[tuple[float, Answer]]]:
        starts = (SlowClient.connect(server.port, slow[kind][0]) for kind in kinds)
        clients = await asyncio.gather(*starts)
        dribbling = [
            asyncio.create_task(client.dribble(slow[kind][1], every=0.05, limit=PATIENCE))
            for client, kind in zip(clients, kinds, strict=True)
        ]
        answers = []
        for pull in pulls:
            delivery = site.opened(pull)
            answers.append(await asyncio.to_thread(timed, partial(server.deliver, delivery)))
        return list(await asyncio.gather(*dribbling)), answers

    seen, answers = asyncio.run(meanwhile())
    for kind, group in (("headers", seen[:50]), ("bodies", seen[50:])):
        closed = [c.seconds for c in group if c.closed]
        row(
            f"2. slow {kind}: closed after (s)",
            f"{len(closed)}/50, {min(closed, default=0):.2f}-{max(closed, default=0):.2f}",
            "within the 5 s timeout" + (" (408)" if kind == "bodies" else ""),
        )
    answered_408 = sum(c.answer.startswith(b"HTTP/1.1 408 ") for c in seen[50:])
    row("2. slow bodies answered 408", f"{answered_408}/50", "50/50")
    statuses = {a.status for _, a in answers}
    worst = max(seconds for seconds, _ in answers)
    row("2. signed deliveries meanwhile", f"{statuses}, worst {worst * 1000:.1f} ms", "202 < 1 s")


def gzip_bombs(server: AppServer) -> None:
    bomb = gzip_bomb(1 << 30)
    forged = deliveries.headers("pull_request", b"{}") | {"Content-Encoding": "gzip"}
    before = memory(server.pid)

    async def at_once() -> list[tuple[float, Answer]]:
        bombs = [asyncio.to_thread(timed, partial(server.post, bomb, forged)) for _ in range(6)]
        signed = asyncio.to_thread(timed, partial(server.deliver, deliveries.ping()))
        return list(await asyncio.gather(*bombs, signed))

    answers = asyncio.run(at_once())
    after = memory(server.pid)
    statuses = {a.status for _, a in answers[:6]}
    worst = max(seconds for seconds, _ in answers[:6])
    row(
        f"3. gzip bombs ({len(bomb) / MIB:.2f} MiB -> 1 GiB) x6",
        f"{statuses}, worst {worst * 1000:.1f} ms",
        "415 < 100 ms",
    )
    row("3. a signed delivery among them", f"{answers[6][0] * 1000:.1f} ms", "< 1 s")
    growth = (after["VmHWM"] - before["VmHWM"]) / MIB
    row("3. RSS growth (peak)", f"{growth:.1f} MiB", "< 20 MiB")


def huge_events(server: AppServer) -> None:
    padding = ("[" + ",".join(["{}"] * 8_400_000) + "]").encode()
    created = deliveries.installation_created("acme", ["acme/patterns"], 9).body
    bodies = {  # the same 8.4 M objects: a whole body, or a field of an installation event
        "star (ignored)": ("star", padding),
        "installation (handled)": (
            "installation",
            created[:-1] + b', "padding": ' + padding + b"}",
        ),
    }
    with health_watch(server.port) as idle:
        time.sleep(1)
    row("4. /healthz, idle", spread(idle))
    for name, (event, body) in bodies.items():
        headers = deliveries.headers(event, body)
        before = memory(server.pid)
        with health_watch(server.port) as health:
            seconds, answer = timed(partial(server.post, body, headers))
        growth = (memory(server.pid)["VmHWM"] - before["VmHWM"]) / MIB
        row(f"4. {name}, {len(body) / MIB:.1f} MiB: answer", f"{answer.status} in {seconds:.2f} s")
        row(f"4. {name}: /healthz meanwhile", spread(health), "worst < 100 ms")
        row(f"4. {name}: RSS growth (peak)", f"{growth:.1f} MiB")


def main() -> int:
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the fake, when serve stops
    with SlowGitHub() as github:
        github.deprioritize()
        site = AppSite(github.state)
        with AppServer(github).start() as server:
            for part in (
                hang_up_mid_body,
                lambda s: slow_clients(s, site),
                gzip_bombs,
                huge_events,
            ):
                part(server)
            server.stop()
    width = max(len(figure) for figure, _, _ in ROWS)
    print(f"| {'figure':<{width}} | measured | goal |\n|---|---|---|")
    for figure, measured, goal in ROWS:
        print(f"| {figure:<{width}} | {measured} | {goal} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
