"""An operation's exchange with GitHub, sans I/O: the request and response records, pagination.

An exchange is a generator: it yields a ``Request``, is sent its ``Response`` and returns the
operation's result; or it yields requests that do not depend on each other (``Together``), which
the asynchronous adapter sends at once (a few at a time, as GitHub asks) and the synchronous one
in turn. The GitHub adapters complete it with the driving loop of ``bot.port.drive``
(``complete``, ``complete_async``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.adapters import github_api

T = TypeVar("T")

PER_PAGE = 100  # GitHub's largest page
MAX_PAGES = 100  # pages of a list asked together at most; a longer list's rest is followed


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    url: str  # a path under the REST base ("/repos/..."), or absolute (GraphQL, a next page)
    params: Mapping[str, str | int] | None = None  # the query string
    body: Any = None  # JSON; None sends no body
    answered: tuple[int, ...] = ()  # error statuses handed to the exchange instead of raised


@dataclass(frozen=True, slots=True)
class Response:
    headers: Mapping[str, str]  # names lower-cased
    data: Any  # the decoded JSON (None for 204)
    status: int = 200  # an error status only when the request named it in ``answered``
    each: tuple[Response, ...] = ()  # a ``Together``'s answer: its requests', in order


@dataclass(frozen=True, slots=True)
class Together:
    """Requests none of which needs another's answer: they may be sent at once."""

    requests: tuple[Request, ...]


#: Yields requests, is sent their responses, returns a T.
Exchange = Generator[Request | Together, Response, T]


def together(requests: Sequence[Request]) -> Exchange[tuple[Response, ...]]:
    """The responses to ``requests``, in order; the adapter may send them concurrently."""
    if len(requests) == 1:
        return ((yield requests[0]),)
    return (yield Together(tuple(requests))).each


def in_turn(send: Callable[[Request], Response]) -> Callable[[Request | Together], Response]:
    """A synchronous adapter's ``send`` for every step: a ``Together``'s requests one by one."""

    def perform(step: Request | Together) -> Response:
        if isinstance(step, Together):
            return Response({}, None, each=tuple(send(request) for request in step.requests))
        return send(step)

    return perform


def pages(
    path: str,
    params: Mapping[str, str | int] | None = None,
    *,
    key: str | None = None,
    limit: int | None = None,
) -> Exchange[list[Any]]:
    """Every item of a paginated list (``key``: the list inside an object answer), following
    GitHub's Link headers; at most ``limit`` items. Numbered pages after the first are asked
    together (a 3,000-file pull request's 29 more pages)."""
    items: list[Any] = []
    response = yield Request("GET", path, {**(params or {}), "per_page": PER_PAGE})
    items.extend(response.data[key] if key else response.data)
    most = -(-limit // PER_PAGE) - 1 if limit is not None else MAX_PAGES
    if later := github_api.later_pages(response.headers.get("link"), most):
        for response in (yield from together([Request("GET", url) for url in later])):
            items.extend(response.data[key] if key else response.data)
    while True:  # the rest, where the pages are not numbered or were too many
        following = github_api.next_link(response.headers.get("link"))
        if following is None or (limit is not None and len(items) >= limit):
            return items[:limit]
        response = yield Request("GET", following)
        items.extend(response.data[key] if key else response.data)
