"""An in-memory fake of GitHub's REST and GraphQL API, served over real HTTP for tests."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import math
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from aiohttp import web

ACTIONS_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
MAX_PULL_FILES = 3000  # GitHub lists at most this many files of a pull request
MAX_BODY = 65536  # characters in an issue or comment body
MAX_ANNOTATIONS = 50  # per check-run request
GRAPHQL_TEXT_LIMIT = 512_000  # Blob.text is cut here and flagged isTruncated
CONTENTS_LIMIT = 1024 * 1024  # the contents API leaves out bodies of larger files
DOCS = "https://docs.github.com/rest"
NOT_ACCESSIBLE = "Resource not accessible by integration"
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000."
)
SECONDARY_DOCS = DOCS + "/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"


def now_iso() -> str:
    """The current time the way GitHub writes it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def blob_sha(content: bytes) -> str:
    """Git's object id of a blob, as GitHub reports it."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def node_id(kind: str, number: int) -> str:
    """A legacy-style GraphQL node id, e.g. ``MDU6SXNzdWUx`` for Issue 1."""
    return base64.b64encode(f"{len(kind):02d}:{kind}{number}".encode()).decode()


def is_binary(content: bytes) -> bool:
    """GitHub's notion of a binary blob: a NUL byte, or not UTF-8."""
    if b"\0" in content[:8000]:
        return True
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def wrapped_base64(content: bytes) -> str:
    """Base64 broken into 60-character lines, as the contents and blobs APIs send it."""
    encoded = base64.b64encode(content).decode()
    return "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))


# --- State ------------------------------------------------------------------------------


@dataclass
class FileChange:
    """One entry of a pull request's changed-files list."""

    filename: str
    status: str = "modified"  # added | modified | removed | renamed | copied | changed | unchanged
    previous_filename: str | None = None


@dataclass
class PullInfo:
    base_sha: str
    head_sha: str
    base_ref: str
    head_ref: str
    files: list[FileChange]
    draft: bool = False


@dataclass
class IssueRecord:
    number: int
    id: int
    title: str
    body: str | None
    user: str
    created_at: str
    updated_at: str
    state: str = "open"
    state_reason: str | None = None
    closed_at: str | None = None
    labels: list[str] = field(default_factory=list)  # names, as spelled in the repository
    assignees: list[str] = field(default_factory=list)
    pull: PullInfo | None = None


@dataclass
class CommentRecord:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: str
    updated_at: str


@dataclass
class LabelRecord:
    id: int
    name: str
    color: str
    description: str | None = None
    default: bool = False


@dataclass
class RepoRecord:
    owner: str
    name: str
    id: int
    default_branch: str = "main"
    stars: int = 0
    pushed_at: str | None = None
    archived: bool = False
    private: bool = False
    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)  # commit -> its parent
    branches: dict[str, str] = field(default_factory=dict)
    issues: dict[int, IssueRecord] = field(default_factory=dict)
    comments: dict[int, CommentRecord] = field(default_factory=dict)
    labels: dict[str, LabelRecord] = field(default_factory=dict)  # keyed by lower-cased name
    statuses: list[dict[str, Any]] = field(default_factory=list)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def resolve(self, ref: str | None) -> str | None:
        """The commit SHA a SHA or branch name stands for."""
        ref = ref or self.default_branch
        if ref in self.commits:
            return ref
        return self.branches.get(ref.removeprefix("refs/heads/").removeprefix("heads/"))

    def label(self, name: str) -> LabelRecord | None:
        return self.labels.get(name.lower())


class LoggedRequest(NamedTuple):
    method: str
    path: str
    query: dict[str, str]


@dataclass
class Fault:
    """An injected failure: the next ``remaining`` matching requests get ``status``."""

    remaining: int
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    method: str | None = None
    path: str | None = None  # a regular expression searched in the request path

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return self.path is None or re.search(self.path, path) is not None


