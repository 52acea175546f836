"""Serving the fake on 127.0.0.1 from a background thread with its own event loop."""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web

from .app import graphql_path, make_app
from .state import FakeGitHub


class FakeGitHubServer:
    """Serves a ``FakeGitHub`` on 127.0.0.1 from a background thread with its own loop."""

    def __init__(self, state: FakeGitHub | None = None, *, prefix: str = "") -> None:
        self.state = state or FakeGitHub()
        self.prefix = prefix
        self.url = ""  # http://127.0.0.1:PORT plus the prefix, once started
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def graphql_url(self) -> str:
        return self.url.removesuffix(self.prefix) + graphql_path(self.prefix)

    def start(self) -> FakeGitHubServer:
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._open())
            except BaseException as error:  # reported to start()
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-github", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    async def _open(self) -> None:
        self._runner = web.AppRunner(make_app(self.state, self.prefix), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}{self.prefix}"

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> FakeGitHubServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        """Stop; after a block that raised nothing, fail unless every REST request named the
        API version (``FakeGitHub.assert_versioned``)."""
        self.stop()
        if kind is None:
            self.state.assert_versioned()
