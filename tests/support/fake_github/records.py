"""The fake's records (repositories, commits, issues, comments, labels) and small helpers."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

ACTIONS_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
ACTIONS_APP = {"id": 15368, "slug": "github-actions", "name": "GitHub Actions"}  # its check runs'
#: The REST API version whose shapes the fake serves; a client names it in X-GitHub-Api-Version.
API_VERSION = "2022-11-28"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


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


def is_graphql(path: str) -> bool:
    """Whether ``path`` is the GraphQL endpoint (whose POSTs read, not write)."""
    return path.endswith("/graphql")


@dataclass
class FileChange:
    """One entry of a pull request's changed-files list."""

    filename: str
    status: str = "modified"  # added | modified | removed | renamed | copied | changed | unchanged
    previous_filename: str | None = None
    patch: str | None = None  # as GitHub shows it; None: made from the fake's two commits


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
    dates: dict[str, str] = field(default_factory=dict)  # commit -> when it was committed
    messages: dict[str, str] = field(default_factory=dict)  # commit -> message (made by the API)
    authors: dict[str, dict[str, str]] = field(default_factory=dict)  # commit -> its author
    made_trees: dict[str, dict[str, bytes]] = field(default_factory=dict)  # POST git/trees
    branches: dict[str, str] = field(default_factory=dict)
    issues: dict[int, IssueRecord] = field(default_factory=dict)
    comments: dict[int, CommentRecord] = field(default_factory=dict)
    labels: dict[str, LabelRecord] = field(default_factory=dict)  # keyed by lower-cased name
    statuses: list[dict[str, Any]] = field(default_factory=list)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    collaborators: dict[str, str] = field(default_factory=dict)  # lower-cased login -> role
    reviews: dict[int, dict[str, Any]] = field(default_factory=dict)
    review_comments: dict[int, dict[str, Any]] = field(default_factory=dict)

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
    api_version: str | None = None  # the X-GitHub-Api-Version header, if the request sent one
