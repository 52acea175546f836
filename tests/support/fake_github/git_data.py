"""The Git Data API (blobs, trees, commits, refs) and the pull requests a client opens, in
GitHub's shapes; ``merge_pull`` merges one as the merge button would (squashed)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from aiohttp import web

from .call import Call
from .commits import commit_shape
from .errors import DOCS, ApiError, error_response, not_found
from .records import RepoRecord, blob_sha, node_id
from .state import FakeGitHub

REFS_DOCS = DOCS + "/git/refs"
PULLS_DOCS = DOCS + "/pulls/pulls#create-a-pull-request"


def get_git_commit(call: Call) -> web.StreamResponse:
    repo, sha = call.repo(), call.arg("sha")
    if sha not in repo.commits:
        raise not_found(DOCS + "/git/commits#get-a-commit-object")
    return web.json_response(commit_shape(call, repo, sha)["commit"] | {"sha": sha})


def create_blob(call: Call) -> web.StreamResponse:
    repo, content = call.repo(), call.field("content", "")
    data = base64.b64decode(content) if call.field("encoding") == "base64" else content.encode()
    sha = blob_sha(data)
    call.state.blobs[sha] = data
    url = f"{call.shapes.repo_url(repo)}/git/blobs/{sha}"
    return web.json_response({"sha": sha, "url": url}, status=201)


def create_tree(call: Call) -> web.StreamResponse:
    repo, base = call.repo(), call.field("base_tree")
    files = dict(repo.made_trees.get(base) or repo.commits.get(base) or {})
    for entry in call.field("tree", []):
        files[entry["path"]] = call.state.blobs[entry["sha"]]
    sha = hashlib.sha1(f"tree {sorted((p, blob_sha(c)) for p, c in files.items())}".encode())
    tree = sha.hexdigest()
    repo.made_trees[tree] = files
    return web.json_response({"sha": tree, "url": f"{call.shapes.repo_url(repo)}/git/trees/{tree}"})


def create_git_commit(call: Call) -> web.StreamResponse:
    """A commit whose SHA is its content's, as git's is: the same commit made twice is one."""
    repo, tree, parents = call.repo(), call.field("tree"), call.field("parents", [])
    author = call.field("author") or {"name": "x", "email": "x@example.com", "date": "now"}
    content = [tree, parents, call.field("message"), author, call.field("committer")]
    sha = hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest()
    with call.state.lock:
        repo.commits[sha] = dict(repo.made_trees[tree])
        repo.parents[sha] = parents[0] if parents else None
        repo.dates[sha] = (call.field("committer") or author)["date"]
        repo.messages[sha] = call.field("message")
        repo.authors[sha] = author
    return web.json_response(commit_shape(call, repo, sha)["commit"] | {"sha": sha}, status=201)


def _ref(call: Call, repo: RepoRecord, branch: str) -> dict[str, Any]:
    api, sha = call.shapes.repo_url(repo), repo.branches[branch]
    return {
        "ref": f"refs/heads/{branch}",
        "node_id": node_id("Ref", len(branch)),
        "url": f"{api}/git/refs/heads/{branch}",
        "object": {"sha": sha, "type": "commit", "url": f"{api}/git/commits/{sha}"},
    }


def get_ref(call: Call) -> web.StreamResponse:
    repo, branch = call.repo(), call.arg("branch")
    if branch not in repo.branches:
        raise not_found(REFS_DOCS + "#get-a-reference")
    return web.json_response(_ref(call, repo, branch))


def create_ref(call: Call) -> web.StreamResponse:
    repo, ref, sha = call.repo(), call.field("ref", ""), call.field("sha")
    branch = ref.removeprefix("refs/heads/")
    with call.state.lock:
        if branch in repo.branches:
            raise ApiError(error_response(422, "Reference already exists", REFS_DOCS))
        if sha not in repo.commits:
            raise ApiError(error_response(422, "Object does not exist", REFS_DOCS))
        repo.branches[branch] = sha
        return web.json_response(_ref(call, repo, branch), status=201)


def update_ref(call: Call) -> web.StreamResponse:
    repo, branch, sha = call.repo(), call.arg("branch"), call.field("sha")
    with call.state.lock:
        if branch not in repo.branches:
            raise ApiError(error_response(422, "Reference does not exist", REFS_DOCS))
        if not call.field("force") and not _descends(repo, sha, repo.branches[branch]):
            raise ApiError(error_response(422, "Update is not a fast forward", REFS_DOCS))
        repo.branches[branch] = sha
        for issue in repo.issues.values():  # an open pull request follows its branch
            if issue.pull and issue.state == "open" and issue.pull.head_ref == branch:
                issue.pull.head_sha = sha
        return web.json_response(_ref(call, repo, branch))


def _descends(repo: RepoRecord, sha: str | None, ancestor: str) -> bool:
    while sha is not None:
        if sha == ancestor:
            return True
        sha = repo.parents.get(sha)
    return False


def list_pulls(call: Call) -> web.StreamResponse:
    repo, query = call.repo(), call.request.query
    head = query.get("head", "").partition(":")[2] or None
    state = query.get("state", "open")
    found = [
        call.shapes.pull(repo, issue)
        for issue in sorted(repo.issues.values(), key=lambda i: -i.number)
        if issue.pull
        and (head is None or issue.pull.head_ref == head)
        and state in ("all", issue.state)
    ]
    return call.paginate(found)


def create_pull(call: Call) -> web.StreamResponse:
    repo, head, base = call.repo(), call.field("head", ""), call.field("base", "")
    with call.state.lock:
        head_sha, base_sha = repo.branches.get(head), repo.branches.get(base)
        if head_sha is None or base_sha is None:
            raise _invalid("field", "head" if head_sha is None else "base", "invalid")
        for issue in repo.issues.values():
            if issue.pull and issue.state == "open" and issue.pull.head_ref == head:
                raise _invalid(
                    "custom", "", f"A pull request already exists for {repo.owner}:{head}."
                )
        if head_sha == base_sha or _descends(repo, base_sha, head_sha):
            raise _invalid("custom", "", f"No commits between {base} and {head}")
        number = call.state.add_pull(
            repo.full_name,
            base_sha,
            head_sha,
            user=call.identity["login"],
            title=call.field("title", ""),
            body=call.field("body"),
            base_ref=base,
            head_ref=head,
        )
        return web.json_response(call.shapes.pull(repo, repo.issues[number]), status=201)


def _invalid(code: str, field_: str, message: str) -> ApiError:
    error = {"resource": "PullRequest", "code": code, "field": field_, "message": message}
    return ApiError(error_response(422, "Validation Failed", PULLS_DOCS, errors=[error]))


def update_pull(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = repo.issues.get(call.number())
    if issue is None or issue.pull is None:
        raise not_found(DOCS + "/pulls/pulls#update-a-pull-request")
    with call.state.lock:
        if call.field("body") is not None:
            issue.body = call.field("body")
        if call.field("state") in ("open", "closed"):
            issue.state = call.field("state")
        return web.json_response(call.shapes.pull(repo, issue))


def merge_pull(state: FakeGitHub, repo_name: str, number: int) -> str:
    """Squash pull request ``number`` onto its base branch and close it; the new base head."""
    with state.lock:
        repo = state.repo(repo_name)
        issue = repo.issues[number]
        assert issue.pull is not None and issue.state == "open"
        head_files = repo.commits[repo.branches[issue.pull.head_ref]]
        base = repo.branches[issue.pull.base_ref]
        changed = {p: c for p, c in head_files.items() if repo.commits[base].get(p) != c}
        sha = state.add_commit(repo_name, dict(changed), parent=base, branch=issue.pull.base_ref)
        issue.state = "closed"
        return sha
