"""What GitHub tells tierbot: the port's result records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# What tierbot sends rather than reads, so the pure core builds it; the port names it here.
# A review of a pull request is read, but the promotion gate judges it: the core defines it.
from bot.core.review.check_run import CheckAnnotation as CheckAnnotation
from bot.core.review.gate import PullReview as PullReview
from bot.core.review.suggestions import ReviewCommentDraft as ReviewCommentDraft

# A file there but not read: the pure core judges it, so the core defines it.
from bot.core.rules.evaluate import Unreadable as Unreadable

#: A file at a revision: its bytes; Unreadable where one is there but its content was not
#: given (a submodule, a blob gone, an object git lacks); None where no file is there.
Contents = bytes | Unreadable | None
#: What ``ReadFiles`` answers: each path's contents.
FileContents = dict[str, Contents]


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    base_sha: str
    head_sha: str
    base_ref: str
    head_ref: str
    html_url: str
    author: str
    labels: tuple[str, ...] = ()
    changed_files: int | None = None  # how many files GitHub counts (it lists 3,000 at most)
    body: str = ""
    state: str = "open"  # open | closed (merged or not)
    repository: str = ""  # OWNER/NAME of its base, where it is reviewed


@dataclass(frozen=True, slots=True)
class ChangedFile:
    path: str
    status: str  # added | modified | renamed | removed (GitHub's "changed"/"copied" mapped)
    previous_path: str | None = None
    patch: str | None = None  # the unified diff GitHub shows; None: binary, too large, or git


@dataclass(frozen=True, slots=True)
class FileList:
    files: tuple[ChangedFile, ...]
    truncated: bool = False  # GitHub lists at most 3,000 files of a PR


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    body: str
    author: str
    html_url: str


@dataclass(frozen=True, slots=True)
class ReviewComment:
    id: int
    body: str
    author: str
    path: str
    line: int | None  # None once GitHub has marked it outdated


@dataclass(frozen=True, slots=True)
class Issue:
    number: int
    title: str
    body: str
    state: str  # open | closed
    html_url: str
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckRun:
    id: int
    name: str
    head_sha: str
    status: str  # queued | in_progress | completed
    conclusion: str | None
    html_url: str
    app_slug: str | None = None  # the App that created it (ours: the login without "[bot]")
    title: str | None = None
    summary: str | None = None
    annotations_count: int = 0  # GitHub appends each update's annotations to these
    external_id: str = ""  # the integrator's reference: tierbot's, the review that holds it
    started_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CommitStatus:
    context: str
    state: str  # error | failure | pending | success
    description: str
    target_url: str | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    """Who made a commit, and when (midnight UTC of ``day``)."""

    name: str
    email: str
    day: date


@dataclass(frozen=True, slots=True)
class BranchCommit:
    sha: str
    message: str
    day: date  # its author date


@dataclass(frozen=True, slots=True)
class BranchCommits:
    commits: tuple[BranchCommit, ...]  # what head has that base lacks, oldest first
    on_base: bool  # whether head holds base (nothing of base is missing from it)
