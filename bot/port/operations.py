"""The operations a job asks, one frozen record each, typed by the result it is answered with."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from bot.core.config import LabelSpec
from bot.core.quarterly.model import RepositoryHealth
from bot.port.results import (
    BranchCommits,
    CheckAnnotation,
    CheckRun,
    Comment,
    CommitStatus,
    FileContents,
    FileList,
    Issue,
    PullRequest,
    PullReview,
    ReviewComment,
    ReviewCommentDraft,
    Signature,
)

R = TypeVar("R", covariant=True)  # what an operation is answered with
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Operation(Generic[R]):
    """A request to GitHub as data; ``R``, declared once by each operation, is its result."""


@dataclass(frozen=True, slots=True)
class Write(Operation[R | None]):
    """An operation that changes something on GitHub; a dry run answers it None."""


#: A job: yields operations, is sent their results (typed by ``ask``), returns a T.
Job = Generator[Operation[Any], object, T]


def ask(op: Operation[T]) -> Job[T]:
    """``op``'s result, as ``op`` types it: a job writes ``x = yield from ask(Op(...))``."""
    result = yield op
    return cast(T, result)  # the one place a result is taken as its operation declares


@dataclass(frozen=True, slots=True)
class GetPullRequest(Operation[PullRequest]):
    number: int


@dataclass(frozen=True, slots=True)
class ListPullFiles(Operation[FileList]):
    number: int
    changed_files: int | None = None  # the PR's own count, when known: spares a request


@dataclass(frozen=True, slots=True)
class CompareCommits(Operation[FileList]):
    """What head changed since base (the git adapter answers it)."""

    base: str
    head: str
    directories: tuple[str, ...] = ()  # only under these (none: everywhere)


@dataclass(frozen=True, slots=True)
class GetMergeBase(Operation[str]):
    """The SHA where head's branch left base."""

    base: str
    head: str


@dataclass(frozen=True, slots=True)
class ReadFiles(Operation[FileContents]):
    ref: str  # a commit SHA
    paths: tuple[str, ...]
    repository: str | None = None  # OWNER/NAME of another repository (the owner's settings)


@dataclass(frozen=True, slots=True)
class ListTree(Operation[tuple[str, ...]]):
    """Every blob path at ``ref``."""

    ref: str


@dataclass(frozen=True, slots=True)
class LastCommitDates(Operation[dict[str, datetime | None]]):
    """When the newest commit at or before ``ref`` that changed each path was committed;
    None where no commit did."""

    ref: str  # a commit SHA
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CommitAsOf(Operation[str | None]):
    """The newest commit of ref's first-parent history committed at or before ``moment``;
    None where there is none (the history starts later, or a shallow clone cut it)."""

    ref: str  # a commit SHA
    moment: datetime


@dataclass(frozen=True, slots=True)
class ResolveRef(Operation[str]):
    """The commit SHA of a branch, a tag or HEAD (the default branch)."""

    ref: str
    repository: str | None = None  # OWNER/NAME of another repository (the owner's settings)


@dataclass(frozen=True, slots=True)
class ListComments(Operation[tuple[Comment, ...]]):
    issue_number: int


@dataclass(frozen=True, slots=True)
class CreateComment(Write[Comment]):
    issue_number: int
    body: str


@dataclass(frozen=True, slots=True)
class UpdateComment(Write[Comment]):
    comment_id: int
    body: str


@dataclass(frozen=True, slots=True)
class DeleteComment(Write[None]):
    comment_id: int  # raises NotFound when it is gone already


@dataclass(frozen=True, slots=True)
class CreateLabel(Write[None]):
    label: LabelSpec  # raises AlreadyExists


@dataclass(frozen=True, slots=True)
class DeleteLabel(Write[None]):
    name: str  # raises NotFound


@dataclass(frozen=True, slots=True)
class AddLabels(Write[None]):
    issue_number: int
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RemoveLabel(Write[None]):
    issue_number: int
    name: str  # raises NotFound when the label is not on the issue


@dataclass(frozen=True, slots=True)
class SetCommitStatus(Write[None]):
    sha: str
    state: str  # success | failure | pending | error
    context: str
    description: str  # at most 140 characters
    target_url: str | None = None


@dataclass(frozen=True, slots=True)
class GetCommitStatus(Operation[CommitStatus | None]):
    """The newest status of that context on the commit."""

    sha: str
    context: str


@dataclass(frozen=True, slots=True)
class ListIssues(Operation[tuple[Issue, ...]]):
    """Pull requests left out."""

    label: str
    state: str = "all"


