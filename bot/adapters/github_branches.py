"""The requests of tierbot's own branch and pull request (the quarter's reviewed pages): refs,
the Git Data API's blobs, trees and commits, and pull requests, sans I/O."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bot.adapters import github_api
from bot.adapters.github_exchange import Exchange, Request, pages
from bot.errors import AlreadyExists, Conflict
from bot.port.operations import (
    CreateBranch,
    CreateCommit,
    CreatePull,
    GetBranch,
    ListBranchCommits,
    ListPulls,
    MoveBranch,
    UpdatePull,
)
from bot.port.results import BranchCommits, PullRequest


class BranchRequests:
    """The exchanges of the branch and pull request operations, and what every exchange shares."""

    def __init__(self, repository: str) -> None:
        self.repository = repository

    def branch_exchanges(self) -> dict[type, Callable[[Any], Exchange[Any]]]:
        return {
            GetBranch: self._get_branch,
            ListBranchCommits: self._list_branch_commits,
            CreateCommit: self._create_commit,
            CreateBranch: self._create_branch,
            MoveBranch: self._move_branch,
            ListPulls: self._list_pulls,
            CreatePull: self._create_pull,
            UpdatePull: self._update_pull,
        }

    def _path(self, path: str) -> str:
        return f"/repos/{self.repository}/{path}"

    def _call(self, method: str, path: str, body: Any = None, **params: str | int) -> Exchange[Any]:
        """One request on the repository; its JSON."""
        response = yield Request(method, self._path(path), params or None, body)
        return response.data

    def _get_branch(self, op: GetBranch) -> Exchange[str | None]:
        path = self._path(f"git/ref/heads/{quote(op.name, safe='/')}")
        response = yield Request("GET", path, answered=(404,))
        return str(response.data["object"]["sha"]) if response.status == 200 else None

    def _list_branch_commits(self, op: ListBranchCommits) -> Exchange[BranchCommits]:
        base, head = quote(op.base, safe=""), quote(op.head, safe="")
        # One page: a quarter's branch holds a commit per page of the budget.
        data = yield from self._call("GET", f"compare/{base}...{head}", per_page=100)
        return github_api.branch_commits(data)

    def _create_commit(self, op: CreateCommit) -> Exchange[str]:
        """Blobs, a tree on the parent's, then the commit: the Git Data API, no checkout."""
        parent = yield from self._call("GET", f"git/commits/{quote(op.parent, safe='')}")
        entries = []
        for path, content in op.files:
            body = {"content": base64.b64encode(content).decode(), "encoding": "base64"}
            blob = yield from self._call("POST", "git/blobs", body)
            entries.append({"path": path, "mode": "100644", "type": "blob", "sha": blob["sha"]})
        tree_body = {"base_tree": parent["tree"]["sha"], "tree": entries}
        tree = yield from self._call("POST", "git/trees", tree_body)
        signed = github_api.signature(op.signature)
        commit = {
            "message": op.message,
            "tree": tree["sha"],
            "parents": [op.parent],
            "author": signed,
            "committer": signed,
        }
        return str((yield from self._call("POST", "git/commits", commit))["sha"])

    def _create_branch(self, op: CreateBranch) -> Exchange[None]:
        body = {"ref": f"refs/heads/{op.name}", "sha": op.sha}
        response = yield Request("POST", self._path("git/refs"), body=body, answered=(422,))
        if response.status == 422:  # "Reference already exists"
            raise AlreadyExists(f"CreateBranch: {op.name} exists already", status=422)

    def _move_branch(self, op: MoveBranch) -> Exchange[None]:
        path = self._path(f"git/refs/heads/{quote(op.name, safe='/')}")
        body = {"sha": op.sha, "force": op.force}
        response = yield Request("PATCH", path, body=body, answered=(422,))
        if response.status == 422:  # "Update is not a fast forward"
            said = github_api.error_messages(response.data)
            raise Conflict(f"MoveBranch: GitHub refused to move {op.name}: {said}", status=422)

    def _list_pulls(self, op: ListPulls) -> Exchange[tuple[PullRequest, ...]]:
        owner = self.repository.split("/", 1)[0]
        query = {"head": f"{owner}:{op.head}", "state": op.state}
        found = yield from pages(self._path("pulls"), query)
        pulls = (github_api.pull_request(entry) for entry in found)
        return tuple(sorted(pulls, key=lambda pull: pull.number))

    def _create_pull(self, op: CreatePull) -> Exchange[PullRequest]:
        body = {"title": op.title, "head": op.head, "base": op.base, "body": op.body}
        response = yield Request("POST", self._path("pulls"), body=body, answered=(422,))
        if response.status == 422:
            said = github_api.error_messages(response.data)
            if "already exists" in said:
                raise AlreadyExists(f"CreatePull: {said}", status=422)
            raise github_api.http_error(422, response.headers, response.data, "CreatePull")
        return github_api.pull_request(response.data)

    def _update_pull(self, op: UpdatePull) -> Exchange[PullRequest]:
        body = {name: getattr(op, name) for name in ("body", "state") if getattr(op, name)}
        return github_api.pull_request((yield from self._call("PATCH", f"pulls/{op.number}", body)))
