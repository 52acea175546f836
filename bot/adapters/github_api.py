"""GitHub's shapes and rules, for every GitHub adapter: JSON to port records, HTTP status (or no
answer) to ``bot.errors``, the spacing of writes. No transport here (GraphQL: github_graphql)."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from bot.core.limits import MAX_COMPARE_FILES
from bot.core.quarterly.model import RepositoryHealth
from bot.errors import AlreadyExists, ForgeError, NotFound, RetryableError, TokenCannotWrite
from bot.port.operations import CreateComment, CreateIssue, CreatePull, CreateReview
from bot.port.results import (
    BranchCommit,
    BranchCommits,
    ChangedFile,
    CheckRun,
    Comment,
    CommitStatus,
    FileList,
    Issue,
    PullRequest,
    ReviewComment,
    Signature,
)

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.github.com"
#: The REST API version tierbot is written against: GitHub asks every request to name its own.
API_VERSION = "2022-11-28"
SECONDARY_LIMIT_WAIT = 60.0  # GitHub: wait at least a minute when it gives no Retry-After
FILE_STATUSES = {
    "added": "added",
    "modified": "modified",
    "removed": "removed",
    "renamed": "renamed",
    "copied": "added",
    "changed": "modified",
    "unchanged": "modified",
}
#: Writes that notify people: GitHub asks for about a second between them.
CONTENT_CREATING = (CreateComment, CreateIssue, CreateReview, CreatePull)


def version_header() -> dict[str, str]:
    """The header naming ``API_VERSION``, in a dict of its own (clients add theirs to it)."""
    return {"X-GitHub-Api-Version": API_VERSION}


def graphql_url_for(api_url: str) -> str:
    """GitHub's GraphQL endpoint beside a REST base URL (``…/api/v3`` -> ``…/api/graphql``)."""
    parts = urlsplit(api_url.rstrip("/"))
    return urlunsplit(parts._replace(path=parts.path.removesuffix("/v3") + "/graphql"))


# --- JSON to port records ---------------------------------------------------------------


def login_of(user: Mapping[str, Any] | None) -> str:
    return str(user["login"]) if user else "ghost"  # GitHub shows deleted accounts as "ghost"


def pull_request(data: Mapping[str, Any]) -> PullRequest:
    return PullRequest(
        number=data["number"],
        base_sha=data["base"]["sha"],
        head_sha=data["head"]["sha"],
        base_ref=data["base"]["ref"],
        head_ref=data["head"]["ref"],
        html_url=data["html_url"],
        author=login_of(data.get("user")),
        labels=tuple(label["name"] for label in data.get("labels") or ()),
        changed_files=data.get("changed_files"),
        body=data.get("body") or "",
        state=data.get("state") or "open",
        repository=(data["base"].get("repo") or {}).get("full_name") or "",
    )


def changed_file(entry: Mapping[str, Any]) -> ChangedFile:
    status = FILE_STATUSES.get(entry["status"])
    if status is None:
        log.warning(
            "unknown file status %r for %s: taken as modified", entry["status"], entry["filename"]
        )
        status = "modified"
    previous = entry.get("previous_filename") if status == "renamed" else None
    return ChangedFile(entry["filename"], status, previous, entry.get("patch"))


def compared_files(data: Mapping[str, Any], directories: tuple[str, ...] = ()) -> FileList:
    """A compare answer's files (at most ``MAX_COMPARE_FILES``), those under ``directories``
    (none: all), renames as renames."""
    entries = data.get("files") or []
    files = tuple(
        changed_file(entry)
        for entry in entries
        if not directories
        or entry["filename"].startswith(directories)
        or (entry.get("previous_filename") or "").startswith(directories)
    )
    if len(entries) >= MAX_COMPARE_FILES:
        log.warning("GitHub compared the first %d files only", len(entries))
    return FileList(files, len(entries) >= MAX_COMPARE_FILES)


