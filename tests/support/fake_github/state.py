"""What the fake server knows, plus switches tests flip to make it misbehave."""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import time
import zlib
from collections.abc import Iterable
from typing import Any

from .errors import DOCS, HOLD_LIMIT, NOT_ACCESSIBLE, SECONDARY_DOCS, SECONDARY_RATE_LIMIT, Fault
from .github_app import FakeApp
from .records import (
    ACTIONS_BOT,
    API_VERSION,
    WRITE_METHODS,
    CommentRecord,
    FileChange,
    IssueRecord,
    LabelRecord,
    LoggedRequest,
    PullInfo,
    RepoRecord,
    blob_sha,
    is_graphql,
    now_iso,
)


class FakeGitHub:
    """What the fake server knows, plus switches tests flip to make it misbehave."""

    def __init__(self, identity: dict[str, Any] | None = None) -> None:
        self.identity = dict(identity or ACTIONS_BOT)  # who the token posts as
        self.html_base = "https://github.com"
        self.repos: dict[str, RepoRecord] = {}
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, tuple[str, str, str]] = {}  # tree sha -> (repo, commit, directory)
        self.users: set[str] = set()  # lower-cased logins of the accounts GitHub knows
        self.app: FakeApp | None = None  # the GitHub App, once added
        # (org, team slug), lower-cased -> lower-cased login -> active | pending
        self.teams: dict[tuple[str, str], dict[str, str]] = {}
        self.lock = threading.RLock()
        self.log: list[LoggedRequest] = []
        self.response_statuses: list[int | None] = []  # parallel to ``log``
        # switches
        self.read_only = False  # every write answers 403 "Resource not accessible by integration"
        self.delay = 0.0  # seconds added to every response
        self.faults: list[Fault] = []
        # (commit, path) GraphQL answers `null` for though the file is there, as GitHub does
        # for a submodule or an object it cannot serve; blobs the blobs API answers 404 for
        self.graphql_nulls: set[tuple[str, str]] = set()
        self.gone_blobs: set[str] = set()
        self.valid_tokens: set[str] | None = None  # None: any token is accepted
        self.rate_limit = 5000
        self.enforce_rate_limit = False
        self.expect_api_version = True  # assert_versioned: REST requests must name API_VERSION
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
            self.users.add(owner.lower())
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
        date: str | None = None,
    ) -> str:
        """Store a snapshot (``parent``'s files updated by ``files``; None deletes); its SHA.
        ``date``: when it was committed (ISO 8601, GitHub's ``Z`` form), default now."""
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
            record.dates[sha] = date or now_iso()
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
            self.users.update(login.lower() for login in (user, *issue.assignees))
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
            self.users.add(user.lower())
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

    def add_user(self, login: str) -> None:
        """An account GitHub knows, collaborator on nothing."""
        with self.lock:
            self.users.add(login.lower())

    def add_collaborator(self, repo: str, login: str, role: str = "write") -> None:
        """``login`` gets ``role`` on ``repo``: admin, maintain, write, triage or read."""
        with self.lock:
            self.repo(repo).collaborators[login.lower()] = role
            self.users.add(login.lower())

    def add_team_member(self, team: str, login: str, state: str = "active") -> None:
        """``login`` joins ``team`` (``org/slug``): active, or pending an invitation."""
        org, _, slug = team.lower().partition("/")
        with self.lock:
            self.teams.setdefault((org, slug), {})[login.lower()] = state
            self.users.add(login.lower())

    def add_review(
        self, repo: str, number: int, user: str, state: str, commit_id: str | None = None
    ) -> int:
        """``user`` reviews pull request ``number`` (APPROVED, CHANGES_REQUESTED, COMMENTED)
        at ``commit_id`` (default: its head now); the review's id."""
        with self.lock:
            record = self.repo(repo)
            pull = record.issues[number].pull
            assert pull is not None
            review_id = self.next_id()
            record.reviews[review_id] = {
                "id": review_id,
                "number": number,
                "user": user,
                "body": "",
                "state": state,
                "commit_id": commit_id or pull.head_sha,
                "submitted_at": now_iso(),
            }
            self.users.add(user.lower())
            return review_id

    def dismiss_review(self, repo: str, review_id: int) -> None:
        with self.lock:
            self.repo(repo).reviews[review_id]["state"] = "DISMISSED"

    def add_app(self, slug: str = "tierbot", *, owner: str = "octo") -> FakeApp:
        """The GitHub App ``slug``: its key pair, its installations, the tokens it mints."""
        with self.lock:
            self.app = FakeApp(self.next_id(), slug, owner, self._ids)
            return self.app

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
        return [r for r in self.log if r.method in WRITE_METHODS and not is_graphql(r.path)]

    def reads(self) -> list[LoggedRequest]:
        """Every GET received, and GraphQL queries (POSTs that read)."""
        return [r for r in self.log if r.method not in WRITE_METHODS or is_graphql(r.path)]

    def landed_writes(self) -> list[LoggedRequest]:
        """The writes that were answered with success (2xx)."""
        with self.lock:
            answered = list(zip(self.log, self.response_statuses, strict=True))
        return [
            r
            for r, status in answered
            if r.method in WRITE_METHODS
            and not is_graphql(r.path)
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

    def unversioned(self) -> list[LoggedRequest]:
        """The REST requests received that did not name ``API_VERSION`` (GraphQL has none)."""
        with self.lock:
            return [r for r in self.log if r.api_version != API_VERSION and not is_graphql(r.path)]

    def assert_versioned(self) -> None:
        """Fail unless every REST request received named ``API_VERSION``, as GitHub asks
        (while ``expect_api_version``)."""
        if self.expect_api_version and (missing := self.unversioned()):
            sent = ", ".join(f"{r.method} {r.path} ({r.api_version})" for r in missing[:5])
            raise AssertionError(f"{len(missing)} requests without X-GitHub-Api-Version: {sent}")

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
        after: int = 0,
        landed: bool = False,
    ) -> None:
        """Answer the next ``count`` matching requests, ``after`` more, with a server error;
        ``landed``: handled first, as when GitHub acted but a gateway lost its answer."""
        body = {"message": "Server Error", "documentation_url": DOCS}
        self.inject(
            Fault(count, status, body, method=method, path=path, after=after, landed=landed)
        )

    def rate_limit_next(
        self,
        count: int = 1,
        status: int = 403,
        *,
        retry_after: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        after: int = 0,
    ) -> None:
        """Answer the next ``count`` matching requests as a secondary rate limit."""
        body = {"message": SECONDARY_RATE_LIMIT, "documentation_url": SECONDARY_DOCS}
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.inject(Fault(count, status, body, headers, method, path, after))

    def refuse_writes(self, path: str, count: int = 1000) -> None:
        """Answer the writes to paths matching ``path`` 403 "Resource not accessible by
        integration", as GitHub does for a token lacking that permission (``read_only``
        refuses every write)."""
        body = {"message": NOT_ACCESSIBLE, "documentation_url": DOCS}
        for method in ("POST", "PATCH", "PUT", "DELETE"):
            self.inject(Fault(count, 403, body, method=method, path=path))

    def refuse_reads(self, path: str, count: int = 1000) -> None:
        """Answer the reads of paths matching ``path`` 403 "Resource not accessible by
        integration", as GitHub does for a token its repository's owner did not grant that."""
        body = {"message": NOT_ACCESSIBLE, "documentation_url": DOCS}
        self.inject(Fault(count, 403, body, method="GET", path=path))

    def answer_late_next(
        self, count: int = 1, *, method: str | None = None, path: str | None = None
    ) -> None:
        """Handle the next ``count`` matching requests but hold each answer back until the
        client hangs up: whatever its timeout, it runs out first."""
        self.inject(Fault(count, 0, {}, method=method, path=path, landed=True, stall=HOLD_LIMIT))

    def reset_next(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        after: int = 0,
        landed: bool = False,
    ) -> None:
        """Reset the connection of the next matching request, ``after`` more, instead of
        answering; ``landed``: once it has been handled."""
        self.inject(
            Fault(1, 0, {}, method=method, path=path, after=after, landed=landed, reset=True)
        )

    def inject(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    # --- used by the server -----------------------------------------------------------

    def next_id(self) -> int:
        return next(self._ids)

    def bots(self) -> list[dict[str, Any]]:
        """The identities tokens post as: the configured one, and the App's, if any."""
        return [self.identity, *([self.app.bot] if self.app else [])]

    def is_user(self, login: str) -> bool:
        return login.lower() in self.users or any(b["login"] == login for b in self.bots())

    def user_id(self, login: str) -> int:
        for bot in self.bots():
            if login == bot["login"]:
                return int(bot["id"])
        return zlib.crc32(login.encode()) % 90_000_000 + 1_000_000

    def record(
        self, method: str, path: str, query: dict[str, str], api_version: str | None = None
    ) -> int:
        with self.lock:
            self.log.append(LoggedRequest(method, path, query, api_version))
            self.response_statuses.append(None)
            return len(self.log) - 1

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and fault.matches(method, path):
                    if fault.after > 0:
                        fault.after -= 1
                        continue
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
