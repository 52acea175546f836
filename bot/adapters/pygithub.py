"""The synchronous adapter: executes ``bot.port`` operations through PyGithub's requester."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import requests
import urllib3
from github import Auth, Github, GithubException

from bot.errors import AlreadyExists, ForgeError, NotFound, RetryableError, TokenCannotWrite
from bot.port import (
    WRITES,
    AddLabels,
    ChangedFile,
    Comment,
    CreateComment,
    CreateIssue,
    CreateLabel,
    DeleteLabel,
    FileList,
    GetMergeBase,
    GetPullRequest,
    GetRepository,
    Issue,
    ListComments,
    ListIssues,
    ListPullFiles,
    ListTree,
    Operation,
    PullRequest,
    ReadFiles,
    RemoveLabel,
    RepositoryHealth,
    ResolveRef,
    SetCommitStatus,
    Sleep,
    UpdateComment,
    UpdateIssue,
)

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.github.com"
ACTIONS_LOGIN = "github-actions[bot]"
MAX_PULL_FILES = 3000  # GitHub lists no more files of a pull request
GRAPHQL_BATCH = 100  # paths per GraphQL query
SECONDARY_LIMIT_WAIT = 60.0  # GitHub: wait at least a minute when it gives no Retry-After
CONTENT_CREATING = (CreateComment, CreateIssue)
FILE_STATUSES = {
    "added": "added",
    "modified": "modified",
    "removed": "removed",
    "renamed": "renamed",
    "copied": "added",
    "changed": "modified",
    "unchanged": "modified",
}
BLOB_FIELDS = "text byteSize isBinary isTruncated oid"


def graphql_url_for(api_url: str) -> str:
    """GitHub's GraphQL endpoint beside a REST base URL (``…/api/v3`` -> ``…/api/graphql``)."""
    parts = urlsplit(api_url.rstrip("/"))
    return urlunsplit(parts._replace(path=parts.path.removesuffix("/v3") + "/graphql"))


