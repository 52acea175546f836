"""Handlers for a repository, its git data (contents, trees, blobs, commits) and what its
collaborators may do."""

from __future__ import annotations

import hashlib
import zlib

from aiohttp import web

from .call import Call
from .errors import DOCS, ApiError, error_response, not_found
from .records import RepoRecord, blob_sha, node_id, wrapped_base64
from .state import FakeGitHub


def get_repository(call: Call) -> web.StreamResponse:
    return web.json_response(call.shapes.repository(call.repo()))


def get_contents(call: Call) -> web.StreamResponse:
    repo = call.repo()
    docs = DOCS + "/repos/contents#get-repository-content"
    ref = call.request.query.get("ref")
    sha = repo.resolve(ref)
    if sha is None:
        message = f"No commit found for the ref {ref}"
        raise ApiError(error_response(404, message, docs))
    files, path = repo.commits[sha], call.arg("path").strip("/")
    ref_name = ref or repo.default_branch
    if path in files:
        data = files[path]
        if "raw" in call.request.headers.get("Accept", ""):
            return web.Response(body=data, content_type="application/vnd.github.raw")
        return web.json_response(call.shapes.content(repo, ref_name, path, data))
    prefix = f"{path}/" if path else ""
    children = sorted({p[len(prefix) :].split("/")[0] for p in files if p.startswith(prefix)})
    if not children:
        raise not_found(docs)
    listing = []
    for name in children:
        child = prefix + name
        if child in files:
            entry = call.shapes.content(repo, ref_name, child, files[child])
            del entry["content"], entry["encoding"]
        else:
            tree = _tree_sha(call.state, repo, sha, child)
            entry = {"type": "dir", "name": name, "path": child, "sha": tree, "size": 0}
        listing.append(entry)
    return web.json_response(listing)


def _tree_sha(state: FakeGitHub, repo: RepoRecord, commit: str, directory: str) -> str:
    inside = sorted(
        (p, blob_sha(c)) for p, c in repo.commits[commit].items() if p.startswith(directory)
    )
    sha = hashlib.sha1(f"tree {directory} {inside}".encode()).hexdigest()
    state.trees[sha] = (repo.full_name, commit, directory)
    return sha


def get_tree(call: Call) -> web.StreamResponse:
    repo, ref = call.repo(), call.arg("sha")
    commit, root = repo.resolve(ref), ""
    if commit is None and ref in call.state.trees:
        _, commit, root = call.state.trees[ref]
    if commit is None:
        raise not_found(DOCS + "/git/trees#get-a-tree")
    recursive = call.request.query.get("recursive") not in (None, "", "0", "false")
    prefix = f"{root}/" if root else ""
    files = {p[len(prefix) :]: c for p, c in repo.commits[commit].items() if p.startswith(prefix)}
    directories = {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
    entries = []
    api = call.shapes.repo_url(repo)
    for path in sorted(files.keys() | directories):
        if not recursive and "/" in path:
            continue
        if path in directories:
            sha = _tree_sha(call.state, repo, commit, prefix + path)
            kind = {"mode": "040000", "type": "tree", "sha": sha, "url": f"{api}/git/trees/{sha}"}
            entries.append({"path": path, **kind})
        else:
            sha = blob_sha(files[path])
            url = f"{api}/git/blobs/{sha}"
            blob = {"mode": "100644", "type": "blob", "sha": sha, "size": len(files[path])}
            entries.append({"path": path, **blob, "url": url})
    sha = _tree_sha(call.state, repo, commit, root)
    body = {"sha": sha, "url": f"{api}/git/trees/{sha}", "tree": entries, "truncated": False}
    return web.json_response(body)


def get_blob(call: Call) -> web.StreamResponse:
    repo, sha = call.repo(), call.arg("sha")
    data = call.state.blobs.get(sha)
    if data is None or sha in call.state.gone_blobs:
        raise not_found(DOCS + "/git/blobs#get-a-blob")
    return web.json_response(
        {
            "sha": sha,
            "node_id": node_id("Blob", zlib.crc32(sha.encode())),
            "size": len(data),
            "url": f"{call.shapes.repo_url(repo)}/git/blobs/{sha}",
            "content": wrapped_base64(data),
            "encoding": "base64",
        }
    )


def get_commit(call: Call) -> web.StreamResponse:
    """Just the commit's SHA (``HEAD`` is the default branch); tierbot reads nothing else."""
    repo, ref = call.repo(), call.arg("ref")
    sha = repo.resolve(None if ref == "HEAD" else ref)
    if sha is None:
        raise ApiError(error_response(422, f"No commit found for SHA: {ref}", DOCS))
    url = f"{call.shapes.repo_url(repo)}/commits/{sha}"
    return web.json_response({"sha": sha, "url": url, "files": []})


#: A role's legacy base permission, as ``permission`` reports it.
ROLE_PERMISSIONS = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read"}
_ROLE_RANKS = ("read", "triage", "write", "maintain", "admin")
#: The collaborator's ``permissions`` flags, each with the least role that sets it.
_FLAGS = {
    "pull": "read",
    "triage": "triage",
    "push": "write",
    "maintain": "maintain",
    "admin": "admin",
}


def get_permission(call: Call) -> web.StreamResponse:
    """A user's permission: their role's; with none, ``read`` on a public repository (anyone
    may read it) and ``none`` on a private one; 404 for a login that names no account."""
    repo, login = call.repo(), call.arg("username")
    if not call.state.is_user(login):
        docs = DOCS + "/collaborators/collaborators#get-repository-permissions-for-a-user"
        raise ApiError(error_response(404, f"{login} is not a user", docs))
    role = repo.collaborators.get(login.lower())
    if role is None and login.lower() == repo.owner.lower():
        role = "admin"
    if role is None:
        role = "none" if repo.private else "read"
    rank = _ROLE_RANKS.index(role) if role in _ROLE_RANKS else -1
    flags = {name: rank >= _ROLE_RANKS.index(level) for name, level in _FLAGS.items()}
    user = {**call.shapes.user(login), "permissions": flags, "role_name": role}
    permission = ROLE_PERMISSIONS.get(role, role)
    return web.json_response({"permission": permission, "role_name": role, "user": user})
