"""Just enough GraphQL: aliased ``object(expression: "<sha>:<path>")`` blob lookups, and
``object(expression: "<sha>") { ... on Commit { history(first: N, path: P) } }`` walks."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from .call import Call
from .commits import ancestry, changes, commit_signature
from .records import RepoRecord, blob_sha, is_binary
from .state import FakeGitHub

GRAPHQL_TEXT_LIMIT = 512_000  # Blob.text is cut here and flagged isTruncated
#: GitHub gives up on a query it cannot answer in 10 seconds; the fake stands that in for a
#: byte count: an answer holding more blob text than this is given up on, as GitHub does.
GRAPHQL_ANSWER_BUDGET = 8_000_000
#: The same for history: a query whose ``history`` lookups walk more commits in all than this.
GRAPHQL_WALK_BUDGET = 5_000
#: GitHub's bounds of ``first`` on a connection.
MOST_NODES = 100
TIMED_OUT = (
    "Something went wrong while executing your query. This may be the result of a timeout, "
    "or it could be a GitHub bug. Please include `0400:3F5A:1B2C:4D6E` when reporting this issue."
)


_STRING = r'"(?:[^"\\]|\\.)*"'
_VALUE = rf"({_STRING}|\$\w+|\d+)"
_REPOSITORY = re.compile(r"repository\s*\(([^)]*)\)")
_OBJECT = re.compile(
    rf"(\w+)\s*:\s*object\s*\(\s*expression\s*:\s*{_VALUE}\s*\)\s*"
    r"\{\s*\.\.\.\s*on\s+Blob\s*\{([^{}]*)\}\s*\}"
)
_BLOB_FIELDS = ("text", "byteSize", "isBinary", "isTruncated", "oid", "__typename")
_COMMIT = re.compile(
    rf"(?:(\w+)\s*:\s*)?object\s*\(\s*expression\s*:\s*{_VALUE}\s*\)\s*"
    r"\{\s*\.\.\.\s*on\s+Commit\s*\{"
)
_HISTORY = re.compile(r"(?:(\w+)\s*:\s*)?history\s*\(([^)]*)\)\s*\{\s*nodes\s*\{([^{}]*)\}\s*\}")
_COMMIT_FIELDS = ("committedDate", "oid")


def _graphql_value(raw: str, variables: dict[str, Any]) -> Any:
    return variables.get(raw[1:]) if raw.startswith("$") else json.loads(raw)


def _graphql_argument(arguments: str, name: str, variables: dict[str, Any]) -> Any:
    found = re.search(rf"\b{name}\s*:\s*{_VALUE}", arguments)
    return _graphql_value(found.group(1), variables) if found else None


def _graphql_errors(message: str, **extra: Any) -> web.Response:
    return web.json_response({"errors": [{"message": message, **extra}]})


class _Refused(Exception):
    """A query GitHub would refuse as a whole (its ``errors``, no ``data``)."""


def graphql(call: Call) -> web.StreamResponse:
    """Just enough GraphQL: blob lookups by ``object``, and a commit's ``history``."""
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
    walked = 0
    for commit in _COMMIT.finditer(query):
        expression = _graphql_value(commit.group(2), variables)
        try:
            answer, steps = _commit_object(repo, expression, _block(query, commit.end()), variables)
        except _Refused as refused:
            return _graphql_errors(str(refused))
        answers[commit.group(1) or "object"], walked = answer, walked + steps
    text = sum(len(answer.get("text") or "") for answer in answers.values() if answer)
    if text > GRAPHQL_ANSWER_BUDGET or walked > GRAPHQL_WALK_BUDGET:
        return web.json_response({"data": None, "errors": [{"message": TIMED_OUT}]}, status=502)
    return web.json_response({"data": {"repository": answers}})


def _block(query: str, start: int) -> str:
    """The selections from ``start`` (just inside a ``{``) to its matching ``}``."""
    depth = 1
    for index in range(start, len(query)):
        depth += {"{": 1, "}": -1}.get(query[index], 0)
        if depth == 0:
            return query[start:index]
    raise _Refused("Parse error: a selection is not closed")


def _commit_object(
    repo: RepoRecord, expression: str, selections: str, variables: dict[str, Any]
) -> tuple[dict[str, Any] | None, int]:
    """A commit's ``history`` lookups (None: the expression names no commit), and how many
    commits they walked."""
    histories = list(_HISTORY.finditer(selections))
    if _HISTORY.sub("", selections).strip():
        raise _Refused("The fake answers only history(...) { nodes { ... } } on a Commit")
    sha = repo.resolve(str(expression))
    if sha is None:
        return None, 0
    answer: dict[str, Any] = {}
    walked = 0
    for history in histories:
        first = _graphql_argument(history.group(2), "first", variables)
        path = _graphql_argument(history.group(2), "path", variables)
        fields = history.group(3).split()
        _check_history(first, fields)
        nodes: list[str] = []
        for commit in ancestry(repo, sha):
            walked += 1
            if path is None or changes(repo, commit, path):
                nodes.append(commit)
            if len(nodes) == first:
                break
        shaped = [_commit_fields(repo, commit, fields) for commit in nodes]
        answer[history.group(1) or "history"] = {"nodes": shaped}
    return answer, walked


def _check_history(first: Any, fields: list[str]) -> None:
    """GitHub's refusals of a ``history`` connection: ``first`` missing or over 100, a field
    a Commit does not have (of those the fake knows)."""
    if not isinstance(first, int):
        raise _Refused(
            "You must provide a `first` or `last` value to properly paginate the `history` "
            "connection."
        )
    if first < 1:
        raise _Refused(f"`first` on the `history` connection must be within 1-{MOST_NODES}.")
    if first > MOST_NODES:
        raise _Refused(
            f"Requesting {first} records on the `history` connection exceeds the `first` limit "
            f"of {MOST_NODES} records."
        )
    unknown = [f for f in fields if f not in _COMMIT_FIELDS]
    if unknown:
        raise _Refused(f"Field '{unknown[0]}' doesn't exist on type 'Commit'")


def _commit_fields(repo: RepoRecord, sha: str, fields: list[str]) -> dict[str, Any]:
    values = {"committedDate": commit_signature(repo, sha)["date"], "oid": sha}
    return {field: values[field] for field in fields}


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
