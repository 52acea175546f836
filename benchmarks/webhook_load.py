"""Load on `tierbot serve`'s webhook, next to a bare aiohttp handler, and one large review.

Everything runs on 127.0.0.1. The fake GitHub of the tests (tests/support/fake_github/) runs in
this process, in a thread below the others' priority (a remote GitHub takes none of their CPU);
`tierbot serve` and the bare handler (this script with ``--bare PORT``: an aiohttp app whose
POST /webhook reads the body and answers 202) run as subprocesses; a third subprocess (this
script with ``--drive``) sends both the same signed deliveries.

Part 1, acknowledgement latency: ``--deliveries`` (5,000) deliveries for ``--prs`` (100) pull
requests, sent at ``--rate`` (200/s), then a burst of ``--burst`` (500) sent at once, through
at most 100 connections. The two servers take turns, ``--rounds`` (5) times: a fifth of the
paced deliveries each, then a burst each (p50/p99 of the burst are the median round's), so
load from elsewhere on the machine weighs on both alike. With ``--mix push`` (the default)
they are what GitHub sends for pushes to those pull requests, eight a push, two asking for a
review of the new head; with ``--mix reviews`` every one asks for a review of an unchanged
head (the worst case). A delivery is lost when it gets no 2xx answer (an error, a 503, no
answer in 10 s: GitHub's limit). tierbot reviews what it accepts meanwhile (the fake adding
``--delay`` per request), so the latency includes that work's competition (each turn starts
once tierbot is idle). Goal: p99 within 2x the bare handler's, no delivery lost.

Part 2, one large review: a pull request of ``--pages`` (400) changed pattern pages, the fake
adding ``--delay`` (30 ms) per request; the wall time from posting the delivery to the
completed `tierbot` check run, and the GitHub requests made (the App's JWT calls apart).
Goal: at most 5 s, and at most ceil(2N/100) + 10 reads plus the writes: the check run's
claim reads twice more (the runs listed again once it is created, the run read before it is
written), which 250 pages a GraphQL query pays for.

    python benchmarks/webhook_load.py [--deliveries 5000 --rate 200 --burst 500 --rounds 5]
    python benchmarks/webhook_load.py --mix reviews
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from support.app_server import AppServer, SlowGitHub  # noqa: E402
from support.app_site import BROKEN_PAGE, GOLD_PAGE, LIB, AppSite, pages  # noqa: E402
from support.deliveries import Delivery  # noqa: E402

ANSWER_TIMEOUT = aiohttp.ClientTimeout(total=10)  # GitHub gives a receiver 10 seconds
CONNECTIONS = 100
PHASE_LIMIT = 120.0  # seconds: no phase runs longer, whatever the arguments


def bare_server(port: int) -> None:
    """The baseline: POST /webhook reads the body and answers 202, nothing else."""

    async def receive(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=202, text="accepted")

    app = web.Application()
    app.router.add_post("/webhook", receive)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


class BareServer:
    """This script's ``--bare`` mode as a subprocess, on a port it reports when up."""

    def __init__(self) -> None:
        import socket

        with socket.socket() as probe:  # a free port on loopback
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._process = subprocess.Popen(
            [sys.executable, __file__, "--bare", str(self.port)], stdin=subprocess.DEVNULL
        )

    async def wait(self) -> None:
        deadline = time.monotonic() + 20
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                try:
                    async with session.post(f"http://127.0.0.1:{self.port}/webhook", data=b"{}"):
                        return
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
        raise SystemExit("the bare server did not start")

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(10)


async def _send(session: aiohttp.ClientSession, url: str, delivery: Delivery) -> float | None:
    """Seconds until the answer, or None: no 2xx answer (the delivery is lost)."""
    started = time.perf_counter()
    try:
        async with session.post(url, data=delivery.body, headers=delivery.headers) as answer:
            await answer.read()
            ok = 200 <= answer.status < 300
    except (aiohttp.ClientError, TimeoutError):
        ok = False
    return time.perf_counter() - started if ok else None


async def drive(ports: dict[str, int], phases: dict[str, list[Delivery]], args: dict) -> dict:
    """The figures of the timed phases, for each server: ``{server: {phase: figures}}``.

    The servers take turns, ``rounds`` times: a slice of the paced deliveries each, sent at
    ``rate`` a second, then a burst each. Load from elsewhere on the machine then falls on
    both alike. Before each turn the server is let settle (tierbot's reviews of the turn
    before would otherwise weigh on the other server's turn). The warm-up goes first, one by
    one, untimed.
    """
    rounds, rate = args["rounds"], args["rate"]
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    paced: dict[str, list[float | None]] = {name: [] for name in ports}
    bursts: dict[str, list[dict]] = {name: [] for name in ports}
    async with aiohttp.ClientSession(connector=connector, timeout=ANSWER_TIMEOUT) as session:
        for port in ports.values():
            for delivery in phases["warmup"]:
                await _send(session, _url(port), delivery)
        for turn in range(rounds):
            for name, port in ports.items():
                await _settle(session, port)
                paced[name] += await _paced(
                    session, port, _turn(phases["paced"], turn, rounds), rate
                )
            for name, port in ports.items():
                await _settle(session, port)
                burst = _turn(phases["burst"], turn, rounds)
                sent = await asyncio.gather(*(_send(session, _url(port), d) for d in burst))
                bursts[name].append(_figures(list(sent)))
    return {
        name: {"paced": _figures(paced[name]), "burst": _median_round(bursts[name])}
        for name in ports
    }


