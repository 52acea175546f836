"""GitHub's GraphQL queries of many paths at once, sans I/O: built with the paths in
variables, sent in batches together, a batch GitHub gave up on asked again in halves, and
their answers (files' blobs, paths' last commits) read back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.adapters import github_api
from bot.adapters.github_exchange import Exchange, Request, together
from bot.errors import ForgeError, NotFound, RetryableError

log = logging.getLogger(__name__)

#: Paths per file query. GitHub caps a query at 500,000 nodes (an ``object`` lookup is
#: one: far off) and gives up on one it cannot answer in 10 seconds; 250 pattern pages (a
#: few KB each) answer in one, and a batch GitHub gave up on is read again in halves.
GRAPHQL_BATCH = 250
#: Paths per date query. Each is a ``history(first: 1)`` connection: GitHub charges a query
#: its connections over 100 in points (at least 1), so 100 is the most that one point buys,
#: 200 nodes of the 500,000; each walks the history back to the path's last change, which
#: is what may near the 10 seconds, and a batch GitHub gave up on is asked again in halves.
DATES_BATCH = 100
#: How GitHub answers a query it gave up on (its "This may be the result of a timeout").
GRAPHQL_TIMED_OUT = (502, 504)
BLOB_FIELDS = "text byteSize isBinary isTruncated oid"

#: Builds the query of one batch of paths.
Query = Callable[[Sequence[str]], dict[str, Any]]


def answered_batches(
    url: str, paths: Sequence[str], size: int, query: Query, action: str
) -> Exchange[list[tuple[list[str], Mapping[str, Any]]]]:
    """Each batch of ``paths`` (``size`` a query) with its answer's JSON: the queries sent
    together; a batch GitHub gave up on is asked again in halves, any other error raised."""
    batches = [list(paths[start : start + size]) for start in range(0, len(paths), size)]
    answers: list[tuple[list[str], Mapping[str, Any]]] = []
    while batches:
        asked = [Request("POST", url, body=query(b), answered=GRAPHQL_TIMED_OUT) for b in batches]
        responses = yield from together(asked)
        halves: list[list[str]] = []
        for batch, response in zip(batches, responses, strict=True):
            if response.status != 200 and len(batch) > 1:
                log.info("GitHub gave up on %d paths in one query: halved", len(batch))
                halves += [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
                continue
            if response.status != 200:
                raise github_api.http_error(
                    response.status, response.headers, response.data, action
                )
            if response.data.get("errors"):
                raise graphql_error(response.data["errors"], response.headers, action)
            answers.append((batch, response.data))
        batches = halves
    return answers


def _repository_query(repository: str, variables: dict[str, str], body: str) -> dict[str, Any]:
    """A query of ``body`` in ``repository``, every variable a ``String!``."""
    owner, name = repository.split("/", 1)
    variables = {"owner": owner, "name": name, **variables}
    declared = ", ".join(f"${variable}: String!" for variable in variables)
    query = f"query({declared}) {{ repository(owner: $owner, name: $name) {{ {body} }} }}"
    return {"query": query, "variables": variables}


# --- Files -------------------------------------------------------------------------------


def files_query(repository: str, ref: str, paths: Sequence[str]) -> dict[str, Any]:
    """A query for ``paths`` at ``ref``, one aliased ``object`` each; paths go in variables."""
    variables = {f"e{index}": f"{ref}:{path}" for index, path in enumerate(paths)}
    body = " ".join(
        f"f{index}: object(expression: $e{index}) {{ ... on Blob {{ {BLOB_FIELDS} }} }}"
        for index in range(len(paths))
    )
    return _repository_query(repository, variables, body)


def blobs_found(data: Mapping[str, Any], count: int) -> list[Mapping[str, Any] | None]:
    """The answers to a ``files_query`` of ``count`` paths, in order (None: no such blob)."""
    answers = (data.get("data") or {}).get("repository") or {}
    found: list[Mapping[str, Any] | None] = []
    for index in range(count):
        blob = answers.get(f"f{index}")
        found.append(blob if blob and "byteSize" in blob else None)  # a path, or a directory
    return found


def needs_blob_api(blob: Mapping[str, Any]) -> bool:
    """GraphQL gives no text for binary or large blobs: those are read by their ``oid``."""
    return bool(blob["isBinary"] or blob["isTruncated"] or blob["text"] is None)


# --- Last commits ------------------------------------------------------------------------


def dates_query(repository: str, ref: str, paths: Sequence[str]) -> dict[str, Any]:
    """A query for the last commit at ``ref`` that changed each path: one ``object`` for the
    commit, an aliased ``history`` each; the ref and the paths go in variables."""
    variables = {"ref": ref} | {f"p{index}": path for index, path in enumerate(paths)}
    histories = " ".join(
        f"d{index}: history(first: 1, path: $p{index}) {{ nodes {{ committedDate }} }}"
        for index in range(len(paths))
    )
    return _repository_query(
        repository, variables, f"object(expression: $ref) {{ ... on Commit {{ {histories} }} }}"
    )


def dates_found(data: Mapping[str, Any], count: int, ref: str) -> list[datetime | None]:
    """The answers to a ``dates_query`` of ``count`` paths, in order (None: no commit changed
    it); NotFound when ``ref`` names no commit, as the commits API answers."""
    commit = ((data.get("data") or {}).get("repository") or {}).get("object")
    if not commit or "d0" not in commit:  # none, or a tree or blob
        raise NotFound(f"LastCommitDates: GitHub has no commit {ref}", status=404)
    found: list[datetime | None] = []
    for index in range(count):
        nodes = commit[f"d{index}"]["nodes"]
        # committedDate: the committer's date, as the commits API's commit.committer.date.
        found.append(datetime.fromisoformat(nodes[0]["committedDate"]) if nodes else None)
    return found


# --- Errors ------------------------------------------------------------------------------


def graphql_error(
    errors: list[Mapping[str, Any]], headers: Mapping[str, Any], action: str
) -> ForgeError:
    """GraphQL answers 200 with an ``errors`` list; the matching ``bot.errors`` exception."""
    first = errors[0] if errors else {}
    text = f"{action}: GitHub GraphQL answered: {first.get('message', 'an error')}"
    kind = first.get("type")
    if kind == "NOT_FOUND":
        return NotFound(text, status=404)
    if kind == "RATE_LIMITED":
        wait = github_api.retry_after({k.lower(): v for k, v in headers.items()})
        return RetryableError(text, retry_after=wait or github_api.SECONDARY_LIMIT_WAIT)
    if "something went wrong" in str(first.get("message", "")).lower():
        return RetryableError(text)  # GitHub's wording for a query that timed out
    return ForgeError(text)
