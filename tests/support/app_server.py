"""`tierbot serve` as a real subprocess against the fake GitHub, and a client that delivers to it.

    with SlowGitHub() as github, AppServer(github).start() as server:
        server.deliver(deliveries.ping())              # -> Answer(status, headers, text)
        server.wait_for(lambda: ..., "what")           # poll the fake's state
        github.hold_next(path, until=lambda: ...)      # answer a request once something happened
        assert server.stop() == 0                      # SIGTERM; the exit code

Only 127.0.0.1 is used: the server listens on a free port there (``--port 0``, the port read
from its "listening on" log line), the fake GitHub serves there too.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from .deliveries import SECRET, Delivery
from .fake_github import FakeGitHubServer, make_app
from .fake_github.github_app import FakeApp

LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


class Answer(NamedTuple):
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Stall:
    """Hold back the answer to the next ``remaining`` requests matching ``path``: ``seconds``,
    or, given ``until``, until it is true (``seconds`` at most)."""

    path: str  # a regular expression searched in the request path
    seconds: float
    remaining: int = 1
    method: str | None = None
    until: Callable[[], bool] | None = None


class SlowGitHub(FakeGitHubServer):
    """The fake GitHub, whose answers to chosen requests can come too late (a client timeout).

    The request is logged by the fake like any other: GitHub received it, its answer is late.
    """

    def __init__(self) -> None:
        super().__init__()
        self.stalls: list[Stall] = []

    def stall_next(
        self, path: str, seconds: float, count: int = 1, method: str | None = None
    ) -> None:
        with self.state.lock:
            self.stalls.append(Stall(path, seconds, count, method))

    def hold_next(
        self, path: str, until: Callable[[], bool], method: str | None = None, seconds: float = 20
    ) -> None:
        """Answer the next request matching ``path`` once ``until()`` is true: an event
        elsewhere (another server's log line), not a time, decides when."""
        with self.state.lock:
            self.stalls.append(Stall(path, seconds, 1, method, until))

    def _stall_for(self, method: str, path: str) -> Stall | None:
        with self.state.lock:
            for stall in self.stalls:
                if stall.method not in (None, method):
                    continue
                if stall.remaining > 0 and re.search(stall.path, path):
                    stall.remaining -= 1
                    return stall
        return None

    def deprioritize(self, niceness: int = 10) -> None:
        """Serve below the processes under test, as a remote GitHub takes none of their CPU."""
        assert self._thread is not None and self._thread.native_id is not None
        os.setpriority(os.PRIO_PROCESS, self._thread.native_id, niceness)

    async def _open(self) -> None:
        @web.middleware
        async def stall(request: web.Request, handler: Any) -> web.StreamResponse:
            response = await handler(request)
            found = self._stall_for(request.method, request.path)
            if found is not None and found.until is not None:
                deadline = time.monotonic() + found.seconds
                while not found.until() and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
            elif found is not None:
                await asyncio.sleep(found.seconds)
            return response

        app = make_app(self.state, self.prefix)
        app.middlewares.append(stall)  # innermost: the fake logs the request first
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}{self.prefix}"


def server_env(github: FakeGitHubServer, app: FakeApp, **extra: str) -> dict[str, str]:
    """The environment of `tierbot serve`: this one less GitHub's and tierbot's variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "TIERBOT_"))}
    env.update(
        TIERBOT_WEBHOOK_SECRET=SECRET,
        TIERBOT_APP_ID=str(app.id),
        TIERBOT_PRIVATE_KEY=app.private_key_pem,
        GITHUB_API_URL=github.url,
        GITHUB_GRAPHQL_URL=github.graphql_url,
        TIERBOT_GITHUB_TIMEOUT="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def wait_until_reviewed(
    servers: Sequence[AppServer], done: Callable[[], Any], what: str, timeout: float = 15
) -> Any:
    """Wait for ``done`` (a completed check run, say), then for every server to be idle."""
    found = servers[0].wait_for(done, what, timeout)
    for server in servers:
        server.wait_for(server.idle, "an idle server", timeout)
    return found


class AppServer:
    """A `tierbot serve` subprocess; its stderr collected in ``lines``."""

    def __init__(self, github: FakeGitHubServer, **env: str) -> None:
        app = github.state.app
        assert app is not None, "the fake needs its App: github.state.add_app()"
        self.env = server_env(github, app, **env)
        self.lines: list[str] = []
        self.port = 0
        self._process: subprocess.Popen[str] | None = None
        self._listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)

    def start(self, timeout: float = 20) -> AppServer:
        command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"]
        self._process = subprocess.Popen(
            command, env=self.env, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self._reader.start()
        if not self._listening.wait(timeout):
            self.kill()
            raise AssertionError("tierbot serve did not start:\n" + "\n".join(self.lines))
        return self

    def _read(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        for line in self._process.stderr:
            self.lines.append(line.rstrip("\n"))
            if not self.port and (found := LISTENING.search(line)):
                self.port = int(found[1])
                self._listening.set()

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    # --- HTTP ---------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            return Answer(response.status, dict(response.getheaders()), text)
        finally:
            connection.close()

    def post(self, body: bytes, headers: dict[str, str]) -> Answer:
        return self.request("POST", "/webhook", body, headers)

    def deliver(self, delivery: Delivery) -> Answer:
        return self.post(delivery.body, delivery.headers)

    def healthy(self) -> bool:
        return self.request("GET", "/healthz").status == 200

    def idle(self) -> bool:
        """Nothing queued, nothing running."""
        answer = self.request("GET", "/healthz")
        return answer.status == 200 and json.loads(answer.text) == {
            "status": "ok",
            "queued": 0,
            "running": 0,
        }

    def metric(self, name: str, **labels: str) -> float:
        """The sum of sample ``name`` over the series whose labels include ``labels``."""
        text = self.request("GET", "/metrics").text
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        )

    # --- waiting and stopping -----------------------------------------------------------------

    def wait_for(self, done: Callable[[], Any], what: str, timeout: float = 15) -> Any:
        """Poll ``done`` until it is truthy; fails naming ``what`` with the server's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := done():
                return found
            if self._process is not None and self._process.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"never happened: {what}\n" + "\n".join(self.lines))

    def logged(self, pattern: str) -> list[str]:
        return [line for line in self.lines if re.search(pattern, line)]

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then the exit code."""
        assert self._process is not None
        self._process.send_signal(signal.SIGTERM)
        return self._process.wait(timeout)

    def kill(self) -> None:
        """SIGKILL; returns once its review process, which shares its stderr, is gone too."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(10)
            self._reader.join(10)

    def __enter__(self) -> AppServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
