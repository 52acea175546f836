"""Every concern's router merged, knowing which events any of them handles before a body is read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from gidgethub.routing import Router

from bot.app import checks, comments, installations, promotions, pulls, quarterly_ticks


class Routes(Router):
    """A gidgethub ``Router`` that keeps the event types registered on it.

    ``X-GitHub-Event`` alone then tells whether a delivery can interest tierbot: one of
    another event is verified and answered without its JSON being parsed.
    """

    def __init__(self, *routers: Router) -> None:
        self.events: set[str] = set()
        super().__init__(*routers)  # which calls add() for every route of ``routers``

    def add(self, func: Callable[..., Awaitable[None]], event_type: str, **detail: Any) -> None:
        self.events.add(event_type)
        super().add(func, event_type, **detail)

    def wants(self, event_type: str) -> bool:
        """Whether a handler is registered for ``event_type``, whatever its action."""
        return event_type in self.events


#: One module per concern under bot/app/, each with its own router and the work it queues.
ROUTER = Routes(
    pulls.router,
    checks.router,
    comments.router,
    installations.router,
    quarterly_ticks.router,
    promotions.router,
)
