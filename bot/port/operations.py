"""The operations a job yields, one frozen record each; the comment names the result type."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from bot.core.config import LabelSpec
from bot.port.results import CheckAnnotation, ReviewCommentDraft, Signature

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class GetPullRequest:
    number: int  # -> PullRequest


@dataclass(frozen=True, slots=True)
class ListPullFiles:
    number: int
    changed_files: int | None = None  # the PR's own count, when known: spares a request
    # -> FileList


@dataclass(frozen=True, slots=True)
class CompareCommits:
    base: str
    head: str  # -> FileList: what head changed since base (the git adapter answers it)
    directories: tuple[str, ...] = ()  # only under these (none: everywhere)


@dataclass(frozen=True, slots=True)
class GetMergeBase:
    base: str
    head: str  # -> str, the SHA where head's branch left base


@dataclass(frozen=True, slots=True)
class ReadFiles:
    ref: str  # a commit SHA
    paths: tuple[str, ...]
    # -> dict[str, bytes | Unreadable | None]: None where no file is there, Unreadable where
    # one is but its content was not given (a submodule, a blob gone, an object git lacks)


@dataclass(frozen=True, slots=True)
class ListTree:
    ref: str  # -> tuple[str, ...], every blob path at ref


@dataclass(frozen=True, slots=True)
class LastCommitDates:
    ref: str  # a commit SHA
    paths: tuple[str, ...]
    # -> dict[str, datetime | None]: when the newest commit at or before ref that changed
    # each path was committed; None where no commit did


@dataclass(frozen=True, slots=True)
class CommitAsOf:
    ref: str  # a commit SHA
    moment: datetime
    # -> str | None: the newest commit of ref's first-parent history committed at or before
    # moment; None where there is none (the history starts later, or a shallow clone cut it)


@dataclass(frozen=True, slots=True)
class ResolveRef:
    ref: str  # a branch, tag or HEAD (the default branch) -> str, the commit SHA


@dataclass(frozen=True, slots=True)
class ListComments:
    issue_number: int  # -> tuple[Comment, ...]


@dataclass(frozen=True, slots=True)
class CreateComment:
    issue_number: int
    body: str  # -> Comment


@dataclass(frozen=True, slots=True)
class UpdateComment:
    comment_id: int
    body: str  # -> Comment


@dataclass(frozen=True, slots=True)
class DeleteComment:
    comment_id: int  # -> None; raises NotFound when it is gone already


@dataclass(frozen=True, slots=True)
class CreateLabel:
    label: LabelSpec  # -> None; raises AlreadyExists


@dataclass(frozen=True, slots=True)
class DeleteLabel:
    name: str  # -> None; raises NotFound


@dataclass(frozen=True, slots=True)
class AddLabels:
    issue_number: int
    names: tuple[str, ...]  # -> None


@dataclass(frozen=True, slots=True)
class RemoveLabel:
    issue_number: int
    name: str  # -> None; raises NotFound when the label is not on the issue


@dataclass(frozen=True, slots=True)
class SetCommitStatus:
    sha: str
    state: str  # success | failure | pending | error
    context: str
    description: str  # at most 140 characters
    target_url: str | None = None  # -> None


@dataclass(frozen=True, slots=True)
class GetCommitStatus:
    sha: str
    context: str  # -> CommitStatus | None, the newest status of that context on the commit


@dataclass(frozen=True, slots=True)
class ListIssues:
    label: str
    state: str = "all"  # -> tuple[Issue, ...], pull requests left out


@dataclass(frozen=True, slots=True)
class CreateIssue:
    title: str
    body: str
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()  # -> Issue


@dataclass(frozen=True, slots=True)
class UpdateIssue:
    number: int
    title: str | None = None
    body: str | None = None
    state: str | None = None
    state_reason: str | None = None  # -> Issue


@dataclass(frozen=True, slots=True)
class GetRepository:
    full_name: str  # -> RepositoryHealth


@dataclass(frozen=True, slots=True)
class GetPermission:
    user: str  # -> str: admin | write | read | none, the user's permission on the repository


@dataclass(frozen=True, slots=True)
class ListCheckRuns:
    head_sha: str
    name: str  # -> tuple[CheckRun, ...], the runs of that name on the commit, newest first


@dataclass(frozen=True, slots=True)
class GetCheckRun:
    check_run_id: int  # -> CheckRun


@dataclass(frozen=True, slots=True)
class CreateCheckRun:
    head_sha: str
    name: str
    status: str = "in_progress"
    details_url: str | None = None
    external_id: str | None = None  # -> CheckRun


@dataclass(frozen=True, slots=True)
class UpdateCheckRun:
    check_run_id: int
    status: str | None = None  # in_progress | completed (implied by a conclusion)
    conclusion: str | None = None  # success | failure | neutral | cancelled | ...
    title: str | None = None
    summary: str | None = None  # at most 65,535 characters
    text: str | None = None
    annotations: tuple[CheckAnnotation, ...] = ()  # at most 50 a request; GitHub appends them
    external_id: str | None = None
    started_at: datetime | None = None
    # -> CheckRun


@dataclass(frozen=True, slots=True)
class ListReviewComments:
    number: int  # -> tuple[ReviewComment, ...], the pull request's line comments, oldest first


@dataclass(frozen=True, slots=True)
class CreateReview:
    number: int
    commit_id: str  # the head the lines are counted at
    body: str
    comments: tuple[ReviewCommentDraft, ...]  # -> str, the review's URL; event COMMENT


@dataclass(frozen=True, slots=True)
class GetBranch:
    name: str  # -> str | None, the commit SHA the branch points to; None: no such branch


@dataclass(frozen=True, slots=True)
class ListBranchCommits:
    base: str
    head: str  # -> BranchCommits: what head has that base lacks, oldest first


@dataclass(frozen=True, slots=True)
class CreateCommit:
    parent: str
    files: tuple[tuple[str, bytes], ...]  # (path, content): parent's tree with these set
    message: str
    signature: Signature  # its author and committer: a fixed date makes the SHA the same
    # -> str, the new commit's SHA (on no branch yet)


@dataclass(frozen=True, slots=True)
class CreateBranch:
    name: str
    sha: str  # -> None; raises AlreadyExists when the branch exists


@dataclass(frozen=True, slots=True)
class MoveBranch:
    name: str
    sha: str
    force: bool = False  # -> None; without force raises AlreadyExists unless a fast-forward


@dataclass(frozen=True, slots=True)
class ListPulls:
    head: str  # a branch of the repository
    state: str = "open"  # -> tuple[PullRequest, ...], lowest number first


@dataclass(frozen=True, slots=True)
class CreatePull:
    title: str
    head: str
    base: str
    body: str  # -> PullRequest; raises AlreadyExists when one is open for head


@dataclass(frozen=True, slots=True)
class UpdatePull:
    number: int
    body: str | None = None
    state: str | None = None  # -> PullRequest


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float  # -> None; the driver waits, no adapter is asked


Operation = (
    GetPullRequest
    | ListPullFiles
    | CompareCommits
    | GetMergeBase
    | ReadFiles
    | ListTree
    | LastCommitDates
    | CommitAsOf
    | ResolveRef
    | ListComments
    | CreateComment
    | UpdateComment
    | DeleteComment
    | CreateLabel
    | DeleteLabel
    | AddLabels
    | RemoveLabel
    | SetCommitStatus
    | GetCommitStatus
    | ListIssues
    | CreateIssue
    | UpdateIssue
    | GetRepository
    | GetPermission
    | ListCheckRuns
    | GetCheckRun
    | CreateCheckRun
    | UpdateCheckRun
    | ListReviewComments
    | CreateReview
    | GetBranch
    | ListBranchCommits
    | CreateCommit
    | CreateBranch
    | MoveBranch
    | ListPulls
    | CreatePull
    | UpdatePull
    | Sleep
)

#: Operations that change something on GitHub (dry runs skip them).
WRITES = (
    CreateComment,
    UpdateComment,
    DeleteComment,
    CreateLabel,
    DeleteLabel,
    AddLabels,
    RemoveLabel,
    SetCommitStatus,
    CreateIssue,
    UpdateIssue,
    CreateCheckRun,
    UpdateCheckRun,
    CreateReview,
    CreateCommit,
    CreateBranch,
    MoveBranch,
    CreatePull,
    UpdatePull,
)

#: Writes that a 5xx answer may have made anyway: retrying blindly could make them twice,
#: so the job is told instead and looks before it writes again.
NOT_IDEMPOTENT = (
    CreateComment,
    CreateIssue,
    CreateCheckRun,
    SetCommitStatus,
    CreateReview,
    CreatePull,
)


def may_double(op: Operation) -> bool:
    """Whether a 5xx answer to ``op`` may hide a write made all the same, which a blind retry
    would make twice: a create, or a check-run update whose annotations GitHub appends."""
    return isinstance(op, NOT_IDEMPOTENT) or (
        isinstance(op, UpdateCheckRun) and bool(op.annotations)
    )


#: A job: yields operations, is sent their results, returns a T.
Job = Generator[Operation, Any, T]


def describe_operation(op: Operation, width: int = 60) -> str:
    """One line naming an operation and its arguments, long ones shortened."""
    arguments = []
    for field in fields(op):
        text = repr(getattr(op, field.name))
        arguments.append(f"{field.name}={text if len(text) <= width else text[: width - 1] + '…'}")
    return f"{type(op).__name__}({', '.join(arguments)})"
