"""The GitHub ``Forge`` adapters under contract, each built against a fake GitHub server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.adapters.pygithub import PyGithubForge
from bot.port.forge import Forge

from .fake_github import FakeGitHubServer

TOKEN = "ghs_s3cr3tT0ken"

#: ``make(server, *, repository, timeout)``: an adapter for ``repository`` on ``server``.
MakeForge = Callable[..., Forge]


def pygithub(server: FakeGitHubServer, *, repository: str, timeout: int) -> Forge:
    return PyGithubForge(TOKEN, repository, api_url=server.url, write_spacing=0, timeout=timeout)


#: name -> factory(server, *, repository, timeout): an adapter posting with TOKEN, its writes
#: unspaced, with a synchronous ``execute``; an async adapter's factory returns a wrapper that
#: runs each call on one event loop it owns. A ``close()`` it has is called after the test.
ADAPTERS: dict[str, MakeForge] = {"pygithub": pygithub}


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
