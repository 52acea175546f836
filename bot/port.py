"""The GitHub port: operations as data, and the drivers that run a job against an adapter.

A job (publishing a review, a quarterly issue) is a generator that yields operations and
receives their results. It holds all the logic; an adapter (PyGithub, sync; gidgethub,
async) only executes one operation at a time, so both adapters run the very same job.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from bot.config import LabelSpec
from bot.errors import RetryableError

log = logging.getLogger(__name__)

T = TypeVar("T")


# --- What GitHub tells us -------------------------------------------------------------


@dataclass(frozen=True)
class PullRequest:
    number: int
    base_sha: str
    head_sha: str
    base_ref: str
    head_ref: str
    html_url: str
    author: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangedFile:
    path: str
    status: str  # added | modified | renamed | removed (GitHub's "changed"/"copied" mapped)
    previous_path: str | None = None


@dataclass(frozen=True)
class FileList:
    files: tuple[ChangedFile, ...]
    truncated: bool = False  # GitHub lists at most 3,000 files of a PR


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    author: str
    html_url: str


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    state: str  # open | closed
    html_url: str
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepositoryHealth:
    full_name: str
    stars: int
    pushed_at: str | None  # ISO 8601
    archived: bool


# --- Operations ------------------------------------------------------------------------


@dataclass(frozen=True)
class GetPullRequest:
    number: int  # -> PullRequest


@dataclass(frozen=True)
class ListPullFiles:
    number: int  # -> FileList


@dataclass(frozen=True)
class GetMergeBase:
    base: str
    head: str  # -> str, the SHA where head's branch left base


@dataclass(frozen=True)
class ReadFiles:
    ref: str  # a commit SHA
    paths: tuple[str, ...]  # -> dict[str, bytes | None]; None where the path does not exist


@dataclass(frozen=True)
class ListTree:
    ref: str  # -> tuple[str, ...], every blob path at ref


@dataclass(frozen=True)
class ResolveRef:
    ref: str  # a branch, tag or HEAD (the default branch) -> str, the commit SHA


@dataclass(frozen=True)
class ListComments:
    issue_number: int  # -> tuple[Comment, ...]


@dataclass(frozen=True)
class CreateComment:
    issue_number: int
    body: str  # -> Comment


@dataclass(frozen=True)
class UpdateComment:
    comment_id: int
    body: str  # -> Comment


@dataclass(frozen=True)
class CreateLabel:
    label: LabelSpec  # -> None; raises AlreadyExists


@dataclass(frozen=True)
class DeleteLabel:
    name: str  # -> None; raises NotFound


@dataclass(frozen=True)
class AddLabels:
    issue_number: int
    names: tuple[str, ...]  # -> None


@dataclass(frozen=True)
class RemoveLabel:
    issue_number: int
    name: str  # -> None; raises NotFound when the label is not on the issue


@dataclass(frozen=True)
class SetCommitStatus:
    sha: str
    state: str  # success | failure | pending | error
    context: str
    description: str  # at most 140 characters
    target_url: str | None = None  # -> None


@dataclass(frozen=True)
class ListIssues:
    label: str
    state: str = "all"  # -> tuple[Issue, ...], pull requests left out


@dataclass(frozen=True)
class CreateIssue:
    title: str
    body: str
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()  # -> Issue


@dataclass(frozen=True)
class UpdateIssue:
    number: int
    title: str | None = None
    body: str | None = None
    state: str | None = None
    state_reason: str | None = None  # -> Issue


@dataclass(frozen=True)
class GetRepository:
    full_name: str  # -> RepositoryHealth


@dataclass(frozen=True)
class Sleep:
    seconds: float  # -> None


Operation = (
    GetPullRequest
    | ListPullFiles
    | GetMergeBase
    | ReadFiles
    | ListTree
    | ResolveRef
    | ListComments
    | CreateComment
    | UpdateComment
    | CreateLabel
    | DeleteLabel
    | AddLabels
    | RemoveLabel
    | SetCommitStatus
    | ListIssues
    | CreateIssue
    | UpdateIssue
    | GetRepository
    | Sleep
)

#: Operations that change something on GitHub (dry runs skip them).
WRITES = (
    CreateComment,
    UpdateComment,
    CreateLabel,
    DeleteLabel,
    AddLabels,
    RemoveLabel,
    SetCommitStatus,
    CreateIssue,
    UpdateIssue,
)

Job = Generator[Operation, Any, T]


class Forge(Protocol):
    """A synchronous adapter: executes one operation, raising ``bot.errors.ForgeError``s."""

    login: str  # the identity the adapter posts as, e.g. "github-actions[bot]"

    def execute(self, op: Operation) -> Any: ...


class AsyncForge(Protocol):
    """An asynchronous adapter, same contract as ``Forge``."""

    login: str

    async def execute(self, op: Operation) -> Any: ...


# --- Retrying and driving -------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded backoff for 5xx answers and secondary rate limits."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, error: RetryableError, attempt: int) -> float | None:
        """Seconds to wait after failed attempt number ``attempt``, or None to give up."""
        if attempt >= self.attempts:
            return None
        if error.retry_after is not None:
            # GitHub's own hint wins; one longer than we are willing to wait ends the run.
            return error.retry_after if error.retry_after <= self.max_delay else None
        return min(self.base_delay * 2 ** (attempt - 1), self.max_delay)


#: Writes that a 5xx answer may have made anyway: retrying blindly could make them twice,
#: so the job is told instead and looks before it writes again.
NOT_IDEMPOTENT = (CreateComment, CreateIssue)


def _next_delay(op: Operation, error: Exception, attempt: int, policy: RetryPolicy) -> float:
    """The wait before retrying ``op``; re-raises ``error`` when it is not worth retrying."""
    if not isinstance(error, RetryableError):
        raise error
    if isinstance(op, NOT_IDEMPOTENT) and (error.status or 0) >= 500:
        raise error
    delay = policy.delay(error, attempt)
    if delay is None:
        raise error
    log.warning("%s failed (%s); retry %d in %.1f s", type(op).__name__, error, attempt, delay)
    return delay


def run(job: Job[T], execute: Callable[[Operation], Any], policy: RetryPolicy = RetryPolicy()) -> T:
    """Drive ``job`` to completion with a synchronous ``execute``."""
    import time

    def attempt(op: Operation) -> Any:
        if isinstance(op, Sleep):
            return time.sleep(op.seconds)
        for number in itertools.count(1):
            try:
                return execute(op)
            except Exception as error:
                time.sleep(_next_delay(op, error, number, policy))

    return _drive(job, attempt)


async def run_async(
    job: Job[T],
    execute: Callable[[Operation], Awaitable[Any]],
    policy: RetryPolicy = RetryPolicy(),
) -> T:
    """Drive ``job`` to completion with an asynchronous ``execute``."""
    import asyncio

    try:
        op = next(job)
        while True:
            try:
                if isinstance(op, Sleep):
                    result = await asyncio.sleep(op.seconds)
                else:
                    for number in itertools.count(1):
                        try:
                            result = await execute(op)
                            break
                        except Exception as error:
                            await asyncio.sleep(_next_delay(op, error, number, policy))
            except Exception as error:  # handed to the job, which decides
                op = job.throw(error)
            else:
                op = job.send(result)
    except StopIteration as stop:
        return stop.value


def _drive(job: Job[T], attempt: Callable[[Operation], Any]) -> T:
    try:
        op = next(job)
        while True:
            try:
                result = attempt(op)
            except Exception as error:  # handed to the job, which decides
                op = job.throw(error)
            else:
                op = job.send(result)
    except StopIteration as stop:
        return stop.value


def describe(op: Operation, width: int = 60) -> str:
    """One line naming an operation and its arguments, long ones shortened."""
    arguments = []
    for name, value in vars(op).items():
        text = repr(value)
        arguments.append(f"{name}={text if len(text) <= width else text[: width - 1] + '…'}")
    return f"{type(op).__name__}({', '.join(arguments)})"


@dataclass
class Recorder:
    """Collects the writes a dry run would have made."""

    writes: list[Operation] = field(default_factory=list)


def dry(execute: Callable[[Operation], Any], recorder: Recorder) -> Callable[[Operation], Any]:
    """Wrap ``execute`` so that writes are recorded instead of made."""

    def execute_reads_only(op: Operation) -> Any:
        if isinstance(op, WRITES):
            recorder.writes.append(op)
            return None
        return execute(op)

    return execute_reads_only
