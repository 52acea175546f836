"""The GitHub ``Forge`` adapters under contract, each built against a fake GitHub server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import aiohttp
from gidgethub.aiohttp import GitHubAPI

from bot.adapters.gidgethub import GidgethubForge
from bot.adapters.github_api import graphql_url_for
from bot.adapters.pygithub import PyGithubForge
from bot.port.forge import AsyncForge, Forge
from bot.port.operations import Operation

from .fake_github import FakeGitHubServer

TOKEN = "ghs_s3cr3tT0ken"
REPO = "octo/patterns"  # the repository the contract suite's adapters work on
T = TypeVar("T")

#: ``make(server, *, repository, timeout)``: an adapter for ``repository`` on ``server``.
MakeForge = Callable[..., Forge]


def pygithub(server: FakeGitHubServer, *, repository: str, timeout: int) -> Forge:
    return PyGithubForge(TOKEN, repository, api_url=server.url, write_spacing=0, timeout=timeout)


class OwnLoop:
    """An event loop of its own, and an aiohttp session opened on it: ``run`` a coroutine on
    them from synchronous code; ``close()`` closes both."""

    def __init__(self, timeout: float = 10) -> None:
        self._loop = asyncio.new_event_loop()
        self.session: aiohttp.ClientSession = self.run(self._open(timeout))

    @staticmethod
    async def _open(timeout: float) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` to its end on the loop."""
        return self._loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.run(self.session.close())
        self._loop.close()


class SyncForge:
    """An async forge made synchronous: each ``execute`` runs on ``loop``; ``close()`` closes
    the loop too (leave it open while others use the loop)."""

    def __init__(self, loop: OwnLoop, forge: AsyncForge) -> None:
        self.loop, self.forge = loop, forge

    @property
    def login(self) -> str:
        return self.forge.login

    def __repr__(self) -> str:
        return repr(self.forge)

    def execute(self, op: Operation) -> Any:
        return self.loop.run(self.forge.execute(op))

    def close(self) -> None:
        self.loop.close()


def gidgethub(server: FakeGitHubServer, *, repository: str, timeout: int) -> Forge:
    loop = OwnLoop(timeout)
    api = GitHubAPI(loop.session, "tierbot-tests", oauth_token=TOKEN, base_url=server.url)
    graphql_url = graphql_url_for(server.url)  # gidgethub derives none of its own
    forge = GidgethubForge(api, repository, graphql_url=graphql_url, write_spacing=0)
    return SyncForge(loop, forge)


#: name -> factory(server, *, repository, timeout): an adapter posting with TOKEN, its writes
#: unspaced, with a synchronous ``execute``; an async adapter's factory returns a wrapper that
#: runs each call on one event loop it owns. A ``close()`` it has is called after the test.
ADAPTERS: dict[str, MakeForge] = {"pygithub": pygithub, "gidgethub": gidgethub}


@contextmanager
def forge_maker(name: str, repository: str) -> Iterator[MakeForge]:
    """``make(server, repository=..., timeout=10)`` for adapter ``name``; closes what it made."""
    made: list[Any] = []

    def make(server: FakeGitHubServer, *, repository: str = repository, timeout: int = 10) -> Forge:
        made.append(ADAPTERS[name](server, repository=repository, timeout=timeout))
        return made[-1]

    try:
        yield make
    finally:
        for forge in made:
            if callable(getattr(forge, "close", None)):
                forge.close()
