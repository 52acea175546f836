"""A repository's commit history: ``GET /repos/{o}/{r}/commits`` (by ``sha`` and ``path``), in
the shape GitHub answers it (the ``commits`` of a compare answer share it)."""

from __future__ import annotations

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
    history: list[str] = []
    current: str | None = sha
    while current is not None:
        parent = repo.parents.get(current)
        before = repo.commits[parent] if parent else {}
        changed = path is None or repo.commits[current].get(path) != before.get(path)
        if changed and (until is None or _moment(repo.dates[current]) <= _moment(until)):
            history.append(current)
        current = parent
    return call.paginate([commit_shape(call, repo, c) for c in history])


def commit_shape(call: Call, repo: RepoRecord, sha: str) -> dict[str, Any]:
    """One commit as the commits API lists it; git's dates under ``commit``."""
    api, html = call.shapes.repo_url(repo), f"{call.shapes.html}/{repo.full_name}"
    # A commit a test stored by hand has no date: it was made now.
    signature = repo.authors.get(sha) or {**AUTHOR, "date": repo.dates.get(sha) or now_iso()}
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