class FakeGitHub:
    """What the fake server knows, plus switches tests flip to make it misbehave."""

    def __init__(self, identity: dict[str, Any] | None = None) -> None:
        self.identity = dict(identity or ACTIONS_BOT)  # who the token posts as
        self.html_base = "https://github.com"
        self.repos: dict[str, RepoRecord] = {}
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, tuple[str, str, str]] = {}  # tree sha -> (repo, commit, directory)
        self.lock = threading.RLock()
        self.log: list[LoggedRequest] = []
        self.response_statuses: list[int | None] = []  # parallel to ``log``
        # switches
        self.read_only = False  # every write answers 403 "Resource not accessible by integration"
        self.delay = 0.0  # seconds added to every response
        self.faults: list[Fault] = []
        self.valid_tokens: set[str] | None = None  # None: any token is accepted
        self.rate_limit = 5000
        self.enforce_rate_limit = False
        self.rate_used: dict[str, int] = {}
        self.rate_reset = int(time.time()) + 3600
        self._ids = itertools.count(1000)
        self._commit_counter = itertools.count(1)

    # --- seeding ----------------------------------------------------------------------

    def add_repo(
        self,
        full_name: str,
        *,
        default_branch: str = "main",
        stars: int = 0,
        pushed_at: str | None = "2024-01-15T10:00:00Z",
        archived: bool = False,
        private: bool = False,
    ) -> RepoRecord:
        owner, name = full_name.split("/")
        with self.lock:
            repo = RepoRecord(
                owner, name, self.next_id(), default_branch, stars, pushed_at, archived, private
            )
            self.repos[full_name.lower()] = repo
            return repo

    def repo(self, full_name: str) -> RepoRecord:
        return self.repos[full_name.lower()]

    def add_commit(
        self,
        repo: str,
        files: dict[str, bytes | str | None],
        *,
        parent: str | None = None,
        branch: str | None = None,
    ) -> str:
        """Store a snapshot (``parent``'s files updated by ``files``; None deletes); its SHA."""
        with self.lock:
            record = self.repo(repo)
            snapshot = dict(record.commits[parent]) if parent else {}
            for path, content in files.items():
                if content is None:
                    snapshot.pop(path, None)
                else:
                    snapshot[path] = content.encode() if isinstance(content, str) else content
            for content in snapshot.values():
                self.blobs[blob_sha(content)] = content
            seed = f"commit {next(self._commit_counter)} {repo} {sorted(snapshot)}"
            sha = hashlib.sha1(seed.encode()).hexdigest()
            record.commits[sha] = snapshot
            record.parents[sha] = parent
            if branch:
                record.branches[branch] = sha
            record.branches.setdefault(record.default_branch, sha)
            return sha

    def add_pull(
        self,
        repo: str,
        base_sha: str,
        head_sha: str,
        files: Iterable[str | FileChange | dict[str, Any]] | None = None,
        *,
        user: str = "octocat",
        title: str = "A pull request",
        body: str = "",
        base_ref: str = "main",
        head_ref: str = "feature",
        labels: Iterable[str] = (),
        draft: bool = False,
    ) -> int:
        """Open a pull request; ``files`` default to the difference of the two commits."""
        with self.lock:
            record = self.repo(repo)
            base, head = record.commits.get(base_sha, {}), record.commits.get(head_sha, {})
            if files is None:
                changes = _diff(base, head)
            else:
                changes = [_file_change(entry, base, head) for entry in files]
            number = self.add_issue(repo, title, body, user=user, labels=labels)
            pull = PullInfo(base_sha, head_sha, base_ref, head_ref, changes, draft)
            record.issues[number].pull = pull
            return number

    def add_issue(
        self,
        repo: str,
        title: str,
        body: str | None = "",
        *,
        user: str = "octocat",
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        state: str = "open",
        state_reason: str | None = None,
        created_at: str | None = None,
    ) -> int:
        with self.lock:
            record = self.repo(repo)
            number = max(record.issues, default=0) + 1
            stamp = created_at or now_iso()
            issue = IssueRecord(number, self.next_id(), title, body, user, stamp, stamp)
            issue.assignees = list(assignees)
            issue.labels = [self.ensure_label(repo, name).name for name in labels]
            if state == "closed":
                issue.state, issue.closed_at = "closed", stamp
                issue.state_reason = state_reason or "completed"
            record.issues[number] = issue
            return number

    def add_comment(self, repo: str, issue_number: int, body: str, *, user: str = "octocat") -> int:
        with self.lock:
            record = self.repo(repo)
            stamp = now_iso()
            comment = CommentRecord(self.next_id(), issue_number, body, user, stamp, stamp)
            record.comments[comment.id] = comment
            return comment.id

    def add_label(
        self, repo: str, name: str, color: str = "ededed", description: str | None = None
    ) -> LabelRecord:
        with self.lock:
            label = LabelRecord(self.next_id(), name, color, description)
            self.repo(repo).labels[name.lower()] = label
            return label

    def ensure_label(self, repo: str, name: str) -> LabelRecord:
        """The label called ``name``, created grey as GitHub does when it is unknown."""
        with self.lock:
            return self.repo(repo).label(name) or self.add_label(repo, name)

    # --- reading state back -----------------------------------------------------------

    def comments(self, repo: str, issue_number: int) -> list[CommentRecord]:
        with self.lock:
            found = self.repo(repo).comments.values()
            return [c for c in found if c.issue_number == issue_number]

    def issue(self, repo: str, number: int) -> IssueRecord:
        return self.repo(repo).issues[number]

    def issue_labels(self, repo: str, number: int) -> list[str]:
        return list(self.issue(repo, number).labels)

    def label_names(self, repo: str) -> list[str]:
        return sorted(label.name for label in self.repo(repo).labels.values())

    # --- the request log ----------------------------------------------------------------

    def writes(self) -> list[LoggedRequest]:
        """Every POST/PATCH/PUT/DELETE received, GraphQL queries left out."""
        return [r for r in self.log if r.method in WRITE_METHODS and not _is_graphql(r.path)]

    def reads(self) -> list[LoggedRequest]:
        """Every GET received, and GraphQL queries (POSTs that read)."""
        return [r for r in self.log if r.method not in WRITE_METHODS or _is_graphql(r.path)]

    def landed_writes(self) -> list[LoggedRequest]:
        """The writes that were answered with success (2xx)."""
        with self.lock:
            answered = list(zip(self.log, self.response_statuses, strict=True))
        return [
            r
            for r, status in answered
            if r.method in WRITE_METHODS
            and not _is_graphql(r.path)
            and status is not None
            and 200 <= status < 300
        ]

    def requests_to(self, pattern: str, method: str | None = None) -> list[LoggedRequest]:
        """Logged requests whose path matches the regular expression ``pattern``."""
        return [
            r
            for r in self.log
            if re.search(pattern, r.path) and (method is None or r.method == method.upper())
        ]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()
            self.response_statuses.clear()

    # --- fault injection ----------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        status: int = 502,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with a server error."""
        body = {"message": "Server Error", "documentation_url": DOCS}
        with self.lock:
            self.faults.append(Fault(count, status, body, method=method, path=path))

    def rate_limit_next(
        self,
        count: int = 1,
        status: int = 403,
        *,
        retry_after: int | None = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests as a secondary rate limit."""
        body = {"message": SECONDARY_RATE_LIMIT, "documentation_url": SECONDARY_DOCS}
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        with self.lock:
            self.faults.append(Fault(count, status, body, headers, method, path))

    # --- used by the server -----------------------------------------------------------

    def next_id(self) -> int:
        return next(self._ids)

    def user_id(self, login: str) -> int:
        if login == self.identity["login"]:
            return int(self.identity["id"])
        return zlib.crc32(login.encode()) % 90_000_000 + 1_000_000

    def record(self, method: str, path: str, query: dict[str, str]) -> int:
        with self.lock:
            self.log.append(LoggedRequest(method, path, query))
            self.response_statuses.append(None)
            return len(self.log) - 1

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
            return None

    def count_request(self, resource: str) -> dict[str, str]:
        """Charge one request to ``resource``; the X-RateLimit-* headers to answer with."""
        with self.lock:
            used = self.rate_used.get(resource, 0) + 1
            self.rate_used[resource] = used
            return {
                "X-RateLimit-Limit": str(self.rate_limit),
                "X-RateLimit-Remaining": str(max(self.rate_limit - used, 0)),
                "X-RateLimit-Reset": str(self.rate_reset),
                "X-RateLimit-Used": str(used),
                "X-RateLimit-Resource": resource,
            }


def _is_graphql(path: str) -> bool:
    return path.endswith("/graphql")


def _diff(base: dict[str, bytes], head: dict[str, bytes]) -> list[FileChange]:
    changes = []
    for path in sorted(base.keys() | head.keys()):
        if path not in base:
            changes.append(FileChange(path, "added"))
        elif path not in head:
            changes.append(FileChange(path, "removed"))
        elif base[path] != head[path]:
            changes.append(FileChange(path, "modified"))
    return changes


def _file_change(
    entry: str | FileChange | dict[str, Any], base: dict[str, bytes], head: dict[str, bytes]
) -> FileChange:
    if isinstance(entry, FileChange):
        return entry
    if isinstance(entry, dict):
        return FileChange(**entry)
    if entry in head and entry not in base:
        return FileChange(entry, "added")
    if entry in base and entry not in head:
        return FileChange(entry, "removed")
    return FileChange(entry, "modified")


# --- Response shapes ----------------------------------------------------------------------


class ApiError(Exception):
    """Raised by a handler to answer with a GitHub-shaped error."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def error_response(
    status: int,
    message: str,
    docs: str = DOCS,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body: dict[str, Any] = {"message": message}
    if errors is not None:
        body["errors"] = errors
    body["documentation_url"] = docs
    body["status"] = str(status)
    return web.json_response(body, status=status, headers=headers)


def not_found(docs: str = DOCS) -> ApiError:
    return ApiError(error_response(404, "Not Found", docs))


def validation_failed(resource: str, code: str, field_: str, docs: str, **extra: str) -> ApiError:
    error = {"resource": resource, "code": code, "field": field_, **extra}
    return ApiError(error_response(422, "Validation Failed", docs, errors=[error]))


@dataclass
class Shapes:
    """Builds GitHub's JSON for state records, with URLs pointing at this server."""

    state: FakeGitHub
    api: str  # e.g. http://127.0.0.1:PORT (plus the prefix, if any)

    @property
    def html(self) -> str:
        return self.state.html_base

    def user(self, login: str) -> dict[str, Any]:
        uid = self.state.user_id(login)
        is_identity = login == self.state.identity["login"]
        kind = self.state.identity["type"] if is_identity else "User"
        kind = "Bot" if login.endswith("[bot]") else kind
        url = f"{self.api}/users/{quote(login)}"
        html = f"{self.html}/apps/{login.removesuffix('[bot]')}" if kind == "Bot" else None
        return {
            "login": login,
            "id": uid,
            "node_id": node_id("User", uid),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": url,
            "html_url": html or f"{self.html}/{login}",
            "followers_url": f"{url}/followers",
            "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}",
            "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions",
            "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events",
            "type": kind,
            "user_view_type": "public",
            "site_admin": False,
        }

    def repo_url(self, repo: RepoRecord) -> str:
        return f"{self.api}/repos/{repo.full_name}"

    def repository(self, repo: RepoRecord) -> dict[str, Any]:
        url, html = self.repo_url(repo), f"{self.html}/{repo.full_name}"
        return {
            "id": repo.id,
            "node_id": node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.user(repo.owner),
            "html_url": html,
            "description": None,
            "fork": False,
            "url": url,
            "issues_url": f"{url}/issues{{/number}}",
            "pulls_url": f"{url}/pulls{{/number}}",
            "labels_url": f"{url}/labels{{/name}}",
            "contents_url": f"{url}/contents/{{+path}}",
            "trees_url": f"{url}/git/trees{{/sha}}",
            "blobs_url": f"{url}/git/blobs{{/sha}}",
            "statuses_url": f"{url}/statuses/{{sha}}",
            "commits_url": f"{url}/commits{{/sha}}",
            "created_at": "2020-01-01T00:00:00Z",
            "updated_at": repo.pushed_at,
            "pushed_at": repo.pushed_at,
            "git_url": f"git://github.com/{repo.full_name}.git",
            "clone_url": f"{html}.git",
            "homepage": None,
            "size": 0,
            "stargazers_count": repo.stars,
            "watchers_count": repo.stars,
            "language": None,
            "has_issues": True,
            "forks_count": 0,
            "archived": repo.archived,
            "disabled": False,
            "open_issues_count": sum(i.state == "open" for i in repo.issues.values()),
            "license": None,
            "topics": [],
            "visibility": "private" if repo.private else "public",
            "forks": 0,
            "open_issues": sum(i.state == "open" for i in repo.issues.values()),
            "watchers": repo.stars,
            "default_branch": repo.default_branch,
        }

    def label(self, repo: RepoRecord, label: LabelRecord) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": node_id("Label", label.id),
            "url": f"{self.repo_url(repo)}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def issue_labels(self, repo: RepoRecord, issue: IssueRecord) -> list[dict[str, Any]]:
        found = (repo.label(name) for name in issue.labels)
        return [self.label(repo, label) for label in found if label]

    def issue(self, repo: RepoRecord, issue: IssueRecord) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/issues/{issue.number}"
        kind = "pull" if issue.pull else "issues"
        html = f"{self.html}/{repo.full_name}/{kind}/{issue.number}"
        assignees = [self.user(login) for login in issue.assignees]
        shape: dict[str, Any] = {
            "url": url,
            "repository_url": self.repo_url(repo),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": html,
            "id": issue.id,
            "node_id": node_id("PullRequest" if issue.pull else "Issue", issue.id),
            "number": issue.number,
            "title": issue.title,
            "user": self.user(issue.user),
            "labels": self.issue_labels(repo, issue),
            "state": issue.state,
            "locked": False,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": None,
            "comments": sum(c.issue_number == issue.number for c in repo.comments.values()),
            "created_at": issue.created_at,
            "updated_at": issue.updated_at,
            "closed_at": issue.closed_at,
            "author_association": "OWNER" if issue.user == repo.owner else "CONTRIBUTOR",
            "active_lock_reason": None,
            "body": issue.body,
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "state_reason": issue.state_reason,
        }
        if issue.pull:
            pulls = f"{self.repo_url(repo)}/pulls/{issue.number}"
            shape["draft"] = issue.pull.draft
            shape["pull_request"] = {
                "url": pulls,
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None,
            }
        return shape

    def branch(self, repo: RepoRecord, ref: str, sha: str, login: str) -> dict[str, Any]:
        return {
            "label": f"{login}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.user(login),
            "repo": self.repository(repo),
        }

    def pull(self, repo: RepoRecord, issue: IssueRecord) -> dict[str, Any]:
        pull = issue.pull
        assert pull is not None
        base = self.issue(repo, issue)
        url = f"{self.repo_url(repo)}/pulls/{issue.number}"
        html = base["html_url"]
        keep = ("id", "node_id", "html_url", "number", "state", "locked", "title", "user", "body")
        shape = {key: base[key] for key in keep}
        shape.update(
            url=url,
            diff_url=f"{html}.diff",
            patch_url=f"{html}.patch",
            issue_url=base["url"],
            created_at=issue.created_at,
            updated_at=issue.updated_at,
            closed_at=issue.closed_at,
            merged_at=None,
            merge_commit_sha=None,
            assignee=base["assignee"],
            assignees=base["assignees"],
            requested_reviewers=[],
            requested_teams=[],
            labels=base["labels"],
            milestone=None,
            draft=pull.draft,
            commits_url=f"{url}/commits",
            review_comments_url=f"{url}/comments",
            review_comment_url=f"{self.repo_url(repo)}/pulls/comments{{/number}}",
            comments_url=base["comments_url"],
            statuses_url=f"{self.repo_url(repo)}/statuses/{pull.head_sha}",
            head=self.branch(repo, pull.head_ref, pull.head_sha, issue.user),
            base=self.branch(repo, pull.base_ref, pull.base_sha, repo.owner),
            _links={
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": base["url"]},
                "comments": {"href": base["comments_url"]},
            },
            author_association=base["author_association"],
            auto_merge=None,
            active_lock_reason=None,
            merged=False,
            mergeable=True,
            rebaseable=True,
            mergeable_state="clean",
            merged_by=None,
            comments=base["comments"],
            review_comments=0,
            maintainer_can_modify=False,
            commits=1,
            additions=len(pull.files),
            deletions=0,
            changed_files=len(pull.files),
        )
        return shape

    def pull_file(self, repo: RepoRecord, pull: PullInfo, change: FileChange) -> dict[str, Any]:
        side = repo.commits.get(pull.base_sha if change.status == "removed" else pull.head_sha, {})
        content = side.get(change.filename)
        sha = blob_sha(content) if content is not None else blob_sha(change.filename.encode())
        path = quote(change.filename)
        shape: dict[str, Any] = {
            "sha": sha,
            "filename": change.filename,
            "status": change.status,
            "additions": 1 if change.status != "removed" else 0,
            "deletions": 1 if change.status in ("removed", "modified") else 0,
            "changes": 2 if change.status == "modified" else 1,
            "blob_url": f"{self.html}/{repo.full_name}/blob/{pull.head_sha}/{path}",
            "raw_url": f"{self.html}/{repo.full_name}/raw/{pull.head_sha}/{path}",
            "contents_url": f"{self.repo_url(repo)}/contents/{path}?ref={pull.head_sha}",
            "patch": "@@ -1 +1 @@\n-old\n+new",
        }
        if change.previous_filename:
            shape["previous_filename"] = change.previous_filename
        return shape

    def comment(self, repo: RepoRecord, comment: CommentRecord) -> dict[str, Any]:
        issue = repo.issues.get(comment.issue_number)
        kind = "pull" if issue and issue.pull else "issues"
        issue_html = f"{self.html}/{repo.full_name}/{kind}/{comment.issue_number}"
        return {
            "url": f"{self.repo_url(repo)}/issues/comments/{comment.id}",
            "html_url": f"{issue_html}#issuecomment-{comment.id}",
            "issue_url": f"{self.repo_url(repo)}/issues/{comment.issue_number}",
            "id": comment.id,
            "node_id": node_id("IssueComment", comment.id),
            "user": self.user(comment.user),
            "created_at": comment.created_at,
            "updated_at": comment.updated_at,
            "author_association": "NONE",
            "body": comment.body,
            "performed_via_github_app": None,
        }

    def content(self, repo: RepoRecord, ref: str, path: str, data: bytes) -> dict[str, Any]:
        sha = blob_sha(data)
        url = f"{self.repo_url(repo)}/contents/{quote(path)}?ref={ref}"
        git_url = f"{self.repo_url(repo)}/git/blobs/{sha}"
        html = f"{self.html}/{repo.full_name}/blob/{ref}/{quote(path)}"
        small = len(data) <= CONTENTS_LIMIT
        return {
            "type": "file",
            "encoding": "base64" if small else "none",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": wrapped_base64(data) if small else "",
            "sha": sha,
            "url": url,
            "git_url": git_url,
            "html_url": html,
            "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
            "_links": {"self": url, "git": git_url, "html": html},
        }

    def status(self, repo: RepoRecord, sha: str, status: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"{self.repo_url(repo)}/statuses/{sha}",
            "avatar_url": None,
            "id": status["id"],
            "node_id": node_id("StatusContext", status["id"]),
            "state": status["state"],
            "description": status["description"],
            "target_url": status["target_url"],
            "context": status["context"],
            "created_at": status["created_at"],
            "updated_at": status["created_at"],
            "creator": self.user(status["creator"]),
        }

    def check_run(self, repo: RepoRecord, run: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/check-runs/{run['id']}"
        output = run.get("output") or {}
        return {
            "id": run["id"],
            "node_id": node_id("CheckRun", run["id"]),
            "head_sha": run["head_sha"],
            "external_id": run.get("external_id", ""),
            "url": url,
            "html_url": f"{self.html}/{repo.full_name}/runs/{run['id']}",
            "details_url": run.get("details_url"),
            "status": run.get("status", "queued"),
            "conclusion": run.get("conclusion"),
            "started_at": run.get("started_at"),
            "completed_at": run.get("completed_at"),
            "output": {
                "title": output.get("title"),
                "summary": output.get("summary"),
                "text": output.get("text"),
                "annotations_count": len(run.get("annotations", [])),
                "annotations_url": f"{url}/annotations",
            },
            "name": run["name"],
            "check_suite": {"id": run["id"] + 1},
            "app": {"id": 15368, "slug": "github-actions", "name": "GitHub Actions"},
            "pull_requests": [],
        }


# --- Requests -----------------------------------------------------------------------------


@dataclass
class Call:
    """One request as a handler sees it: parsed body, matched path, shapes for the answer."""

    request: web.Request
    body: Any
    shapes: Shapes

    @property
    def state(self) -> FakeGitHub:
        return self.shapes.state

    def arg(self, name: str) -> str:
        return self.request.match_info[name]

    def number(self, name: str = "number") -> int:
        return int(self.arg(name))

    def repo(self) -> RepoRecord:
        found = self.state.repos.get(f"{self.arg('owner')}/{self.arg('repo')}".lower())
        if found is None:
            raise not_found(DOCS + "/repos/repos#get-a-repository")
        return found

    def issue(self, repo: RepoRecord) -> IssueRecord:
        found = repo.issues.get(self.number())
        if found is None:
            raise not_found(DOCS + "/issues/issues#get-an-issue")
        return found

    def field(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default) if isinstance(self.body, dict) else default

    def paginate(self, items: list[Any], *, cap: int | None = None) -> web.Response:
        """One page of ``items``, with GitHub's Link header."""
        query = self.request.query
        per_page = _clamp(query.get("per_page"), default=30, low=1, high=100)
        page = _clamp(query.get("page"), default=1, low=1, high=10**9)
        visible = items[:cap] if cap is not None else items
        last = max(math.ceil(len(visible) / per_page), 1)
        start = (page - 1) * per_page
        links = []
        if page > 1:
            links.append((min(page - 1, last), "prev"))
        if page < last:
            links += [(page + 1, "next"), (last, "last")]
        if page > 1:
            links.append((1, "first"))
        headers = {}
        if links:
            headers["Link"] = ", ".join(f'<{self.page_url(n)}>; rel="{rel}"' for n, rel in links)
        return web.json_response(visible[start : start + per_page], headers=headers)

    def page_url(self, page: int) -> str:
        params = [(k, v) for k, v in self.request.query.items() if k != "page"]
        params.append(("page", str(page)))
        base = self.shapes.api.split("/", 3)[:3]
        return f"{'/'.join(base)}{self.request.rel_url.raw_path}?{urlencode(params)}"


def _clamp(raw: str | None, *, default: int, low: int, high: int) -> int:
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        value = default
    return min(max(value, low), high)


def _token(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() in ("token", "bearer") and token.strip() else None


Handler = Callable[[Call], web.StreamResponse]
STATE_KEY = web.AppKey("fake_github_state", FakeGitHub)
PREFIX_KEY = web.AppKey("fake_github_prefix", str)


@web.middleware
async def _github_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    method, path = request.method, request.path
    index = state.record(method, path, dict(request.query))
    if state.delay:
        await asyncio.sleep(state.delay)
    fault = state.take_fault(method, path)
    if fault is not None:
        response: web.StreamResponse = web.json_response(
            {**fault.body, "status": str(fault.status)}, status=fault.status, headers=fault.headers
        )
    else:
        try:
            response = await handler(request)
        except web.HTTPMethodNotAllowed:
            response = error_response(404, "Not Found")
        except web.HTTPNotFound:
            response = error_response(404, "Not Found")
    with state.lock:
        state.response_statuses[index] = response.status
    if path != request.app[PREFIX_KEY] + "/rate_limit":
        resource = "graphql" if _is_graphql(path) else "core"
        response.headers.update(state.count_request(resource))
    return response


def _gatekeeper(call: Call) -> None:
    """Authentication, read-only tokens, archived repositories, the primary rate limit."""
    request, state = call.request, call.state
    token = _token(request)
    is_write = request.method in WRITE_METHODS and not _is_graphql(request.path)
    if state.valid_tokens is not None and token is not None and token not in state.valid_tokens:
        raise ApiError(error_response(401, "Bad credentials"))
    if token is None and (is_write or _is_graphql(request.path)):
        raise ApiError(error_response(401, "Requires authentication"))
    if state.enforce_rate_limit and state.rate_used.get("core", 0) >= state.rate_limit:
        message = "API rate limit exceeded for installation ID 1."
        raise ApiError(
            error_response(403, message, DOCS + "/overview/rate-limits-for-the-rest-api")
        )
    if is_write and state.read_only:
        raise ApiError(error_response(403, NOT_ACCESSIBLE))
    if is_write and "owner" in request.match_info:
        repo = call.repo()
        if repo.archived:
            raise ApiError(error_response(403, "Repository was archived so is read-only."))


def _wrap(state: FakeGitHub, prefix: str, handler: Handler) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return error_response(400, "Problems parsing JSON")
        api = f"{request.scheme}://{request.host}{prefix}"
        call = Call(request, body, Shapes(state, api))
        with state.lock:
            try:
                _gatekeeper(call)
                return handler(call)
            except ApiError as error:
                return error.response

    return handle


# --- Handlers -----------------------------------------------------------------------------


def get_repository(call: Call) -> web.StreamResponse:
    return web.json_response(call.shapes.repository(call.repo()))


def get_pull(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = repo.issues.get(call.number())
    if issue is None or issue.pull is None:
        raise not_found(DOCS + "/pulls/pulls#get-a-pull-request")
    return web.json_response(call.shapes.pull(repo, issue))


def list_pull_files(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = repo.issues.get(call.number())
    if issue is None or issue.pull is None:
        raise not_found(DOCS + "/pulls/pulls#list-pull-requests-files")
    pull = issue.pull
    shaped = [call.shapes.pull_file(repo, pull, change) for change in pull.files[:MAX_PULL_FILES]]
    return call.paginate(shaped, cap=MAX_PULL_FILES)


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


def _first_parents(repo: RepoRecord, sha: str | None) -> Iterable[str]:
    while sha is not None:
        yield sha
        sha = repo.parents.get(sha)


def compare_commits(call: Call) -> web.StreamResponse:
    """``BASE...HEAD``: just the fields tierbot reads (merge base, counts), no commits or files."""
    repo, docs = call.repo(), DOCS + "/commits/commits#compare-two-commits"
    base_ref, dots, head_ref = call.arg("basehead").partition("...")
    base, head = repo.resolve(base_ref), repo.resolve(head_ref)
    if not dots or base is None or head is None:
        raise not_found(docs)
    base_line = list(_first_parents(repo, base))
    head_line = list(_first_parents(repo, head))
    merge_base = next((sha for sha in head_line if sha in base_line), None)
    if merge_base is None:
        message = f"No common ancestor between {base_ref} and {head_ref}."
        raise ApiError(error_response(404, message, docs))
    ahead, behind = head_line.index(merge_base), base_line.index(merge_base)
    status = {(0, 0): "identical", (0, 1): "behind", (1, 0): "ahead"}.get(
        (min(ahead, 1), min(behind, 1)), "diverged"
    )
    url = f"{call.shapes.repo_url(repo)}/compare/{base_ref}...{head_ref}"
    return web.json_response(
        {
            "url": url,
            "status": status,
            "ahead_by": ahead,
            "behind_by": behind,
            "total_commits": ahead,
            "base_commit": {"sha": base},
            "merge_base_commit": {"sha": merge_base},
        }
    )


def get_blob(call: Call) -> web.StreamResponse:
    repo, sha = call.repo(), call.arg("sha")
    data = call.state.blobs.get(sha)
    if data is None:
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
    return web.json_response({"data": {"repository": answers}})


def _blob_object(
    state: FakeGitHub, repo: RepoRecord, expression: str, fields: list[str]
) -> dict[str, Any] | None:
    ref, _, path = str(expression).partition(":")
    commit = repo.resolve(ref)
    if commit is None:
        return None
    files = repo.commits[commit]
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


def list_comments(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = call.issue(repo)
    found = [c for c in repo.comments.values() if c.issue_number == issue.number]
    return call.paginate([call.shapes.comment(repo, c) for c in sorted(found, key=_by_id)])


def _by_id(record: Any) -> int:
    return record.id


def _check_body(body: Any, resource: str, docs: str) -> None:
    if isinstance(body, str) and len(body) > MAX_BODY:
        message = f"body is too long (maximum is {MAX_BODY} characters)"
        raise validation_failed(resource, "custom", "body", docs, message=message)


def create_comment(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = call.issue(repo)
    docs = DOCS + "/issues/comments#create-an-issue-comment"
    body = call.field("body")
    if not isinstance(body, str) or not body:
        raise validation_failed("IssueComment", "missing_field", "body", docs)
    _check_body(body, "IssueComment", docs)
    stamp = now_iso()
    state = call.state
    comment = CommentRecord(
        state.next_id(), issue.number, body, state.identity["login"], stamp, stamp
    )
    repo.comments[comment.id] = comment
    shaped = call.shapes.comment(repo, comment)
    return web.json_response(shaped, status=201, headers={"Location": shaped["url"]})


def _comment(call: Call, repo: RepoRecord) -> CommentRecord:
    found = repo.comments.get(call.number("id"))
    if found is None:
        raise not_found(DOCS + "/issues/comments#get-an-issue-comment")
    return found


def get_comment(call: Call) -> web.StreamResponse:
    repo = call.repo()
    return web.json_response(call.shapes.comment(repo, _comment(call, repo)))


def update_comment(call: Call) -> web.StreamResponse:
    repo = call.repo()
    comment = _comment(call, repo)
    docs = DOCS + "/issues/comments#update-an-issue-comment"
    body = call.field("body")
    if not isinstance(body, str) or not body:
        raise validation_failed("IssueComment", "missing_field", "body", docs)
    _check_body(body, "IssueComment", docs)
    comment.body, comment.updated_at = body, now_iso()
    return web.json_response(call.shapes.comment(repo, comment))


def delete_comment(call: Call) -> web.StreamResponse:
    repo = call.repo()
    del repo.comments[_comment(call, repo).id]
    return web.Response(status=204)


def list_labels(call: Call) -> web.StreamResponse:
    repo = call.repo()
    labels = sorted(repo.labels.values(), key=lambda label: label.name.lower())
    return call.paginate([call.shapes.label(repo, label) for label in labels])


_COLOR = re.compile(r"[0-9a-fA-F]{6}")


def create_label(call: Call) -> web.StreamResponse:
    repo = call.repo()
    docs = DOCS + "/issues/labels#create-a-label"
    name, color = call.field("name"), call.field("color", "ededed")
    if not isinstance(name, str) or not name:
        raise validation_failed("Label", "missing_field", "name", docs)
    if not isinstance(color, str) or not _COLOR.fullmatch(color.removeprefix("#")):
        raise validation_failed("Label", "invalid", "color", docs)
    if repo.label(name):
        raise validation_failed("Label", "already_exists", "name", docs)
    label = call.state.add_label(repo.full_name, name, color.removeprefix("#"))
    label.description = call.field("description")
    shaped = call.shapes.label(repo, label)
    return web.json_response(shaped, status=201, headers={"Location": shaped["url"]})


def _label(call: Call, repo: RepoRecord) -> LabelRecord:
    found = repo.label(call.arg("name"))
    if found is None:
        raise not_found(DOCS + "/issues/labels#get-a-label")
    return found


def get_label(call: Call) -> web.StreamResponse:
    repo = call.repo()
    return web.json_response(call.shapes.label(repo, _label(call, repo)))


def update_label(call: Call) -> web.StreamResponse:
    repo = call.repo()
    label = _label(call, repo)
    new_name = call.field("new_name") or label.name
    if new_name.lower() != label.name.lower() and repo.label(new_name):
        docs = DOCS + "/issues/labels#update-a-label"
        raise validation_failed("Label", "already_exists", "name", docs)
    del repo.labels[label.name.lower()]
    for issue in repo.issues.values():
        issue.labels = [new_name if n.lower() == label.name.lower() else n for n in issue.labels]
    label.name = new_name
    label.color = (call.field("color") or label.color).removeprefix("#")
    label.description = call.field("description", label.description)
    repo.labels[new_name.lower()] = label
    return web.json_response(call.shapes.label(repo, label))


def delete_label(call: Call) -> web.StreamResponse:
    repo = call.repo()
    label = _label(call, repo)
    del repo.labels[label.name.lower()]
    for issue in repo.issues.values():
        issue.labels = [n for n in issue.labels if n.lower() != label.name.lower()]
    return web.Response(status=204)


def list_issue_labels(call: Call) -> web.StreamResponse:
    repo = call.repo()
    return call.paginate(call.shapes.issue_labels(repo, call.issue(repo)))


def _label_names(body: Any) -> list[str]:
    """``["a"]``, ``{"labels": ["a"]}`` and ``{"labels": [{"name": "a"}]}`` all name labels."""
    raw = body.get("labels", []) if isinstance(body, dict) else body or []
    if isinstance(raw, str):
        raw = [raw]
    return [entry["name"] if isinstance(entry, dict) else str(entry) for entry in raw]


def _apply_labels(call: Call, repo: RepoRecord, issue: IssueRecord, names: list[str]) -> None:
    for name in names:
        label = call.state.ensure_label(repo.full_name, name)
        if label.name not in issue.labels:
            issue.labels.append(label.name)
    issue.updated_at = now_iso()


def add_issue_labels(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = call.issue(repo)
    _apply_labels(call, repo, issue, _label_names(call.body))
    return web.json_response(call.shapes.issue_labels(repo, issue))


def set_issue_labels(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = call.issue(repo)
    issue.labels = []
    _apply_labels(call, repo, issue, _label_names(call.body))
    return web.json_response(call.shapes.issue_labels(repo, issue))


def remove_issue_label(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = call.issue(repo)
    name = call.arg("name").lower()
    if name not in (n.lower() for n in issue.labels):
        docs = DOCS + "/issues/labels#remove-a-label-from-an-issue"
        raise ApiError(error_response(404, "Label does not exist", docs))
    issue.labels = [n for n in issue.labels if n.lower() != name]
    issue.updated_at = now_iso()
    return web.json_response(call.shapes.issue_labels(repo, issue))


def list_issues(call: Call) -> web.StreamResponse:
    repo, query = call.repo(), call.request.query
    state = query.get("state", "open")
    wanted = {n.strip().lower() for n in query.get("labels", "").split(",") if n.strip()}
    found = [
        issue
        for issue in repo.issues.values()
        if state in ("all", issue.state) and wanted <= {n.lower() for n in issue.labels}
    ]
    found.sort(key=lambda i: (i.created_at, i.number), reverse=query.get("direction") != "asc")
    return call.paginate([call.shapes.issue(repo, issue) for issue in found])


def create_issue(call: Call) -> web.StreamResponse:
    repo = call.repo()
    docs = DOCS + "/issues/issues#create-an-issue"
    title = call.field("title")
    if not isinstance(title, str) or not title:
        raise validation_failed("Issue", "missing_field", "title", docs)
    _check_body(call.field("body"), "Issue", docs)
    number = call.state.add_issue(
        repo.full_name,
        title,
        call.field("body"),
        user=call.state.identity["login"],
        labels=_label_names({"labels": call.field("labels") or []}),
        assignees=call.field("assignees") or [],
    )
    shaped = call.shapes.issue(repo, repo.issues[number])
    return web.json_response(shaped, status=201, headers={"Location": shaped["url"]})


def get_issue(call: Call) -> web.StreamResponse:
    repo = call.repo()
    return web.json_response(call.shapes.issue(repo, call.issue(repo)))


_STATE_REASONS = {"completed", "not_planned", "reopened", "duplicate", None}


def update_issue(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = call.issue(repo)
    docs = DOCS + "/issues/issues#update-an-issue"
    _check_body(call.field("body"), "Issue", docs)
    state, reason = call.field("state"), call.field("state_reason")
    if state not in (None, "open", "closed"):
        raise validation_failed("Issue", "invalid", "state", docs)
    if reason not in _STATE_REASONS:
        raise validation_failed("Issue", "invalid", "state_reason", docs)
    issue.title = call.field("title") or issue.title
    issue.body = call.field("body", issue.body)
    if state == "closed" and issue.state == "open":
        issue.state, issue.closed_at = "closed", now_iso()
        issue.state_reason = reason or "completed"
    elif state == "open" and issue.state == "closed":
        issue.state, issue.closed_at, issue.state_reason = "open", None, "reopened"
    elif reason is not None:
        issue.state_reason = reason
    if call.field("labels") is not None:
        issue.labels = []
        _apply_labels(call, repo, issue, _label_names({"labels": call.field("labels")}))
    if call.field("assignees") is not None:
        issue.assignees = list(call.field("assignees"))
    issue.updated_at = now_iso()
    return web.json_response(call.shapes.issue(repo, issue))


_STATUS_STATES = {"error", "failure", "pending", "success"}


def create_status(call: Call) -> web.StreamResponse:
    repo, sha = call.repo(), call.arg("sha")
    docs = DOCS + "/commits/statuses#create-a-commit-status"
    if sha not in repo.commits:
        raise ApiError(error_response(422, f"No commit found for SHA: {sha}", docs))
    state, description = call.field("state"), call.field("description") or ""
    if state not in _STATUS_STATES:
        raise validation_failed("Status", "custom", "state", docs, message=f"{state} is invalid")
    if len(description) > 140:
        message = "description is too long (maximum is 140 characters)"
        raise validation_failed("Status", "custom", "description", docs, message=message)
    status = {
        "id": call.state.next_id(),
        "sha": sha,
        "state": state,
        "description": call.field("description"),
        "target_url": call.field("target_url"),
        "context": call.field("context") or "default",
        "created_at": now_iso(),
        "creator": call.state.identity["login"],
    }
    repo.statuses.append(status)
    shaped = call.shapes.status(repo, sha, status)
    return web.json_response(shaped, status=201, headers={"Location": shaped["url"]})


def get_commit(call: Call) -> web.StreamResponse:
    """Just the commit's SHA (``HEAD`` is the default branch); tierbot reads nothing else."""
    repo, ref = call.repo(), call.arg("ref")
    sha = repo.resolve(None if ref == "HEAD" else ref)
    if sha is None:
        raise ApiError(error_response(422, f"No commit found for SHA: {ref}", DOCS))
    url = f"{call.shapes.repo_url(repo)}/commits/{sha}"
    return web.json_response({"sha": sha, "url": url, "files": []})


def list_statuses(call: Call) -> web.StreamResponse:
    repo = call.repo()
    sha = repo.resolve(call.arg("ref")) or call.arg("ref")
    found = [s for s in reversed(repo.statuses) if s["sha"] == sha]
    return call.paginate([call.shapes.status(repo, sha, s) for s in found])


def _check_annotations(call: Call) -> list[dict[str, Any]]:
    annotations = (call.field("output") or {}).get("annotations") or []
    if len(annotations) > MAX_ANNOTATIONS:
        docs = DOCS + "/checks/runs#update-a-check-run"
        message = f"Only {MAX_ANNOTATIONS} annotations may be sent in one request."
        raise validation_failed("CheckRun", "custom", "annotations", docs, message=message)
    return list(annotations)


_CHECK_FIELDS = ("name", "details_url", "external_id", "status", "conclusion")
_CHECK_TIMES = ("started_at", "completed_at", "output")


def create_check_run(call: Call) -> web.StreamResponse:
    repo = call.repo()
    docs = DOCS + "/checks/runs#create-a-check-run"
    for required in ("name", "head_sha"):
        if not call.field(required):
            raise validation_failed("CheckRun", "missing_field", required, docs)
    run: dict[str, Any] = {"id": call.state.next_id(), "head_sha": call.field("head_sha")}
    run["annotations"] = _check_annotations(call)
    for key in _CHECK_FIELDS + _CHECK_TIMES:
        if call.field(key) is not None:
            run[key] = call.field(key)
    if run.get("conclusion") and "status" not in run:
        run["status"] = "completed"
    repo.check_runs[run["id"]] = run
    shaped = call.shapes.check_run(repo, run)
    return web.json_response(shaped, status=201, headers={"Location": shaped["url"]})


def _check_run(call: Call, repo: RepoRecord) -> dict[str, Any]:
    found = repo.check_runs.get(call.number("id"))
    if found is None:
        raise not_found(DOCS + "/checks/runs#get-a-check-run")
    return found


def get_check_run(call: Call) -> web.StreamResponse:
    repo = call.repo()
    return web.json_response(call.shapes.check_run(repo, _check_run(call, repo)))


def update_check_run(call: Call) -> web.StreamResponse:
    repo = call.repo()
    run = _check_run(call, repo)
    run["annotations"] = run.get("annotations", []) + _check_annotations(call)
    for key in _CHECK_FIELDS + _CHECK_TIMES:
        if call.field(key) is not None:
            run[key] = call.field(key)
    if call.field("conclusion"):
        run["status"] = "completed"
    return web.json_response(call.shapes.check_run(repo, run))


def get_user(call: Call) -> web.StreamResponse:
    identity = call.state.identity
    if _token(call.request) is None:
        raise ApiError(error_response(401, "Requires authentication"))
    if identity["type"] == "Bot":
        docs = DOCS + "/users/users#get-the-authenticated-user"
        raise ApiError(error_response(403, NOT_ACCESSIBLE, docs))
    return web.json_response(call.shapes.user(identity["login"]))


def rate_limit(call: Call) -> web.StreamResponse:
    state = call.state

    def bucket(resource: str) -> dict[str, int]:
        used = state.rate_used.get(resource, 0)
        limit = state.rate_limit
        return {
            "limit": limit,
            "used": used,
            "remaining": max(limit - used, 0),
            "reset": state.rate_reset,
        }

    resources = {name: bucket(name) for name in ("core", "graphql", "search")}
    return web.json_response({"resources": resources, "rate": resources["core"]})


REPO = "/repos/{owner}/{repo}"
NUMBER = "{number:\\d+}"
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", REPO, get_repository),
    ("GET", f"{REPO}/pulls/{NUMBER}", get_pull),
    ("GET", f"{REPO}/pulls/{NUMBER}/files", list_pull_files),
    ("GET", REPO + "/contents/{path:.*}", get_contents),
    ("GET", REPO + "/git/trees/{sha:.+}", get_tree),
    ("GET", REPO + "/git/blobs/{sha}", get_blob),
    ("GET", REPO + "/compare/{basehead:.+}", compare_commits),
    ("GET", f"{REPO}/issues/{NUMBER}/comments", list_comments),
    ("POST", f"{REPO}/issues/{NUMBER}/comments", create_comment),
    ("GET", REPO + "/issues/comments/{id:\\d+}", get_comment),
    ("PATCH", REPO + "/issues/comments/{id:\\d+}", update_comment),
    ("DELETE", REPO + "/issues/comments/{id:\\d+}", delete_comment),
    ("GET", f"{REPO}/labels", list_labels),
    ("POST", f"{REPO}/labels", create_label),
    ("GET", REPO + "/labels/{name}", get_label),
    ("PATCH", REPO + "/labels/{name}", update_label),
    ("DELETE", REPO + "/labels/{name}", delete_label),
    ("GET", f"{REPO}/issues/{NUMBER}/labels", list_issue_labels),
    ("POST", f"{REPO}/issues/{NUMBER}/labels", add_issue_labels),
    ("PUT", f"{REPO}/issues/{NUMBER}/labels", set_issue_labels),
    ("DELETE", f"{REPO}/issues/{NUMBER}/labels/{{name}}", remove_issue_label),
    ("GET", f"{REPO}/issues", list_issues),
    ("POST", f"{REPO}/issues", create_issue),
    ("GET", f"{REPO}/issues/{NUMBER}", get_issue),
    ("PATCH", f"{REPO}/issues/{NUMBER}", update_issue),
    ("POST", REPO + "/statuses/{sha}", create_status),
    ("GET", REPO + "/commits/{ref}/statuses", list_statuses),
    ("GET", REPO + "/commits/{ref}", get_commit),
    ("POST", f"{REPO}/check-runs", create_check_run),
    ("GET", REPO + "/check-runs/{id:\\d+}", get_check_run),
    ("PATCH", REPO + "/check-runs/{id:\\d+}", update_check_run),
    ("GET", "/user", get_user),
    ("GET", "/rate_limit", rate_limit),
]


def graphql_path(prefix: str) -> str:
    """Where GraphQL lives: ``/graphql``, or ``/api/graphql`` beside ``/api/v3``."""
    return prefix.removesuffix("/v3") + "/graphql"


def make_app(state: FakeGitHub, prefix: str = "") -> web.Application:
    """The fake as an aiohttp application; ``prefix`` ``/api/v3`` imitates GitHub Enterprise."""
    app = web.Application(middlewares=[_github_middleware])
    app[STATE_KEY] = state
    app[PREFIX_KEY] = prefix
    for method, path, handler in ROUTES:
        app.router.add_route(method, prefix + path, _wrap(state, prefix, handler))
    app.router.add_route("POST", graphql_path(prefix), _wrap(state, prefix, graphql))
    return app


# --- Serving ------------------------------------------------------------------------------


class FakeGitHubServer:
    """Serves a ``FakeGitHub`` on 127.0.0.1 from a background thread with its own loop."""

    def __init__(self, state: FakeGitHub | None = None, *, prefix: str = "") -> None:
        self.state = state or FakeGitHub()
        self.prefix = prefix
        self.url = ""  # http://127.0.0.1:PORT plus the prefix, once started
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def graphql_url(self) -> str:
        return self.url.removesuffix(self.prefix) + graphql_path(self.prefix)

    def start(self) -> FakeGitHubServer:
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._open())
            except BaseException as error:  # reported to start()
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-github", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    async def _open(self) -> None:
        self._runner = web.AppRunner(make_app(self.state, self.prefix), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}{self.prefix}"

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> FakeGitHubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
