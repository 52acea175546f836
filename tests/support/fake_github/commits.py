"""A repository's commit history: ``GET /repos/{o}/{r}/commits`` (by ``sha`` and ``path``), in
the shape GitHub answers it (the ``commits`` of a compare answer share it; GraphQL's
``history`` walks it too)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from aiohttp import web

from .call import Call
from .errors import DOCS, ApiError, error_response
from .records import RepoRecord, node_id, now_iso

AUTHOR = {"name": "Test Author", "email": "author@example.com"}


def list_commits(call: Call) -> web.StreamResponse:
    """Newest first from ``sha`` (default branch); with ``path``, the commits that changed it;
    with ``until``, those committed at or before it."""
    repo, query = call.repo(), call.request.query
    sha = repo.resolve(query.get("sha"))
    if sha is None:
        docs = DOCS + "/commits/commits#list-commits"
        raise ApiError(error_response(404, f"No commit found for SHA: {query.get('sha')}", docs))
    path, until = query.get("path"), query.get("until")
    history = [
        commit
        for commit in ancestry(repo, sha)
        if (path is None or changes(repo, commit, path))
        and (until is None or _moment(repo.dates[commit]) <= _moment(until))
    ]
    return call.paginate([commit_shape(call, repo, c) for c in history])


def ancestry(repo: RepoRecord, sha: str) -> Iterator[str]:
    """``sha`` and its ancestors, newest first."""
    current: str | None = sha
    while current is not None:
        yield current
        current = repo.parents.get(current)


def changes(repo: RepoRecord, sha: str, path: str) -> bool:
    """Whether commit ``sha`` changed ``path`` (added, modified or deleted it)."""
    parent = repo.parents.get(sha)
    before = repo.commits[parent] if parent else {}
    return repo.commits[sha].get(path) != before.get(path)


def commit_signature(repo: RepoRecord, sha: str) -> dict[str, str]:
    """Who made commit ``sha`` and when: the REST answer's author and committer, GraphQL's
    ``committedDate``. A commit a test stored by hand has no date: it was made now."""
    return repo.authors.get(sha) or {**AUTHOR, "date": repo.dates.get(sha) or now_iso()}


def commit_shape(call: Call, repo: RepoRecord, sha: str) -> dict[str, Any]:
    """One commit as the commits API lists it; git's dates under ``commit``."""
    api, html = call.shapes.repo_url(repo), f"{call.shapes.html}/{repo.full_name}"
    signature = commit_signature(repo, sha)
    parent = repo.parents.get(sha)
    parents = [parent] if parent else []
    return {
        "sha": sha,
        "node_id": node_id("Commit", int(sha[:8], 16)),
        "commit": {
            "author": signature,
            "committer": signature,
            "message": repo.messages.get(sha, "change"),
            "tree": {"sha": sha, "url": f"{api}/git/trees/{sha}"},
            "url": f"{api}/git/commits/{sha}",
            "comment_count": 0,
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "url": f"{api}/commits/{sha}",
        "html_url": f"{html}/commit/{sha}",
        "comments_url": f"{api}/commits/{sha}/comments",
        "author": None,  # no GitHub account has the author's e-mail
        "committer": None,
        "parents": [
            {"sha": p, "url": f"{api}/commits/{p}", "html_url": f"{html}/commit/{p}"}
            for p in parents
        ],
    }


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
