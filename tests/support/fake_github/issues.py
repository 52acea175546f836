"""Handlers for issues, their comments, and labels (the repository's and an issue's)."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from .call import Call
from .errors import DOCS, ApiError, error_response, not_found, validation_failed
from .records import CommentRecord, IssueRecord, LabelRecord, RepoRecord, now_iso

MAX_BODY = 65536  # characters in an issue or comment body


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
    login = call.identity["login"]
    comment = CommentRecord(call.state.next_id(), issue.number, body, login, stamp, stamp)
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
        user=call.identity["login"],
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
