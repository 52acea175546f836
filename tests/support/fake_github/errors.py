"""GitHub-shaped errors: the documentation links, raising an error answer, injected faults."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DOCS = "https://docs.github.com/rest"
NOT_ACCESSIBLE = "Resource not accessible by integration"
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000."
)
SECONDARY_DOCS = DOCS + "/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
HOLD_LIMIT = 120.0  # seconds an answer held for a client that never hangs up is held at most


@dataclass
class Fault:
    """An injected failure: the next ``remaining`` matching requests (once ``after`` of them
    have passed untouched) get ``status``.

    ``landed``: the request is handled first (a write is made), as when GitHub acted but its
    answer was lost on the way back; ``stall``: seconds the answer is held back, or until the
    client hangs up (its timeout ran out); ``reset``: the connection is reset instead of answered.
    A ``status`` of 0 keeps the handler's own answer (with ``landed``).
    """

    remaining: int
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    method: str | None = None
    path: str | None = None  # a regular expression searched in the request path
    after: int = 0
    landed: bool = False
    stall: float = 0.0
    reset: bool = False

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return self.path is None or re.search(self.path, path) is not None


class ApiError(Exception):
    """Raised by a handler to answer with a GitHub-shaped error."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def error_response(
    status: int,
    message: str,
    docs: str = DOCS,
    *,
    errors: list[Any] | None = None,  # objects, or strings (the reviews API's)
    headers: dict[str, str] | None = None,
) -> web.Response:
    body: dict[str, Any] = {"message": message}
    if errors is not None:
        body["errors"] = errors
    body["documentation_url"] = docs
    body["status"] = str(status)
    return web.json_response(body, status=status, headers=headers)


def not_found(docs: str = DOCS) -> ApiError:
    return ApiError(error_response(404, "Not Found", docs))


def validation_failed(resource: str, code: str, field_: str, docs: str, **extra: str) -> ApiError:
    error = {"resource": resource, "code": code, "field": field_, **extra}
    return ApiError(error_response(422, "Validation Failed", docs, errors=[error]))