def _turn(deliveries: list[Delivery], turn: int, rounds: int) -> list[Delivery]:
    """The ``turn``-th of ``rounds`` consecutive slices: a push's deliveries stay together."""
    size = math.ceil(len(deliveries) / rounds)
    return deliveries[turn * size : (turn + 1) * size]


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}/webhook"


async def _paced(
    session: aiohttp.ClientSession, port: int, deliveries: list[Delivery], rate: float
) -> list[float | None]:
    start = time.perf_counter()
    tasks = []
    for index, delivery in enumerate(deliveries):
        wait = start + index / rate - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        if time.perf_counter() - start > PHASE_LIMIT:
            break
        tasks.append(asyncio.create_task(_send(session, _url(port), delivery)))
    return list(await asyncio.gather(*tasks))


def _median_round(rounds: list[dict]) -> dict:
    """The bursts' figures: sent and lost summed, p50 and p99 the median round's."""
    return {
        "sent": sum(r["sent"] for r in rounds),
        "lost": sum(r["lost"] for r in rounds),
        "p50": statistics.median(r["p50"] for r in rounds),
        "p99": statistics.median(r["p99"] for r in rounds),
    }


async def _settle(session: aiohttp.ClientSession, port: int) -> None:
    """Wait (at most 30 s) until tierbot has no review queued or running.

    The bare server has no /healthz: no wait.
    """
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
            if answer.status != 200:
                return
            health = await answer.json()
        if health["queued"] == health["running"] == 0:
            return
        await asyncio.sleep(0.05)


def driver(ports: dict[str, int], source: Path, args: dict) -> None:
    """``--drive``: send the deliveries in ``source`` (JSON) to ``ports``; print the figures."""
    data = json.loads(source.read_text(encoding="utf-8"))
    phases = {
        phase: [Delivery("", d["body"].encode(), d["headers"]) for d in found]
        for phase, found in data.items()
    }
    print(json.dumps(asyncio.run(drive(ports, phases, args))))


