"""Handlers for pull request reviews and their line comments, with GitHub's 422 off the diff."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .call import Call
from .errors import DOCS, ApiError, error_response, not_found
from .patches import head_hunks, patch_hunks
from .records import IssueRecord, RepoRecord, node_id, now_iso

CREATE_DOCS = DOCS + "/pulls/reviews#create-a-review-for-a-pull-request"
OFF_THE_DIFF = "Pull request review thread line must be part of the diff"
OTHER_HUNK = "Pull request review thread start line must be part of the same hunk as the line."
EVENTS = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}


def _pull(call: Call) -> tuple[RepoRecord, IssueRecord]:
    repo = call.repo()
    issue = repo.issues.get(call.number())
    if issue is None or issue.pull is None:
        raise not_found(DOCS + "/pulls/pulls#get-a-pull-request")
    return repo, issue


def _unprocessable(message: str) -> ApiError:
    return ApiError(error_response(422, "Unprocessable Entity", CREATE_DOCS, errors=[message]))


def _check_lines(repo: RepoRecord, issue: IssueRecord, commit: str, entry: dict[str, Any]) -> None:
    """GitHub's checks of one ``comments[]`` entry: on the diff, both ends in one hunk."""
    pull = issue.pull
    assert pull is not None
    path, line, start = entry.get("path"), entry.get("line"), entry.get("start_line")
    change = next((c for c in pull.files if c.filename == path), None)
    if change is None or not isinstance(line, int) or entry.get("side", "RIGHT") != "RIGHT":
        raise _unprocessable(OFF_THE_DIFF)
    if change.patch is not None:  # given as GitHub would show it (contents elsewhere)
        found = patch_hunks(change.patch)
    else:
        base = repo.commits.get(pull.base_sha, {}).get(change.previous_filename or change.filename)
        found = head_hunks(base, repo.commits.get(commit, {}).get(change.filename))
    hunk = next((h for h in found if line in h), None)
    if hunk is None:
        raise _unprocessable(OFF_THE_DIFF)
    if start is not None and (not isinstance(start, int) or start > line or start not in hunk):
        raise _unprocessable(OTHER_HUNK)


def create_review(call: Call) -> web.StreamResponse:
    repo, issue = _pull(call)
    pull = issue.pull
    assert pull is not None
    commit = call.field("commit_id") or pull.head_sha
    if commit not in repo.commits and commit != pull.head_sha:
        raise _unprocessable("Commit could not be resolved")
    event = call.field("event")
    if event is not None and event not in EVENTS:
        raise _unprocessable(f"Event {event!r} is not valid")
    comments = call.field("comments") or []
    for entry in comments:
        _check_lines(repo, issue, commit, entry)
    login = call.identity["login"]
    review = {
        "id": call.state.next_id(),
        "number": issue.number,
        "user": login,
        "body": call.field("body") or "",
        "state": EVENTS[event] if event else "PENDING",
        "commit_id": commit,
        "submitted_at": now_iso(),
    }
    repo.reviews[review["id"]] = review
    for entry in comments:
        comment = {
            "id": call.state.next_id(),
            "review_id": review["id"],
            "number": issue.number,
            "user": login,
            "path": entry["path"],
            "line": entry["line"],
            "start_line": entry.get("start_line"),
            "body": entry.get("body") or "",
            "commit_id": commit,
            "created_at": now_iso(),
        }
        repo.review_comments[comment["id"]] = comment
    return web.json_response(_review(call, repo, review))


def list_reviews(call: Call) -> web.StreamResponse:
    repo, issue = _pull(call)
    found = [r for r in repo.reviews.values() if r["number"] == issue.number]
    return call.paginate([_review(call, repo, r) for r in found])


def list_review_comments(call: Call) -> web.StreamResponse:
    repo, issue = _pull(call)
    found = [c for c in repo.review_comments.values() if c["number"] == issue.number]
    return call.paginate([_review_comment(call, repo, issue, c) for c in found])


def _review(call: Call, repo: RepoRecord, review: dict[str, Any]) -> dict[str, Any]:
    pull_url = f"{call.shapes.repo_url(repo)}/pulls/{review['number']}"
    html = f"{call.shapes.html}/{repo.full_name}/pull/{review['number']}"
    return {
        "id": review["id"],
        "node_id": node_id("PullRequestReview", review["id"]),
        "user": call.shapes.user(review["user"]),
        "body": review["body"],
        "state": review["state"],
        "html_url": f"{html}#pullrequestreview-{review['id']}",
        "pull_request_url": pull_url,
        "author_association": "NONE",
        "_links": {"html": {"href": f"{html}#pullrequestreview-{review['id']}"}},
        "submitted_at": review["submitted_at"],
        "commit_id": review["commit_id"],
    }


def _review_comment(
    call: Call, repo: RepoRecord, issue: IssueRecord, comment: dict[str, Any]
) -> dict[str, Any]:
    """GitHub's shape; ``line`` is null once the head changed the file (the comment outdated)."""
    pull = issue.pull
    assert pull is not None
    path, commit = comment["path"], comment["commit_id"]
    current = commit == pull.head_sha or (
        repo.commits.get(pull.head_sha, {}).get(path) == repo.commits.get(commit, {}).get(path)
    )
    pull_url = f"{call.shapes.repo_url(repo)}/pulls/{issue.number}"
    html = f"{call.shapes.html}/{repo.full_name}/pull/{issue.number}"
    start = comment["start_line"]
    return {
        "url": f"{call.shapes.repo_url(repo)}/pulls/comments/{comment['id']}",
        "pull_request_review_id": comment["review_id"],
        "id": comment["id"],
        "node_id": node_id("PullRequestReviewComment", comment["id"]),
        "diff_hunk": "",
        "path": path,
        "commit_id": pull.head_sha if current else commit,
        "original_commit_id": commit,
        "user": call.shapes.user(comment["user"]),
        "body": comment["body"],
        "created_at": comment["created_at"],
        "updated_at": comment["created_at"],
        "html_url": f"{html}#discussion_r{comment['id']}",
        "pull_request_url": pull_url,
        "author_association": "NONE",
        "start_line": start if current else None,
        "original_start_line": start,
        "start_side": "RIGHT" if start is not None else None,
        "line": comment["line"] if current else None,
        "original_line": comment["line"],
        "side": "RIGHT",
        "subject_type": "line",
    }


def get_team_membership(call: Call) -> web.StreamResponse:
    """GitHub's answer for a user in a team: active or pending; 404 for anyone else."""
    team = (call.arg("org").lower(), call.arg("team_slug").lower())
    login = call.arg("username")
    state = call.state.teams.get(team, {}).get(login.lower())
    if state is None:
        raise not_found(DOCS + "/teams/members#get-team-membership-for-a-user")
    org, slug = team
    url = f"{call.shapes.api}/organizations/{call.state.user_id(org)}/team/{slug}"
    return web.json_response(
        {"url": f"{url}/memberships/{login}", "role": "member", "state": state}
    )
