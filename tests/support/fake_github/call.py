"""One request as a handler sees it, and GitHub's pagination of list answers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from .errors import DOCS, not_found
from .records import IssueRecord, RepoRecord
from .shapes import Shapes
from .state import FakeGitHub


@dataclass
class Call:
    """One request as a handler sees it: parsed body, matched path, shapes for the answer."""

    request: web.Request
    body: Any
    shapes: Shapes

    @property
    def state(self) -> FakeGitHub:
        return self.shapes.state

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

    def paginate(self, items: list[Any], *, cap: int | None = None) -> web.Response:
        """One page of ``items``, with GitHub's Link header."""
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
        return web.json_response(visible[start : start + per_page], headers=headers)

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