def drive_from_another_process(ports: dict[str, int], source: Path, args: dict) -> dict:
    """The figures of ``driver`` run as a subprocess: no GIL shared with the fake GitHub."""
    command = [
        sys.executable,
        __file__,
        "--drive",
        json.dumps(ports),
        str(source),
        json.dumps(args),
    ]
    timeout = PHASE_LIMIT * 2 * len(ports) * args["rounds"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    figures: dict = json.loads(done.stdout)
    return figures


def _figures(latencies: list[float | None]) -> dict:
    answered = sorted(t for t in latencies if t is not None)
    if not answered:
        return {"sent": len(latencies), "lost": len(latencies), "p50": math.nan, "p99": math.nan}
    p99 = answered[min(len(answered) - 1, math.ceil(0.99 * len(answered)) - 1)]
    return {
        "sent": len(latencies),
        "lost": len(latencies) - len(answered),
        "p50": statistics.median(answered),
        "p99": p99,
    }


def load_deliveries(site: AppSite, args: argparse.Namespace, target: Path) -> int:
    """Write part 1's deliveries to ``target``; how many in all.

    ``push`` (the default): pushes to ``args.prs`` pull requests in turn, each a new head and
    the eight deliveries GitHub sends for one (two ask for a review). ``reviews``: every
    delivery a synchronize asking for a review of an unchanged head, the worst case.
    """
    pulls = [
        site.open_pull({"README.md": "# Patterns\n"}, pages(3, GOLD_PAGE)) for _ in range(args.prs)
    ]
    total = 20 + args.deliveries + args.burst * args.rounds
    made: list[Delivery] = []
    for push in itertools.count():
        if len(made) >= total:
            break
        pull = pulls[push % len(pulls)]
        if args.mix == "reviews":
            made.append(site.pushed(pull, pull.base))
            continue
        before = pull.head
        site.push(pull, {f"{LIB}/generated/page-000.md": f"{GOLD_PAGE}\nPush {push}.\n"})
        made += site.push_deliveries(pull, before)
    shaped = [{"body": d.body.decode(), "headers": d.headers} for d in made[:total]]
    ends = (20, 20 + args.deliveries, total)
    phases = {
        name: shaped[start:end]
        for name, start, end in zip(("warmup", "paced", "burst"), (0, *ends), ends, strict=False)
    }
    target.write_text(json.dumps(phases), encoding="utf-8")
    return total


def part_one(args: argparse.Namespace, workdir: Path) -> int:
    print(
        f"Part 1: {args.deliveries} deliveries at {args.rate:.0f}/s, then a burst of "
        f"{args.burst}, in {args.rounds} rounds taking turns with the bare handler"
    )
    source = workdir / "deliveries.json"
    with SlowGitHub() as github:
        github.deprioritize()
        site = AppSite(github.state)
        sent = load_deliveries(site, args, source)
        env = {"TIERBOT_GRACE_SECONDS": "1", "TIERBOT_QUEUE_SIZE": str(max(200, 2 * args.prs))}
        bare = BareServer()
        try:
            with AppServer(github, **env).start() as server:
                asyncio.run(bare.wait())
                github.state.delay = args.delay  # the reviews wait on GitHub as they would
                ports = {"tierbot serve": server.port, "bare aiohttp": bare.port}
                knobs = {"rate": args.rate, "rounds": args.rounds}
                figures = drive_from_another_process(ports, source, knobs)
                counted = server.metric("tierbot_webhook_deliveries_total")
                server.stop()
        finally:
            bare.stop()
    print("| server | phase | sent | lost | p50 ms | p99 ms |")
    print("|---|---|--:|--:|--:|--:|")
    for name, phases in figures.items():
        for phase, got in phases.items():
            print(
                f"| {name} | {phase} | {got['sent']} | {got['lost']} "
                f"| {got['p50'] * 1000:.2f} | {got['p99'] * 1000:.2f} |"
            )
    print("(burst: p50 and p99 of the median round)")
    print(f"\ntierbot counted {counted:.0f} of the {sent} deliveries sent")
    tierbot, baseline = figures["tierbot serve"], figures["bare aiohttp"]
    ratios = [tierbot[p]["p99"] / baseline[p]["p99"] for p in tierbot]
    lost = sum(f["lost"] for f in tierbot.values())
    print(f"p99 tierbot/bare: {', '.join(f'{r:.2f}' for r in ratios)} (goal <= 2.0); lost: {lost}")
    return 0 if lost == 0 and counted == sent else 1


def part_two(args: argparse.Namespace) -> int:
    count = args.pages
    print(
        f"\nPart 2: one pull request of {count} changed pages, {args.delay * 1000:.0f} ms/request"
    )
    with SlowGitHub() as github:
        state = github.state
        site = AppSite(state)
        config = {".github/tierbot.yml": "fail-on: new-errors\n"}
        pull = site.open_pull(config | pages(count, GOLD_PAGE), pages(count, BROKEN_PAGE))
        with AppServer(github).start() as server:
            state.delay = args.delay
            state.clear_log()
            started = time.perf_counter()
            answer = server.deliver(site.opened(pull))
            acked = time.perf_counter() - started
            server.wait_for(lambda: site.completed(pull.head), "the check run", timeout=60)
            wall = time.perf_counter() - started
            server.stop()
    reads = [r for r in state.reads() if not r.path.startswith("/app")]
    writes = [r for r in state.writes() if not r.path.startswith("/app")]
    budget = math.ceil(2 * count / 100) + 10
    print(f"answered {answer.status} in {acked * 1000:.1f} ms")
    app = len(state.log) - len(reads) - len(writes)
    print(f"GitHub requests: {len(reads)} reads + {len(writes)} writes (+{app} App JWT calls)")
    print(f"reads budget ceil(2N/100) + 10 = {budget}")
    print(f"wall time from the delivery to the completed check run: {wall:.2f} s (goal <= 5)")
    return 0 if len(reads) <= budget and wall <= 5 else 1


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the fake, when serve stops
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument(
        "--drive", nargs=3, metavar=("PORTS", "FILE", "KNOBS"), help=argparse.SUPPRESS
    )
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=200.0, help="paced deliveries a second")
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5, help="turns each server takes")
    parser.add_argument("--prs", type=int, default=100, help="pull requests the deliveries name")
    parser.add_argument(
        "--mix", choices=("push", "reviews"), default="push", help="what the deliveries are"
    )
    parser.add_argument("--pages", type=int, default=400, help="changed pages of part 2")
    parser.add_argument("--delay", type=float, default=0.03, help="seconds added per request")
    args = parser.parse_args(argv)
    if args.bare is not None:
        bare_server(args.bare)
        return 0
    if args.drive:
        ports, source, knobs = args.drive
        driver(json.loads(ports), Path(source), json.loads(knobs))
        return 0
    with tempfile.TemporaryDirectory() as workdir:
        return part_one(args, Path(workdir)) | part_two(args)


if __name__ == "__main__":
    sys.exit(main())
