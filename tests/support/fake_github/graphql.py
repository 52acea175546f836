"""Just enough GraphQL: aliased ``object(expression: "<sha>:<path>")`` blob lookups."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from .call import Call
from .records import RepoRecord, blob_sha, is_binary
from .state import FakeGitHub

GRAPHQL_TEXT_LIMIT = 512_000  # Blob.text is cut here and flagged isTruncated
#: GitHub gives up on a query it cannot answer in 10 seconds; the fake stands that in for a
#: byte count: an answer holding more blob text than this is given up on, as GitHub does.
GRAPHQL_ANSWER_BUDGET = 8_000_000
TIMED_OUT = (
    "Something went wrong while executing your query. This may be the result of a timeout, "
    "or it could be a GitHub bug. Please include `0400:3F5A:1B2C:4D6E` when reporting this issue."
)


_STRING = r'"(?:[^"\\]|\\.)*"'
_VALUE = rf"({_STRING}|\$\w+)"
_REPOSITORY = re.compile(r"repository\s*\(([^)]*)\)")
_OBJECT = re.compile(
    rf"(\w+)\s*:\s*object\s*\(\s*expression\s*:\s*{_VALUE}\s*\)\s*"
    r"\{\s*\.\.\.\s*on\s+Blob\s*\{([^{}]*)\}\s*\}"
)
_BLOB_FIELDS = ("text", "byteSize", "isBinary", "isTruncated", "oid", "__typename")


def _graphql_value(raw: str, variables: dict[str, Any]) -> Any:
    return variables.get(raw[1:]) if raw.startswith("$") else json.loads(raw)


def _graphql_argument(arguments: str, name: str, variables: dict[str, Any]) -> Any:
    found = re.search(rf"\b{name}\s*:\s*{_VALUE}", arguments)
    return _graphql_value(found.group(1), variables) if found else None


def _graphql_errors(message: str, **extra: Any) -> web.Response:
    return web.json_response({"errors": [{"message": message, **extra}]})


def graphql(call: Call) -> web.StreamResponse:
    """Just enough GraphQL: aliased ``object(expression: "<sha>:<path>")`` blob lookups."""
    query = call.field("query") or ""
    variables = call.field("variables") or {}
    found = _REPOSITORY.search(query)
    if found is None:
        return _graphql_errors("The fake only answers repository { object(...) } queries")
    owner = _graphql_argument(found.group(1), "owner", variables)
    name = _graphql_argument(found.group(1), "name", variables)
    repo = call.state.repos.get(f"{owner}/{name}".lower())
    if repo is None:
        message = f"Could not resolve to a Repository with the name '{owner}/{name}'."
        error = {"type": "NOT_FOUND", "path": ["repository"], "message": message}
        return web.json_response({"data": {"repository": None}, "errors": [error]})
    answers: dict[str, Any] = {}
    for alias, raw, selection in _OBJECT.findall(query):
        fields = selection.split()
        unknown = [f for f in fields if f not in _BLOB_FIELDS]
        if unknown:
            return _graphql_errors(f"Field '{unknown[0]}' doesn't exist on type 'Blob'")
        answers[alias] = _blob_object(call.state, repo, _graphql_value(raw, variables), fields)
    text = sum(len(answer.get("text") or "") for answer in answers.values() if answer)
    if text > GRAPHQL_ANSWER_BUDGET:
        return web.json_response({"data": None, "errors": [{"message": TIMED_OUT}]}, status=502)
    return web.json_response({"data": {"repository": answers}})


def _blob_object(
    state: FakeGitHub, repo: RepoRecord, expression: str, fields: list[str]
) -> dict[str, Any] | None:
    ref, _, path = str(expression).partition(":")
    commit = repo.resolve(ref)
    if commit is None:
        return None
    files = repo.commits[commit]
    if (commit, path) in state.graphql_nulls:
        return None
    if path not in files:
        if not any(p.startswith(path.rstrip("/") + "/") for p in files):
            return None
        return {"__typename": "Tree"} if "__typename" in fields else {}  # a directory
    data = files[path]
    binary = is_binary(data)
    text = None if binary else data[:GRAPHQL_TEXT_LIMIT].decode("utf-8", errors="ignore")
    values = {
        "text": text,
        "byteSize": len(data),
        "isBinary": binary,
        "isTruncated": not binary and len(data) > GRAPHQL_TEXT_LIMIT,
        "oid": blob_sha(data),
        "__typename": "Blob",
    }
    return {f: values[f] for f in fields}
