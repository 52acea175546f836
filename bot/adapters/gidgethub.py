"""The asynchronous adapter: sends each operation's GitHub requests through a gidgethub
``GitHubAPI``'s transport, GitHub's answers (status, headers, body) reaching ``bot.errors`` intact.

Why the transport and not ``getitem``/``post``/``graphql``: gidgethub turns an error answer
into an exception that keeps GitHub's message but not its body (the ``errors`` list of a 422)
and, before gidgethub 6 (pyproject allows 5.3), not its headers either (Retry-After,
X-RateLimit-Reset); ``graphql()`` raises ``QueryError`` or ``BadGraphQLRequest`` with no headers
at all. A ``GitHubAPI`` subclass would have to wrap each backend (aiohttp, httpx, tornado) in
turn. Every backend implements ``GitHubAPI._request(method, url, headers, body) -> (status,
headers, body)``, gidgethub's documented transport hook, so ``send`` calls it and leaves the rest
to gidgethub's sans-I/O half: ``sansio.format_url`` (the base URL), ``sansio.create_headers``
(user agent, media type), ``sansio.decipher_response`` (a success's body). That also bypasses
gidgethub 6's rate-limit hooks, which may wait or retry: every retry is ``bot.port.drive``'s.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol
from urllib.parse import urlencode

import aiohttp
from gidgethub import sansio
from gidgethub.abc import GitHubAPI

from bot.adapters import github_api
from bot.adapters.github_exchange import Request, Response, Together
from bot.adapters.github_requests import GitHubRequests
from bot.port.drive import complete_async
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import Operation, Sleep, Write

#: Requests of one installation in flight at once: GitHub asks integrators to avoid
#: concurrent requests, so independent reads (``Together``) go a few at a time.
CONCURRENT_REQUESTS = 4

#: Failures before a byte of the request left: a write that met them was not made.
NEVER_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)


class Credentials(Protocol):
    """What signs a request: a fixed token, the App's JWT, an installation's token."""

    async def authorization(self) -> str | None:
        """The Authorization header's value, or None to ask anonymously."""
        ...

    def rejected(self, authorization: str) -> bool:
        """GitHub answered 401 to ``authorization``: drop it; whether one retry may help."""
        ...


class Token:
    """A fixed token (the Actions token, a personal one): a 401 is final."""

    def __init__(self, token: str | None) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "Token(***)" if self._token else "Token(None)"

    async def authorization(self) -> str | None:
        return f"token {self._token}" if self._token else None

    def rejected(self, authorization: str) -> bool:
        return False


async def send(
    api: GitHubAPI, request: Request, credentials: Credentials, *, action: str, write: bool
) -> Response:
    """One request; an error answer raises ``github_api.http_error``, no answer ``no_answer``.
    A 401 that ``credentials`` can mend (a cached installation token) is retried once."""
    url = sansio.format_url(request.url, None, base_url=api.base_url)
    if request.params:
        url += ("&" if "?" in url else "?") + urlencode(request.params)
    body = b"" if request.body is None else json.dumps(request.body).encode("utf-8")

    async def attempt(authorization: str | None) -> tuple[int, dict[str, str], bytes]:
        headers = sansio.create_headers(api.requester, accept=sansio.accept_format())
        headers.update(github_api.version_header())
        if authorization:
            headers["authorization"] = authorization
        if body:
            headers["content-type"] = "application/json; charset=utf-8"
        headers["content-length"] = str(len(body))
        try:
            status, answer_headers, raw = await api._request(request.method, url, headers, body)
        except (aiohttp.ClientError, TimeoutError) as error:
            never_sent, cause = isinstance(error, NEVER_SENT), type(error).__name__
            raise github_api.no_answer(
                action, write=write, never_sent=never_sent, cause=cause
            ) from error
        return status, {name.lower(): value for name, value in answer_headers.items()}, raw

    authorization = await credentials.authorization()
    status, headers, raw = await attempt(authorization)
    if status == 401 and authorization and credentials.rejected(authorization):
        status, headers, raw = await attempt(await credentials.authorization())
    if status >= 300 and status in request.answered:
        return Response(headers, _decoded(raw), status)
    if status >= 300:
        raise github_api.http_error(status, headers, _decoded(raw), action)
    data, _, _ = sansio.decipher_response(status, headers, raw)
    return Response(headers, data)


def _decoded(raw: bytes) -> Any:
    """An error answer's JSON body, or None (a proxy's HTML page, an empty body)."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


class GidgethubForge:
    """A ``bot.port.forge.AsyncForge`` for one repository; ``bot.port.drive.run_async`` retries."""

    def __init__(
        self,
        api: GitHubAPI,
        repository: str,
        *,
        graphql_url: str,
        login: str = ACTIONS_LOGIN,
        credentials: Credentials | None = None,
        write_spacing: float = 1.0,
    ) -> None:
        """``api`` carries the transport and the REST base URL (and, unless ``credentials``
        are given, the token); gidgethub derives no GraphQL URL: see
        ``github_api.graphql_url_for``."""
        self.login = login
        self.repository = repository
        self.graphql_url = graphql_url
        self._api = api
        self._credentials: Credentials = credentials or Token(api.oauth_token)
        self._requests = GitHubRequests(repository, graphql_url)
        self._spacing = github_api.WriteSpacing(write_spacing)
        self._in_flight = asyncio.Semaphore(CONCURRENT_REQUESTS)

    def __repr__(self) -> str:
        return f"GidgethubForge({self.repository!r}, login={self.login!r})"

    async def execute(self, op: Operation[Any]) -> Any:
        """Run one operation; GitHub's errors come out as ``bot.errors.ForgeError``s."""
        if isinstance(op, Sleep):
            await self._api.sleep(op.seconds)
            return None
        exchange = self._requests.exchange(op)
        action, write = type(op).__name__, isinstance(op, Write)

        async def send_one(request: Request) -> Response:
            async with self._in_flight:
                return await send(self._api, request, self._credentials, action=action, write=write)

        spaced = isinstance(op, github_api.CONTENT_CREATING)
        if spaced and (wait := self._spacing.wait()):
            await self._api.sleep(wait)
        try:
            return await complete_async(exchange, at_once(send_one))
        finally:
            if spaced:
                self._spacing.sent()


def at_once(
    send_one: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request | Together], Awaitable[Response]]:
    """``send_one`` for every step: a ``Together``'s requests concurrently (``send_one``
    bounds how many), each run to its end before the first error is raised."""

    async def perform(step: Request | Together) -> Response:
        if not isinstance(step, Together):
            return await send_one(step)
        answers = await asyncio.gather(*map(send_one, step.requests), return_exceptions=True)
        for answer in answers:
            if isinstance(answer, BaseException):
                raise answer
        return Response({}, None, each=tuple(a for a in answers if isinstance(a, Response)))

    return perform
