"""Raw HTTP to the fake GitHub, no client library between: what it answers, exactly."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

from .fake_github import FakeGitHubServer
from .fake_github.records import API_VERSION


def call(
    server: FakeGitHubServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = "ghs_test",
    url: str | None = None,
    accept: str = "application/vnd.github+json",
    api_version: str | None = API_VERSION,
) -> tuple[int, dict[str, str], Any]:
    """One request over real HTTP: status, headers and the decoded JSON body."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url or server.url + path, data=data, method=method)
    request.add_header("Accept", accept)
    if api_version:
        request.add_header("X-GitHub-Api-Version", api_version)
    if token:
        request.add_header("Authorization", f"token {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, dict(error.headers), error.read()
    is_json = "json" in headers.get("Content-Type", "")
    return status, headers, json.loads(raw) if raw and is_json else raw


def links(headers: dict[str, str]) -> dict[str, str]:
    """A Link header's URLs by their ``rel``."""
    found = re.findall(r'<([^>]+)>; rel="(\w+)"', headers.get("Link", ""))
    return {rel: url for url, rel in found}
