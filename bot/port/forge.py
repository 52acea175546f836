"""The adapter protocols: what executes a job's operations, synchronously or not."""

from __future__ import annotations

from typing import Any, Protocol

from bot.port.operations import Operation

#: The identity a GITHUB_TOKEN posts as; an App posts as ``<app-slug>[bot]``.
ACTIONS_LOGIN = "github-actions[bot]"


class Forge(Protocol):
    """A synchronous adapter: executes one operation, raising ``bot.errors.ForgeError``s."""

    @property
    def login(self) -> str:
        """The identity the adapter posts as, e.g. "github-actions[bot]"."""
        ...

    def execute(self, op: Operation[Any]) -> Any: ...


class AsyncForge(Protocol):
    """An asynchronous adapter, same contract as ``Forge``."""

    @property
    def login(self) -> str: ...

    async def execute(self, op: Operation[Any]) -> Any: ...
