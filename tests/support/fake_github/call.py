"""One request as a handler sees it, and GitHub's pagination of list answers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from .errors import DOCS, not_found
from .github_app import MintedToken
from .records import ACTIONS_APP, IssueRecord, RepoRecord
from .shapes import Shapes
from .state import FakeGitHub


def bearer(request: web.Request) -> str | None:
    """The token of ``Authorization: token …`` or ``Bearer …``."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() in ("token", "bearer") and token.strip() else None


def _same(item: Any) -> Any:
    return item


@dataclass
class Call:
    """One request as a handler sees it: parsed body, matched path, shapes for the answer."""

    request: web.Request
    body: Any
    shapes: Shapes

    @property
    def state(self) -> FakeGitHub:
        return self.shapes.state

    @property
    def token(self) -> str | None:
        return bearer(self.request)

    @property
    def installation(self) -> MintedToken | None:
        """The App's installation token the request came with, while GitHub accepts it."""
        app = self.state.app
        return app.valid_token(self.token) if app is not None else None

    @property
    def identity(self) -> dict[str, Any]:
        """Who the request's token posts as: the App's bot, or the configured identity."""
        app = self.state.app
        return app.bot if app is not None and self.installation else self.state.identity

    @property
    def check_app(self) -> dict[str, Any]:
        """The App a check run created by this request belongs to."""
        app = self.state.app
        return app.check_app if app is not None and self.installation else dict(ACTIONS_APP)

    def arg(self, name: str) -> str:
        return self.request.match_info[name]

    def number(self, name: str = "number") -> int:
        return int(self.arg(name))

    def repo(self) -> RepoRecord:
        found = self.state.repos.get(f"{self.arg('owner')}/{self.arg('repo')}".lower())
        if found is None:
            raise not_found(DOCS + "/repos/repos#get-a-repository")
        return found

    def issue(self, repo: RepoRecord) -> IssueRecord:
        found = repo.issues.get(self.number())
        if found is None:
            raise not_found(DOCS + "/issues/issues#get-an-issue")
        return found

    def field(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default) if isinstance(self.body, dict) else default

    def paginate(
        self, items: list[Any], *, cap: int | None = None, shape: Callable[[Any], Any] = _same
    ) -> web.Response:
        """One page of ``items``, each ``shape``d (only the page's: GitHub's time does not
        grow with the list), with GitHub's Link header."""
        found, headers = self.page(items, cap=cap)
        return web.json_response([shape(item) for item in found], headers=headers)

    def page(self, items: list[Any], *, cap: int | None = None) -> tuple[list[Any], dict[str, str]]:
        """The requested page of ``items`` and its Link header (for answers that wrap a list)."""
        query = self.request.query
        per_page = _clamp(query.get("per_page"), default=30, low=1, high=100)
        page = _clamp(query.get("page"), default=1, low=1, high=10**9)
        visible = items[:cap] if cap is not None else items
        last = max(math.ceil(len(visible) / per_page), 1)
        start = (page - 1) * per_page
        links = []
        if page > 1:
            links.append((min(page - 1, last), "prev"))
        if page < last:
            links += [(page + 1, "next"), (last, "last")]
        if page > 1:
            links.append((1, "first"))
        headers = {}
        if links:
            headers["Link"] = ", ".join(f'<{self.page_url(n)}>; rel="{rel}"' for n, rel in links)
        return visible[start : start + per_page], headers

    def page_url(self, page: int) -> str:
        params = [(k, v) for k, v in self.request.query.items() if k != "page"]
        params.append(("page", str(page)))
        base = self.shapes.api.split("/", 3)[:3]
        return f"{'/'.join(base)}{self.request.rel_url.raw_path}?{urlencode(params)}"


def _clamp(raw: str | None, *, default: int, low: int, high: int) -> int:
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        value = default
    return min(max(value, low), high)


Handler = Callable[[Call], web.StreamResponse]
