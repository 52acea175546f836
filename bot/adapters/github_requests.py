"""Each port operation as the GitHub requests it takes, sans I/O, for every GitHub adapter.

An exchange (``github_exchange``) yields requests and is sent their responses. The adapter
sends the requests (PyGithub's requester, a gidgethub ``GitHubAPI``) and raises
``github_api.http_error`` for an error answer, so an exchange only ever sees successes; paths,
parameters, bodies, pagination and GitHub's limits live here, once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from bot.adapters import github_api, github_graphql
from bot.adapters.github_approvals import ApprovalRequests
from bot.adapters.github_exchange import Exchange, Request, pages
from bot.core.limits import (
    CHECK_ANNOTATIONS_PER_REQUEST,
    MAX_PULL_FILES,
    STATUS_DESCRIPTION,
    clip,
)
from bot.core.quarterly.model import RepositoryHealth
from bot.port.operations import (
    AddLabels,
    CommitAsOf,
    CompareCommits,
    CreateCheckRun,
    CreateComment,
    CreateIssue,
    CreateLabel,
    CreateReview,
    DeleteComment,
    DeleteLabel,
    GetCheckRun,
    GetCommitStatus,
    GetMergeBase,
    GetPermission,
    GetPullRequest,
    GetRepository,
    LastCommitDates,
    ListCheckRuns,
    ListComments,
    ListIssues,
    ListPullFiles,
    ListReviewComments,
    ListTree,
    Operation,
    ReadFiles,
    RemoveLabel,
    ResolveRef,
    SetCommitStatus,
    UpdateCheckRun,
    UpdateComment,
    UpdateIssue,
)
from bot.port.results import (
    CheckAnnotation,
    CheckRun,
    Comment,
    CommitStatus,
    FileList,
    Issue,
    PullRequest,
    ReviewComment,
    ReviewCommentDraft,
    Unreadable,
)

log = logging.getLogger(__name__)

#: The blobs API's answers for a blob it will not give (404 gone, 409 an empty repository,
#: 422 unprocessable); a 403 stays an error: it may be a rate limit.
BLOB_GONE = (404, 409, 422)


def _claim_fields(op: UpdateCheckRun) -> dict[str, str]:
    """Who holds the run and since when, as far as ``op`` changes them."""
    fields = {} if op.external_id is None else {"external_id": op.external_id}
    if op.started_at is not None:
        fields["started_at"] = github_api.iso_timestamp(op.started_at)
    return fields


def _annotation(annotation: CheckAnnotation) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "path": annotation.path,
        "start_line": annotation.start_line,
        "end_line": annotation.end_line,
        "annotation_level": annotation.level,
        "message": annotation.message,
    }
    if annotation.title:
        shaped["title"] = annotation.title
    return shaped


def _review_comment(draft: ReviewCommentDraft) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "path": draft.path,
        "line": draft.line,
        "side": "RIGHT",
        "body": draft.body,
    }
    if draft.start_line is not None:
        shaped |= {"start_line": draft.start_line, "start_side": "RIGHT"}
    return shaped


class GitHubRequests(ApprovalRequests):
    """The exchanges of the operations GitHub answers, for one repository."""

    def __init__(self, repository: str, graphql_url: str) -> None:
        super().__init__(repository)
        self.graphql_url = graphql_url
        self._exchanges: dict[type, Callable[[Any], Exchange[Any]]] = {
            GetPullRequest: self._get_pull_request,
            ListPullFiles: self._list_pull_files,
            GetMergeBase: self._get_merge_base,
            CompareCommits: self._compare_commits,
            ReadFiles: self._read_files,
            ListTree: self._list_tree,
            LastCommitDates: self._last_commit_dates,
            CommitAsOf: self._commit_as_of,
            ResolveRef: self._resolve_ref,
            ListComments: self._list_comments,
            CreateComment: self._create_comment,
            UpdateComment: self._update_comment,
            DeleteComment: self._delete_comment,
            CreateLabel: self._create_label,
            DeleteLabel: self._delete_label,
            AddLabels: self._add_labels,
            RemoveLabel: self._remove_label,
            SetCommitStatus: self._set_commit_status,
            GetCommitStatus: self._get_commit_status,
            ListIssues: self._list_issues,
            CreateIssue: self._create_issue,
            UpdateIssue: self._update_issue,
            GetRepository: self._get_repository,
            GetPermission: self._get_permission,
            ListCheckRuns: self._list_check_runs,
            GetCheckRun: self._get_check_run,
            CreateCheckRun: self._create_check_run,
            UpdateCheckRun: self._update_check_run,
            ListReviewComments: self._list_review_comments,
            CreateReview: self._create_review,
            **self.branch_exchanges(),
            **self.approval_exchanges(),
        }

    def exchange(self, op: Operation[Any]) -> Exchange[Any]:
        """The requests ``op`` takes; TypeError for one no GitHub request answers (e.g. Sleep)."""
        make = self._exchanges.get(type(op))
        if make is None:
            raise TypeError(f"no GitHub request answers {type(op).__name__}")
        return make(op)

    # --- pull requests and files ---------------------------------------------------------

    def _get_pull_request(self, op: GetPullRequest) -> Exchange[PullRequest]:
        return github_api.pull_request((yield from self._call("GET", f"pulls/{op.number}")))

    def _list_pull_files(self, op: ListPullFiles) -> Exchange[FileList]:
        changed = op.changed_files
        if changed is None:  # to know whether GitHub's list is whole
            changed = (yield from self._call("GET", f"pulls/{op.number}")).get("changed_files", 0)
        entries = yield from pages(self._path(f"pulls/{op.number}/files"), limit=MAX_PULL_FILES)
        files = tuple(github_api.changed_file(entry) for entry in entries)
        truncated = changed > len(files)  # GitHub counts them all, and lists 3,000 at most
        if truncated:
            log.warning(
                "pull request #%d: GitHub listed %d of %d files", op.number, len(files), changed
            )
        return FileList(files, truncated)

    def _get_merge_base(self, op: GetMergeBase) -> Exchange[str]:
        base, head = quote(op.base, safe=""), quote(op.head, safe="")
        # per_page=1: the answer also lists commits, which tierbot does not read.
        data = yield from self._call("GET", f"compare/{base}...{head}", per_page=1)
        return str(data["merge_base_commit"]["sha"])

    def _compare_commits(self, op: CompareCommits) -> Exchange[FileList]:
        """What ``head`` changed since its merge base with ``base``, renames as renames."""
        base, head = quote(op.base, safe=""), quote(op.head, safe="")
        data = yield from self._call("GET", f"compare/{base}...{head}", per_page=1)
        return github_api.compared_files(data, op.directories)

    def _read_files(self, op: ReadFiles) -> Exchange[dict[str, bytes | Unreadable | None]]:
        """The paths' blobs, ``GRAPHQL_BATCH`` a query (``github_graphql.answered_batches``)."""
        paths, repository = list(dict.fromkeys(op.paths)), op.repository or self.repository
        query = partial(github_graphql.files_query, repository, op.ref)
        answers = yield from github_graphql.answered_batches(
            self.graphql_url, paths, github_graphql.GRAPHQL_BATCH, query, "ReadFiles"
        )
        found: dict[str, bytes | Unreadable | None] = {}
        for batch, data in answers:
            for path, blob in zip(batch, github_graphql.blobs_found(data, len(batch)), strict=True):
                found[path] = None if blob is None else (yield from self._blob(repository, blob))
        return {path: found[path] for path in paths}

    def _blob(self, repository: str, found: Mapping[str, Any]) -> Exchange[bytes | Unreadable]:
        """GraphQL's text, or the blobs API's bytes where GraphQL gives none (binary, large)."""
        if not github_graphql.needs_blob_api(found):
            return str(found["text"]).encode("utf-8")
        path = f"/repos/{repository}/git/blobs/{found['oid']}"
        response = yield Request("GET", path, answered=BLOB_GONE)
        if response.status != 200:  # GraphQL named it a moment ago: gone or refused since
            return Unreadable(github_api.blob_refused(response.status, response.data))
        return github_api.blob_bytes(response.data)

    def _list_tree(self, op: ListTree) -> Exchange[tuple[str, ...]]:
        data = yield from self._call("GET", f"git/trees/{quote(op.ref, safe='')}", recursive=1)
        if data.get("truncated"):
            log.warning(
                "the tree of %s is too large for one request: the listing is partial", op.ref
            )
        return tuple(entry["path"] for entry in data["tree"] if entry["type"] == "blob")

    def _last_commit_dates(self, op: LastCommitDates) -> Exchange[dict[str, datetime | None]]:
        """The newest commit at ``ref`` that changed each path, if any: ``DATES_BATCH`` paths
        a query (``github_graphql.answered_batches``)."""
        paths = list(dict.fromkeys(op.paths))
        query = partial(github_graphql.dates_query, self.repository, op.ref)
        answers = yield from github_graphql.answered_batches(
            self.graphql_url, paths, github_graphql.DATES_BATCH, query, "LastCommitDates"
        )
        dates: dict[str, datetime | None] = {}
        for batch, data in answers:
            dates.update(
                zip(batch, github_graphql.dates_found(data, len(batch), op.ref), strict=True)
            )
        return {path: dates[path] for path in paths}

    def _commit_as_of(self, op: CommitAsOf) -> Exchange[str | None]:
        """The newest commit at ``ref`` GitHub lists until ``moment``, if any."""
        until = github_api.iso_timestamp(op.moment)
        query: dict[str, str | int] = {"sha": op.ref, "until": until, "per_page": 1}
        found = (yield Request("GET", self._path("commits"), query)).data
        return str(found[0]["sha"]) if found else None

    def _resolve_ref(self, op: ResolveRef) -> Exchange[str]:
        path = f"/repos/{op.repository or self.repository}/commits/{quote(op.ref, safe='')}"
        return str((yield Request("GET", path, {"per_page": 1})).data["sha"])

    # --- comments and labels -------------------------------------------------------------

    def _list_comments(self, op: ListComments) -> Exchange[tuple[Comment, ...]]:
        found = yield from pages(self._path(f"issues/{op.issue_number}/comments"))
        return tuple(github_api.comment(entry) for entry in found)

    def _create_comment(self, op: CreateComment) -> Exchange[Comment]:
        path, body = f"issues/{op.issue_number}/comments", {"body": op.body}
        return github_api.comment((yield from self._call("POST", path, body)))

    def _list_review_comments(self, op: ListReviewComments) -> Exchange[tuple[ReviewComment, ...]]:
        found = yield from pages(self._path(f"pulls/{op.number}/comments"))
        return tuple(github_api.review_comment(entry) for entry in found)

    def _create_review(self, op: CreateReview) -> Exchange[str]:
        comments = [_review_comment(draft) for draft in op.comments]
        body = {
            "commit_id": op.commit_id,
            "body": op.body,
            "event": "COMMENT",
            "comments": comments,
        }
        data = yield from self._call("POST", f"pulls/{op.number}/reviews", body)
        return str(data["html_url"])

    def _update_comment(self, op: UpdateComment) -> Exchange[Comment]:
        path, body = f"issues/comments/{op.comment_id}", {"body": op.body}
        return github_api.comment((yield from self._call("PATCH", path, body)))

    def _delete_comment(self, op: DeleteComment) -> Exchange[None]:
        yield from self._call("DELETE", f"issues/comments/{op.comment_id}")

    def _create_label(self, op: CreateLabel) -> Exchange[None]:
        label = op.label
        body = {"name": label.name, "color": label.color, "description": label.description}
        yield from self._call("POST", "labels", body)

    def _delete_label(self, op: DeleteLabel) -> Exchange[None]:
        yield from self._call("DELETE", f"labels/{quote(op.name, safe='')}")

    def _add_labels(self, op: AddLabels) -> Exchange[None]:
        if op.names:
            body = {"labels": list(op.names)}
            yield from self._call("POST", f"issues/{op.issue_number}/labels", body)

    def _remove_label(self, op: RemoveLabel) -> Exchange[None]:
        # A "/" in a label name is quoted: "tier/gold" unquoted would 404.
        yield from self._call(
            "DELETE", f"issues/{op.issue_number}/labels/{quote(op.name, safe='')}"
        )

    # --- statuses, issues, repositories, permissions -------------------------------------

    def _set_commit_status(self, op: SetCommitStatus) -> Exchange[None]:
        description = clip(op.description, STATUS_DESCRIPTION)
        body = {"state": op.state, "context": op.context, "description": description}
        if op.target_url is not None:
            body["target_url"] = op.target_url
        yield from self._call("POST", f"statuses/{op.sha}", body)

    def _get_commit_status(self, op: GetCommitStatus) -> Exchange[CommitStatus | None]:
        # The combined status: the newest of each context, one page for up to 100 contexts.
        path = self._path(f"commits/{quote(op.sha, safe='')}/status")
        found = yield from pages(path, key="statuses")
        newest = next((entry for entry in found if entry["context"] == op.context), None)
        return github_api.commit_status(newest) if newest else None

    def _list_issues(self, op: ListIssues) -> Exchange[tuple[Issue, ...]]:
        found = yield from pages(self._path("issues"), {"labels": op.label, "state": op.state})
        return tuple(github_api.issue(entry) for entry in found if "pull_request" not in entry)

    def _create_issue(self, op: CreateIssue) -> Exchange[Issue]:
        body = {
            "title": op.title,
            "body": op.body,
            "labels": list(op.labels),
            "assignees": list(op.assignees),
        }
        return github_api.issue((yield from self._call("POST", "issues", body)))

    def _update_issue(self, op: UpdateIssue) -> Exchange[Issue]:
        fields = ("title", "body", "state", "state_reason")
        body = {name: getattr(op, name) for name in fields if getattr(op, name) is not None}
        return github_api.issue((yield from self._call("PATCH", f"issues/{op.number}", body)))

    def _get_repository(self, op: GetRepository) -> Exchange[RepositoryHealth]:
        response = yield Request("GET", f"/repos/{op.full_name}")
        return github_api.repository_health(response.data)

    def _get_permission(self, op: GetPermission) -> Exchange[str]:
        path = f"collaborators/{quote(op.user, safe='')}/permission"
        return github_api.permission((yield from self._call("GET", path)))

    # --- check runs ----------------------------------------------------------------------

    def _list_check_runs(self, op: ListCheckRuns) -> Exchange[tuple[CheckRun, ...]]:
        # filter=all: GitHub's default ("latest") keeps only the newest run of each name.
        path = self._path(f"commits/{quote(op.head_sha, safe='')}/check-runs")
        query = {"check_name": op.name, "filter": "all"}
        found = yield from pages(path, query, key="check_runs")
        runs = (github_api.check_run(entry) for entry in found)
        return tuple(sorted(runs, key=lambda run: run.id, reverse=True))  # GitHub sets no order

    def _get_check_run(self, op: GetCheckRun) -> Exchange[CheckRun]:
        return github_api.check_run((yield from self._call("GET", f"check-runs/{op.check_run_id}")))

    def _create_check_run(self, op: CreateCheckRun) -> Exchange[CheckRun]:
        body = {"name": op.name, "head_sha": op.head_sha, "status": op.status}
        for name in ("details_url", "external_id"):
            if (value := getattr(op, name)) is not None:
                body[name] = value
        return github_api.check_run((yield from self._call("POST", "check-runs", body)))

    def _update_check_run(self, op: UpdateCheckRun) -> Exchange[CheckRun]:
        """One request. GitHub takes 50 annotations a request and appends them: the job
        batches them (it knows which batches have landed), so more is a programming error."""
        if len(op.annotations) > CHECK_ANNOTATIONS_PER_REQUEST:
            raise ValueError(
                f"UpdateCheckRun carries {len(op.annotations)} annotations: GitHub takes "
                f"{CHECK_ANNOTATIONS_PER_REQUEST} a request, so send them in batches"
            )
        body: dict[str, Any] = _claim_fields(op)
        body.update(
            {name: value for name in ("status", "conclusion") if (value := getattr(op, name))}
        )
        output = {
            name: getattr(op, name)
            for name in ("title", "summary", "text")
            if getattr(op, name) is not None
        }
        if op.annotations:
            output["annotations"] = [_annotation(a) for a in op.annotations]
        if output:
            body["output"] = output
        data = yield from self._call("PATCH", f"check-runs/{op.check_run_id}", body)
        return github_api.check_run(data)