@dataclass(frozen=True, slots=True)
class CreateIssue(Write[Issue]):
    title: str
    body: str
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateIssue(Write[Issue]):
    number: int
    title: str | None = None
    body: str | None = None
    state: str | None = None
    state_reason: str | None = None


@dataclass(frozen=True, slots=True)
class GetRepository(Operation[RepositoryHealth]):
    full_name: str


@dataclass(frozen=True, slots=True)
class GetPermission(Operation[str]):
    """The user's permission on the repository: admin | write | read | none."""

    user: str


@dataclass(frozen=True, slots=True)
class ListCheckRuns(Operation[tuple[CheckRun, ...]]):
    """The runs of that name on the commit, newest first."""

    head_sha: str
    name: str


@dataclass(frozen=True, slots=True)
class GetCheckRun(Operation[CheckRun]):
    check_run_id: int


@dataclass(frozen=True, slots=True)
class CreateCheckRun(Write[CheckRun]):
    head_sha: str
    name: str
    status: str = "in_progress"
    details_url: str | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateCheckRun(Write[CheckRun]):
    check_run_id: int
    status: str | None = None  # in_progress | completed (implied by a conclusion)
    conclusion: str | None = None  # success | failure | neutral | cancelled | ...
    title: str | None = None
    summary: str | None = None  # at most 65,535 characters
    text: str | None = None
    annotations: tuple[CheckAnnotation, ...] = ()  # at most 50 a request; GitHub appends them
    external_id: str | None = None
    started_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ListReviewComments(Operation[tuple[ReviewComment, ...]]):
    """The pull request's line comments, oldest first."""

    number: int


@dataclass(frozen=True, slots=True)
class ListPullReviews(Operation[tuple[PullReview, ...]]):
    """The pull request's reviews, oldest first."""

    number: int


@dataclass(frozen=True, slots=True)
class GetTeamMembership(Operation[str | None]):
    """The user's membership of the organisation's team: active | pending; None: none."""

    org: str
    team_slug: str
    user: str


@dataclass(frozen=True, slots=True)
class CreateReview(Write[str]):
    """A review of event COMMENT; its URL."""

    number: int
    commit_id: str  # the head the lines are counted at
    body: str
    comments: tuple[ReviewCommentDraft, ...]


@dataclass(frozen=True, slots=True)
class GetBranch(Operation[str | None]):
    """The commit SHA the branch points to; None: no such branch."""

    name: str


@dataclass(frozen=True, slots=True)
class ListBranchCommits(Operation[BranchCommits]):
    """What head has that base lacks, oldest first."""

    base: str
    head: str


@dataclass(frozen=True, slots=True)
class CreateCommit(Write[str]):
    """A commit on no branch yet: parent's tree with ``files`` set; its SHA."""

    parent: str
    files: tuple[tuple[str, bytes], ...]  # (path, content)
    message: str
    signature: Signature  # its author and committer: a fixed date makes the SHA the same


@dataclass(frozen=True, slots=True)
class CreateBranch(Write[None]):
    """Raises AlreadyExists when the branch exists."""

    name: str
    sha: str


@dataclass(frozen=True, slots=True)
class MoveBranch(Write[None]):
    """Without ``force``, raises AlreadyExists unless a fast-forward."""

    name: str
    sha: str
    force: bool = False


@dataclass(frozen=True, slots=True)
class ListPulls(Operation[tuple[PullRequest, ...]]):
    """The pull requests from a branch of the repository, lowest number first."""

    head: str
    state: str = "open"


@dataclass(frozen=True, slots=True)
class CreatePull(Write[PullRequest]):
    """Raises AlreadyExists when one is open for ``head``."""

    title: str
    head: str
    base: str
    body: str


@dataclass(frozen=True, slots=True)
class UpdatePull(Write[PullRequest]):
    number: int
    body: str | None = None
    state: str | None = None


@dataclass(frozen=True, slots=True)
class Sleep(Operation[None]):
    """The driver waits; no adapter is asked."""

    seconds: float


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


def may_double(op: Operation[Any]) -> bool:
    """Whether a 5xx answer to ``op`` may hide a write made all the same, which a blind retry
    would make twice: a create, or a check-run update whose annotations GitHub appends."""
    return isinstance(op, NOT_IDEMPOTENT) or (
        isinstance(op, UpdateCheckRun) and bool(op.annotations)
    )


def describe_operation(op: Operation[Any], width: int = 60) -> str:
    """One line naming an operation and its arguments, long ones shortened."""
    arguments = []
    for field in fields(op):
        text = repr(getattr(op, field.name))
        arguments.append(f"{field.name}={text if len(text) <= width else text[: width - 1] + '…'}")
    return f"{type(op).__name__}({', '.join(arguments)})"