class PyGithubForge:
    """A ``bot.port.Forge`` for one repository; ``bot.port.run`` does all the retrying."""

    def __init__(
        self,
        token: str,
        repository: str,
        *,
        api_url: str = DEFAULT_API_URL,
        graphql_url: str | None = None,
        login: str = ACTIONS_LOGIN,
        write_spacing: float = 1.0,
        timeout: int = 30,
    ) -> None:
        self.login = login
        self.repository = repository
        self.graphql_url = graphql_url or graphql_url_for(api_url)
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
            raise forge_error(error, type(op).__name__) from error
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
            url, parameters = next_link(headers.get("link")), None

    # --- pull requests and files ---------------------------------------------------------

    def _get_pull_request(self, op: GetPullRequest) -> PullRequest:
        data = self._request("GET", f"pulls/{op.number}")
        return PullRequest(
            number=data["number"],
            base_sha=data["base"]["sha"],
            head_sha=data["head"]["sha"],
            base_ref=data["base"]["ref"],
            head_ref=data["head"]["ref"],
            html_url=data["html_url"],
            author=_login(data.get("user")),
            labels=tuple(label["name"] for label in data.get("labels") or ()),
        )

    def _list_pull_files(self, op: ListPullFiles) -> FileList:
        changed = self._request("GET", f"pulls/{op.number}").get("changed_files", 0)
        files: list[ChangedFile] = []
        for entry in self._pages(f"pulls/{op.number}/files"):
            files.append(_changed_file(entry))
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
        return data["merge_base_commit"]["sha"]

    def _read_files(self, op: ReadFiles) -> dict[str, bytes | None]:
        paths = list(dict.fromkeys(op.paths))
        found: dict[str, bytes | None] = {}
        for start in range(0, len(paths), GRAPHQL_BATCH):
            found.update(self._read_batch(op.ref, paths[start : start + GRAPHQL_BATCH]))
        return found

    def _read_batch(self, ref: str, paths: list[str]) -> dict[str, bytes | None]:
        owner, name = self.repository.split("/", 1)
        variables: dict[str, str] = {"owner": owner, "name": name}
        declarations, selections = [], []
        for index, path in enumerate(paths):
            variables[f"e{index}"] = f"{ref}:{path}"
            declarations.append(f"$e{index}: String!")
            selections.append(
                f"f{index}: object(expression: $e{index}) {{ ... on Blob {{ {BLOB_FIELDS} }} }}"
            )
        query = (
            f"query($owner: String!, $name: String!, {', '.join(declarations)}) "
            f"{{ repository(owner: $owner, name: $name) {{ {' '.join(selections)} }} }}"
        )
        headers, data = self._requester.requestJsonAndCheck(
            "POST", self.graphql_url, input={"query": query, "variables": variables}
        )
        if data.get("errors"):
            raise graphql_error(data["errors"], headers)
        answers = (data.get("data") or {}).get("repository") or {}
        return {path: self._blob(answers.get(f"f{i}")) for i, path in enumerate(paths)}

    def _blob(self, found: Mapping[str, Any] | None) -> bytes | None:
        if not found or "byteSize" not in found:  # no such path, or a directory
            return None
        if found["isBinary"] or found["isTruncated"] or found["text"] is None:
            data = self._request("GET", f"git/blobs/{found['oid']}")
            return base64.b64decode(data["content"])
        return found["text"].encode("utf-8")

    def _list_tree(self, op: ListTree) -> tuple[str, ...]:
        data = self._request("GET", f"git/trees/{quote(op.ref, safe='')}", recursive=1)
        if data.get("truncated"):
            log.warning(
                "the tree of %s is too large for one request: the listing is partial", op.ref
            )
        return tuple(entry["path"] for entry in data["tree"] if entry["type"] == "blob")

    def _resolve_ref(self, op: ResolveRef) -> str:
        return self._request("GET", f"commits/{quote(op.ref, safe='')}", per_page=1)["sha"]

    # --- comments ------------------------------------------------------------------------

    def _list_comments(self, op: ListComments) -> tuple[Comment, ...]:
        return tuple(_comment(c) for c in self._pages(f"issues/{op.issue_number}/comments"))

    def _create_comment(self, op: CreateComment) -> Comment:
        body = {"body": op.body}
        return _comment(self._request("POST", f"issues/{op.issue_number}/comments", body))

    def _update_comment(self, op: UpdateComment) -> Comment:
        return _comment(
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
        description = op.description if len(op.description) <= 140 else op.description[:139] + "…"
        body = {"state": op.state, "context": op.context, "description": description}
        if op.target_url is not None:
            body["target_url"] = op.target_url
        self._request("POST", f"statuses/{op.sha}", body)

    def _list_issues(self, op: ListIssues) -> tuple[Issue, ...]:
        found = self._pages("issues", labels=op.label, state=op.state)
        return tuple(_issue(entry) for entry in found if "pull_request" not in entry)

    def _create_issue(self, op: CreateIssue) -> Issue:
        body = {
            "title": op.title,
            "body": op.body,
            "labels": list(op.labels),
            "assignees": list(op.assignees),
        }
        return _issue(self._request("POST", "issues", body))

    def _update_issue(self, op: UpdateIssue) -> Issue:
        fields = ("title", "body", "state", "state_reason")
        body = {name: getattr(op, name) for name in fields if getattr(op, name) is not None}
        return _issue(self._request("PATCH", f"issues/{op.number}", body))

    def _get_repository(self, op: GetRepository) -> RepositoryHealth:
        data = self._request("GET", f"/repos/{op.full_name}")
        return RepositoryHealth(
            full_name=data["full_name"],
            stars=data.get("stargazers_count", 0),
            pushed_at=data.get("pushed_at"),
            archived=bool(data.get("archived")),
        )

    def _sleep(self, op: Sleep) -> None:
        time.sleep(op.seconds)


# --- JSON to port types -------------------------------------------------------------------


def _login(user: Mapping[str, Any] | None) -> str:
    return user["login"] if user else "ghost"  # GitHub shows deleted accounts as "ghost"


def _changed_file(entry: Mapping[str, Any]) -> ChangedFile:
    status = FILE_STATUSES.get(entry["status"])
    if status is None:
        log.warning(
            "unknown file status %r for %s: taken as modified", entry["status"], entry["filename"]
        )
        status = "modified"
    previous = entry.get("previous_filename") if status == "renamed" else None
    return ChangedFile(entry["filename"], status, previous)


def _comment(data: Mapping[str, Any]) -> Comment:
    return Comment(data["id"], data.get("body") or "", _login(data.get("user")), data["html_url"])


def _issue(data: Mapping[str, Any]) -> Issue:
    return Issue(
        number=data["number"],
        title=data["title"],
        body=data.get("body") or "",
        state=data["state"],
        html_url=data["html_url"],
        labels=tuple(label["name"] for label in data.get("labels") or ()),
        assignees=tuple(_login(user) for user in data.get("assignees") or ()),
    )


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` URL of a Link header, if any."""
    for part in (header or "").split(","):
        url, _, rel = part.partition(";")
        if rel.strip() == 'rel="next"':
            return url.strip().strip("<>")
    return None


# --- Errors --------------------------------------------------------------------------------


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    """GitHub's hint: Retry-After, or the reset time of an exhausted rate limit."""
    try:
        if headers.get("retry-after") is not None:
            return max(float(headers["retry-after"]), 0.0)
        if str(headers.get("x-ratelimit-remaining")) == "0" and headers.get("x-ratelimit-reset"):
            return max(float(headers["x-ratelimit-reset"]) - time.time(), 0.0) + 1.0
    except ValueError:
        return None
    return None


def _describe(action: str, status: int, data: Mapping[str, Any]) -> str:
    text = f"{action}: GitHub answered {status}"
    if data.get("message"):
        text += f": {data['message']}"
    details = [
        e.get("message") or f"{e.get('resource')}.{e.get('field')} {e.get('code')}"
        for e in data.get("errors") or ()
        if isinstance(e, Mapping)
    ]
    return text + (f" ({'; '.join(details)})" if details else "")


def forge_error(error: GithubException, action: str) -> ForgeError:
    """The ``bot.errors`` exception for a GitHub error answer; never quotes the token."""
    status = error.status
    data = error.data if isinstance(error.data, Mapping) else {}
    headers = {str(k).lower(): v for k, v in (error.headers or {}).items()}
    message = str(data.get("message") or "").lower()
    text = _describe(action, status, data)
    retry_after = _retry_after(headers)
    secondary = "secondary rate limit" in message
    if status == 403 and "resource not accessible by integration" in message:
        return TokenCannotWrite(text, status=status)
    if status >= 500 or status == 429 or (status == 403 and (retry_after is not None or secondary)):
        if retry_after is None and secondary:
            retry_after = SECONDARY_LIMIT_WAIT
        return RetryableError(text, status=status, retry_after=retry_after)
    if status == 404:
        return NotFound(text, status=status)
    codes = {e.get("code") for e in data.get("errors") or () if isinstance(e, Mapping)}
    if status == 422 and "already_exists" in codes:
        return AlreadyExists(text, status=status)
    return ForgeError(text, status=status)


def graphql_error(errors: list[Mapping[str, Any]], headers: Mapping[str, Any]) -> ForgeError:
    """GraphQL answers 200 with an ``errors`` list; the matching ``bot.errors`` exception."""
    first = errors[0] if errors else {}
    text = f"ReadFiles: GitHub GraphQL answered: {first.get('message', 'an error')}"
    kind = first.get("type")
    if kind == "NOT_FOUND":
        return NotFound(text, status=404)
    if kind == "RATE_LIMITED":
        wait = _retry_after({k.lower(): v for k, v in headers.items()})
        return RetryableError(text, retry_after=wait or SECONDARY_LIMIT_WAIT)
    if "something went wrong" in str(first.get("message", "")).lower():
        return RetryableError(text)  # GitHub's wording for a query that timed out
    return ForgeError(text)


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
