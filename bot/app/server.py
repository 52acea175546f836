"""`tierbot serve`: /webhook, /healthz and /metrics on aiohttp; stopped gracefully on SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.app import logs
from bot.app.environment import ServerConfig
from bot.app.examine import Examiner
from bot.app.metrics import CONTENT_TYPE_LATEST, AppMetrics
from bot.app.review_process import ReviewProcess
from bot.app.scheduler import Scheduler
from bot.app.webhook import webhook_handler
from bot.core.limits import WEBHOOK_PAYLOAD_LIMIT
from bot.errors import UsageError

log = logging.getLogger(__name__)


def run_server(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    """Serve until SIGTERM; exit 0 once the reviews under way have finished."""
    env = os.environ if env is None else env
    config = ServerConfig.from_env(env)
    level = logging.DEBUG if args.verbose else logging.INFO
    logs.configure(level)
    asyncio.run(serve(args.host, args.port, config, env, level))
    return 0


def make_app(
    scheduler: Scheduler, metrics: AppMetrics, config: ServerConfig, examiner: Examiner
) -> web.Application:
    """The routes: deliveries in, health and metrics out."""

    async def healthz(request: web.Request) -> web.Response:
        if scheduler.closing:
            return web.Response(status=503, text="stopping")
        counts = {"queued": scheduler.queued, "running": scheduler.busy}
        return web.json_response({"status": "ok", **counts})

    async def metrics_text(request: web.Request) -> web.Response:
        return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application(client_max_size=WEBHOOK_PAYLOAD_LIMIT)  # request.read() may take it
    app.router.add_post("/webhook", webhook_handler(examiner, scheduler, metrics, config))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_text)
    return app


def connection_limits(seconds: float) -> dict[str, Any]:
    """aiohttp's settings that keep hostile clients cheap: nothing inflated, nothing slow.

    ``keepalive_timeout`` closes a connection whose request headers (its first or the next)
    are not in after ``seconds``; ``lingering_time`` bounds the reading of a body left unread
    after a refusal; a compressed body is refused, so never inflated.
    """
    return {"keepalive_timeout": seconds, "lingering_time": seconds, "auto_decompress": False}


async def serve(
    host: str, port: int, config: ServerConfig, env: Mapping[str, str], level: int
) -> None:
    """Serve until SIGTERM or SIGINT, then finish the reviews under way within the grace."""
    metrics = AppMetrics()
    reviews = ReviewProcess(env, metrics, level=level, timeout=config.github_timeout)
    await reviews.start()
    scheduler = Scheduler(reviews, metrics, workers=config.workers, capacity=config.queue_size)
    app = make_app(scheduler, metrics, config, Examiner(level))
    runner = web.AppRunner(app, access_log=None, **connection_limits(config.read_timeout))
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        await reviews.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    scheduler.start()
    bound = runner.addresses[0]
    log.info("listening on http://%s:%d", bound[0], bound[1])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log.info("stopping: %.0f s for the reviews under way", config.grace_seconds)
    scheduler.closing = True  # a delivery arriving meanwhile gets 503 and Retry-After
    for site in list(runner.sites):
        await site.stop()
    await scheduler.close(config.grace_seconds)
    await runner.cleanup()
    await reviews.close()
    log.info("stopped")