def comment(data: Mapping[str, Any]) -> Comment:
    return Comment(data["id"], data.get("body") or "", login_of(data.get("user")), data["html_url"])


def review_comment(data: Mapping[str, Any]) -> ReviewComment:
    author = login_of(data.get("user"))
    return ReviewComment(data["id"], data.get("body") or "", author, data["path"], data.get("line"))


def issue(data: Mapping[str, Any]) -> Issue:
    return Issue(
        number=data["number"],
        title=data["title"],
        body=data.get("body") or "",
        state=data["state"],
        html_url=data["html_url"],
        labels=tuple(label["name"] for label in data.get("labels") or ()),
        assignees=tuple(login_of(user) for user in data.get("assignees") or ()),
    )


def repository_health(data: Mapping[str, Any]) -> RepositoryHealth:
    return RepositoryHealth(
        full_name=data["full_name"],
        stars=data.get("stargazers_count", 0),
        pushed_at=data.get("pushed_at"),
        archived=bool(data.get("archived")),
    )


def check_run(data: Mapping[str, Any]) -> CheckRun:
    output = data.get("output") or {}
    return CheckRun(
        id=data["id"],
        name=data["name"],
        head_sha=data["head_sha"],
        status=data["status"],
        conclusion=data.get("conclusion"),
        html_url=data["html_url"],
        app_slug=(data.get("app") or {}).get("slug"),
        title=output.get("title"),
        summary=output.get("summary"),
        annotations_count=output.get("annotations_count") or 0,
        external_id=data.get("external_id") or "",
        started_at=timestamp(data.get("started_at")),
    )


def timestamp(text: str | None) -> datetime | None:
    """A GitHub timestamp (``2020-10-20T01:10:20Z``), when there is one."""
    return datetime.fromisoformat(text) if text else None


def iso_timestamp(moment: datetime) -> str:
    """``moment`` as GitHub writes timestamps: UTC, to the second, with a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def branch_commits(data: Mapping[str, Any]) -> BranchCommits:
    """A compare answer's commits (oldest first), and whether head holds base."""
    commits = tuple(
        BranchCommit(
            entry["sha"],
            entry["commit"]["message"],
            datetime.fromisoformat(entry["commit"]["author"]["date"]).date(),
        )
        for entry in data.get("commits") or ()
    )
    return BranchCommits(commits, not data.get("behind_by"))


def signature(who: Signature) -> dict[str, str]:
    """A commit's author or committer as the Git Data API takes it."""
    moment = datetime(who.day.year, who.day.month, who.day.day, tzinfo=UTC)
    return {"name": who.name, "email": who.email, "date": iso_timestamp(moment)}


def error_messages(data: Any) -> str:
    """A 422's message and its errors' messages, lower-cased, to tell its causes apart."""
    if not isinstance(data, Mapping):
        return ""
    details = [e.get("message", "") for e in data.get("errors") or () if isinstance(e, Mapping)]
    return " ".join([str(data.get("message") or ""), *map(str, details)]).lower()


def commit_status(data: Mapping[str, Any]) -> CommitStatus:
    return CommitStatus(
        context=data["context"],
        state=data["state"],
        description=data.get("description") or "",
        target_url=data.get("target_url"),
    )


def permission(data: Mapping[str, Any]) -> str:
    """admin | write | read | none: GitHub maps maintain to write and triage to read."""
    return str(data["permission"])


def next_link(header: str | None, rel: str = "next") -> str | None:
    """The ``rel="next"`` (or other ``rel``) URL of a Link header, if any."""
    for part in (header or "").split(","):
        url, _, named = part.partition(";")
        if named.strip() == f'rel="{rel}"':
            return url.strip().strip("<>")
    return None


