"""The synchronous adapter: executes ``bot.port`` operations through PyGithub's requester."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import requests
import urllib3
from github import Auth, Github, GithubException

from bot.adapters import github_api
from bot.core.limits import MAX_PULL_FILES, STATUS_DESCRIPTION
from bot.core.quarterly.model import RepositoryHealth
from bot.errors import ForgeError, RetryableError, UsageError
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import (
    WRITES,
    AddLabels,
    CreateComment,
    CreateIssue,
    CreateLabel,
    DeleteLabel,
    GetMergeBase,
    GetPullRequest,
    GetRepository,
    ListComments,
    ListIssues,
    ListPullFiles,
    ListTree,
    Operation,
    ReadFiles,
    RemoveLabel,
    ResolveRef,
    SetCommitStatus,
    Sleep,
    UpdateComment,
    UpdateIssue,
)
from bot.port.results import ChangedFile, Comment, FileList, Issue, PullRequest

log = logging.getLogger(__name__)

CONTENT_CREATING = (CreateComment, CreateIssue)


def forge_from_env(
    env: Mapping[str, str], token: str, repository: str, login: str | None = None
) -> PyGithubForge:
    """The forge every entry point builds: GitHub's URLs and tierbot's login from ``env``."""
    if not token:
        raise UsageError("no GitHub token: set GITHUB_TOKEN (the Action: `github-token`)")
    return PyGithubForge(
        token,
        repository,
        api_url=env.get("GITHUB_API_URL") or github_api.DEFAULT_API_URL,
        graphql_url=env.get("GITHUB_GRAPHQL_URL") or None,
        login=login or env.get("TIERBOT_LOGIN") or ACTIONS_LOGIN,
    )


class PyGithubForge:
    """A ``bot.port.Forge`` for one repository; ``bot.port.run`` does all the retrying."""

    def __init__(
        self,
        token: str,
        repository: str,
        *,
        api_url: str = github_api.DEFAULT_API_URL,
        graphql_url: str | None = None,
        login: str = ACTIONS_LOGIN,
        write_spacing: float = 1.0,
        timeout: int = 30,
    ) -> None:
        self.login = login
        self.repository = repository
        self.graphql_url = graphql_url or github_api.graphql_url_for(api_url)
        self.write_spacing = write_spacing  # seconds between content-creating writes
        github = Github(
            auth=Auth.Token(token),
            base_url=api_url.rstrip("/"),
            per_page=100,
            timeout=timeout,
            retry=None,  # retries belong to bot.port.run, which sees every operation
            seconds_between_requests=0,
            seconds_between_writes=0,  # PyGithub counts GraphQL queries (POSTs) as writes
        )
        self._requester = github.requester
        self._last_content_write: float | None = None
        self._handlers: dict[type, Callable[[Any], Any]] = {
            GetPullRequest: self._get_pull_request,
            ListPullFiles: self._list_pull_files,
            GetMergeBase: self._get_merge_base,
            ReadFiles: self._read_files,
            ListTree: self._list_tree,
            ResolveRef: self._resolve_ref,
            ListComments: self._list_comments,
            CreateComment: self._create_comment,
            UpdateComment: self._update_comment,
            CreateLabel: self._create_label,
            DeleteLabel: self._delete_label,
            AddLabels: self._add_labels,
            RemoveLabel: self._remove_label,
            SetCommitStatus: self._set_commit_status,
            ListIssues: self._list_issues,
            CreateIssue: self._create_issue,
            UpdateIssue: self._update_issue,
            GetRepository: self._get_repository,
            Sleep: self._sleep,
        }

    def __repr__(self) -> str:
        return f"PyGithubForge({self.repository!r}, login={self.login!r})"

    def execute(self, op: Operation) -> Any:
        """Run one operation; GitHub's errors come out as ``bot.errors.ForgeError``s."""
        handler = self._handlers.get(type(op))
        if handler is None:
            raise TypeError(f"PyGithubForge cannot execute {type(op).__name__}")
        try:
            if isinstance(op, CONTENT_CREATING):
                return self._spaced(handler, op)
            return handler(op)
        except GithubException as error:
            headers = error.headers or {}
            raise github_api.http_error(
                error.status, headers, error.data, type(op).__name__
            ) from error
        except requests.RequestException as error:
            raise transport_error(error, op) from error

    # --- transport -----------------------------------------------------------------------

    def _spaced(self, handler: Callable[[Any], Any], op: Operation) -> Any:
        if self._last_content_write is not None:
            wait = self.write_spacing - (time.monotonic() - self._last_content_write)
            if wait > 0:
                time.sleep(wait)
        try:
            return handler(op)
        finally:
            self._last_content_write = time.monotonic()

    def _request(self, verb: str, path: str, body: Any = None, **params: Any) -> Any:
        """One REST request; ``path`` is relative to the repository unless it starts with /."""
        url = path if path.startswith("/") else f"/repos/{self.repository}/{path}"
        _, data = self._requester.requestJsonAndCheck(
            verb, url, parameters=params or None, input=body
        )
        return data

    def _pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list, following GitHub's Link headers."""
        url: str | None = f"/repos/{self.repository}/{path}"
        parameters: dict[str, Any] | None = {**params, "per_page": 100}
        while url:
            headers, data = self._requester.requestJsonAndCheck("GET", url, parameters=parameters)
            yield from data
            url, parameters = github_api.next_link(headers.get("link")), None

    # --- pull requests and files ---------------------------------------------------------

    def _get_pull_request(self, op: GetPullRequest) -> PullRequest:
        return github_api.pull_request(self._request("GET", f"pulls/{op.number}"))

    def _list_pull_files(self, op: ListPullFiles) -> FileList:
        changed = self._request("GET", f"pulls/{op.number}").get("changed_files", 0)
        files: list[ChangedFile] = []
        for entry in self._pages(f"pulls/{op.number}/files"):
            files.append(github_api.changed_file(entry))
            if len(files) >= MAX_PULL_FILES:
                break
        truncated = len(files) >= MAX_PULL_FILES or changed > len(files)
        if truncated:
            log.warning(
                "pull request #%d: GitHub listed %d of %d files", op.number, len(files), changed
            )
        return FileList(tuple(files), truncated)

    def _get_merge_base(self, op: GetMergeBase) -> str:
        base, head = quote(op.base, safe=""), quote(op.head, safe="")
        # per_page=1: the answer also lists commits, which tierbot does not read.
        data = self._request("GET", f"compare/{base}...{head}", per_page=1)
        return str(data["merge_base_commit"]["sha"])

    def _read_files(self, op: ReadFiles) -> dict[str, bytes | None]:
        paths = list(dict.fromkeys(op.paths))
        found: dict[str, bytes | None] = {}
        for start in range(0, len(paths), github_api.GRAPHQL_BATCH):
            found.update(self._read_batch(op.ref, paths[start : start + github_api.GRAPHQL_BATCH]))
        return found

    def _read_batch(self, ref: str, paths: list[str]) -> dict[str, bytes | None]:
        query = github_api.files_query(self.repository, ref, paths)
        headers, data = self._requester.requestJsonAndCheck("POST", self.graphql_url, input=query)
        if data.get("errors"):
            raise github_api.graphql_error(data["errors"], headers)
        blobs = github_api.blobs_found(data, len(paths))
        return {path: self._blob(blob) for path, blob in zip(paths, blobs, strict=True)}

    def _blob(self, found: Mapping[str, Any] | None) -> bytes | None:
        if found is None:
            return None
        if github_api.needs_blob_api(found):
            data = self._request("GET", f"git/blobs/{found['oid']}")
            return base64.b64decode(data["content"])
        return str(found["text"]).encode("utf-8")

    def _list_tree(self, op: ListTree) -> tuple[str, ...]:
        data = self._request("GET", f"git/trees/{quote(op.ref, safe='')}", recursive=1)
        if data.get("truncated"):
            log.warning(
                "the tree of %s is too large for one request: the listing is partial", op.ref
            )
        return tuple(entry["path"] for entry in data["tree"] if entry["type"] == "blob")

    def _resolve_ref(self, op: ResolveRef) -> str:
        return str(self._request("GET", f"commits/{quote(op.ref, safe='')}", per_page=1)["sha"])

    # --- comments ------------------------------------------------------------------------

    def _list_comments(self, op: ListComments) -> tuple[Comment, ...]:
        return tuple(
            github_api.comment(c) for c in self._pages(f"issues/{op.issue_number}/comments")
        )

    def _create_comment(self, op: CreateComment) -> Comment:
        body = {"body": op.body}
        return github_api.comment(self._request("POST", f"issues/{op.issue_number}/comments", body))

    def _update_comment(self, op: UpdateComment) -> Comment:
        return github_api.comment(
            self._request("PATCH", f"issues/comments/{op.comment_id}", {"body": op.body})
        )

    # --- labels --------------------------------------------------------------------------

    def _create_label(self, op: CreateLabel) -> None:
        label = op.label
        body = {"name": label.name, "color": label.color, "description": label.description}
        self._request("POST", "labels", body)

    def _delete_label(self, op: DeleteLabel) -> None:
        self._request("DELETE", f"labels/{quote(op.name, safe='')}")

    def _add_labels(self, op: AddLabels) -> None:
        if op.names:
            self._request("POST", f"issues/{op.issue_number}/labels", {"labels": list(op.names)})

    def _remove_label(self, op: RemoveLabel) -> None:
        # PyGithub's Issue.remove_from_labels leaves "/" unencoded, so "tier/gold" would 404.
        self._request("DELETE", f"issues/{op.issue_number}/labels/{quote(op.name, safe='')}")

    # --- statuses, issues, repositories --------------------------------------------------

    def _set_commit_status(self, op: SetCommitStatus) -> None:
        limit = STATUS_DESCRIPTION
        description = (
            op.description if len(op.description) <= limit else op.description[: limit - 1] + "…"
        )
        body = {"state": op.state, "context": op.context, "description": description}
        if op.target_url is not None:
            body["target_url"] = op.target_url
        self._request("POST", f"statuses/{op.sha}", body)

    def _list_issues(self, op: ListIssues) -> tuple[Issue, ...]:
        found = self._pages("issues", labels=op.label, state=op.state)
        return tuple(github_api.issue(entry) for entry in found if "pull_request" not in entry)

    def _create_issue(self, op: CreateIssue) -> Issue:
        body = {
            "title": op.title,
            "body": op.body,
            "labels": list(op.labels),
            "assignees": list(op.assignees),
        }
        return github_api.issue(self._request("POST", "issues", body))

    def _update_issue(self, op: UpdateIssue) -> Issue:
        fields = ("title", "body", "state", "state_reason")
        body = {name: getattr(op, name) for name in fields if getattr(op, name) is not None}
        return github_api.issue(self._request("PATCH", f"issues/{op.number}", body))

    def _get_repository(self, op: GetRepository) -> RepositoryHealth:
        return github_api.repository_health(self._request("GET", f"/repos/{op.full_name}"))

    def _sleep(self, op: Sleep) -> None:
        time.sleep(op.seconds)


# --- Errors without an answer -------------------------------------------------------------


def _never_sent(error: requests.RequestException) -> bool:
    """Whether the request certainly did not reach GitHub (so a write may be retried)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def transport_error(error: requests.RequestException, op: Operation) -> ForgeError:
    """No answer at all: retryable for reads, and for writes that were never sent."""
    action = type(op).__name__
    if not isinstance(op, WRITES) or _never_sent(error):
        return RetryableError(f"{action}: no answer from GitHub ({type(error).__name__})")
    return ForgeError(
        f"{action}: the connection to GitHub failed mid-request ({type(error).__name__}); "
        "the write may or may not have been made"
    )