def later_pages(header: str | None, most: int) -> list[str]:
    """The URLs of the pages after this one, at most ``most``, when the Link header numbers
    them (``page=``, a ``last`` link); none when it does not (a cursor: follow ``next``)."""
    following, last = next_link(header), next_link(header, "last")
    if following is None or last is None:
        return []
    url = urlsplit(following)
    query = parse_qs(url.query)
    last_query = parse_qs(urlsplit(last).query)
    if "page" not in query or "page" not in last_query:
        return []
    first, final = int(query["page"][0]), int(last_query["page"][0])
    return [
        urlunsplit(url._replace(query=urlencode({**query, "page": [page]}, doseq=True)))
        for page in range(first, min(final, first + most - 1) + 1)
    ]


# --- The blobs API -----------------------------------------------------------------------


def blob_bytes(data: Mapping[str, Any]) -> bytes:
    """A blobs API answer's content (base64, in 60-character lines; or plain UTF-8)."""
    if data.get("encoding", "base64") == "base64":
        return base64.b64decode(data["content"])
    return str(data["content"]).encode("utf-8")


def blob_refused(status: int, data: Any) -> str:
    """Why the blobs API gave no content for a blob GraphQL had named: the reason shown."""
    message = data.get("message") if isinstance(data, Mapping) else None
    said = f": {message}" if message else ""
    return f"the blob GraphQL named is no longer served: the blobs API answered {status}{said}"


# --- Errors ----------------------------------------------------------------------------------


def retry_after(headers: Mapping[str, Any]) -> float | None:
    """GitHub's hint (headers lower-cased): Retry-After, or an exhausted limit's reset time."""
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
    details = [  # objects mostly; plain strings from the reviews API
        (e.get("message") or f"{e.get('resource')}.{e.get('field')} {e.get('code')}")
        if isinstance(e, Mapping)
        else str(e)
        for e in data.get("errors") or ()
    ]
    return text + (f" ({'; '.join(details)})" if details else "")


def http_error(status: int, headers: Mapping[str, Any], data: Any, action: str) -> ForgeError:
    """The ``bot.errors`` exception for a GitHub error answer; never quotes the token."""
    data = data if isinstance(data, Mapping) else {}
    headers = {str(k).lower(): v for k, v in headers.items()}
    message = str(data.get("message") or "").lower()
    text = _describe(action, status, data)
    wait = retry_after(headers)
    secondary = "secondary rate limit" in message
    if status == 403 and "resource not accessible by integration" in message:
        return TokenCannotWrite(text, status=status)
    if status >= 500 or status == 429 or (status == 403 and (wait is not None or secondary)):
        if wait is None and secondary:
            wait = SECONDARY_LIMIT_WAIT
        return RetryableError(text, status=status, retry_after=wait)
    if status == 404:
        return NotFound(text, status=status)
    codes = {e.get("code") for e in data.get("errors") or () if isinstance(e, Mapping)}
    if status == 422 and "already_exists" in codes:
        return AlreadyExists(text, status=status)
    return ForgeError(text, status=status)


def no_answer(action: str, *, write: bool, never_sent: bool, cause: str) -> ForgeError:
    """No answer at all (``cause`` names the transport's error): retryable for reads, and for
    writes that certainly never reached GitHub; any other write may or may not have been made."""
    if not write or never_sent:
        return RetryableError(f"{action}: no answer from GitHub ({cause})")
    return ForgeError(
        f"{action}: the connection to GitHub failed mid-request ({cause}); "
        "the write may or may not have been made"
    )


# --- Pacing ------------------------------------------------------------------------------------


class WriteSpacing:
    """GitHub's pacing of content-creating writes: ``spacing`` seconds from one to the next."""

    def __init__(self, spacing: float) -> None:
        self.spacing = spacing
        self._last: float | None = None

    def wait(self) -> float:
        """Seconds to wait before the next content-creating write may be sent."""
        if self._last is None:
            return 0.0
        return max(self.spacing - (time.monotonic() - self._last), 0.0)

    def sent(self) -> None:
        """A content-creating write was just sent (or tried)."""
        self._last = time.monotonic()
