"""Handlers for commit statuses and check runs (created, updated, listed for a commit)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .call import Call
from .errors import DOCS, ApiError, error_response, not_found, validation_failed
from .records import RepoRecord, now_iso

MAX_ANNOTATIONS = 50  # per check-run request


_STATUS_STATES = {"error", "failure", "pending", "success"}


def create_status(call: Call) -> web.StreamResponse:
    repo, sha = call.repo(), call.arg("sha")
    docs = DOCS + "/commits/statuses#create-a-commit-status"
    if sha not in repo.commits:
        raise ApiError(error_response(422, f"No commit found for SHA: {sha}", docs))
    state, description = call.field("state"), call.field("description") or ""
    if state not in _STATUS_STATES:
        raise validation_failed("Status", "custom", "state", docs, message=f"{state} is invalid")
    if len(description) > 140:
        message = "description is too long (maximum is 140 characters)"
        raise validation_failed("Status", "custom", "description", docs, message=message)
    status = {
        "id": call.state.next_id(),
        "sha": sha,
        "state": state,
        "description": call.field("description"),
        "target_url": call.field("target_url"),
        "context": call.field("context") or "default",
        "created_at": now_iso(),
        "creator": call.identity["login"],
    }
    repo.statuses.append(status)
    shaped = call.shapes.status(repo, sha, status)
    return web.json_response(shaped, status=201, headers={"Location": shaped["url"]})


def list_statuses(call: Call) -> web.StreamResponse:
    repo = call.repo()
    sha = repo.resolve(call.arg("ref")) or call.arg("ref")
    found = [s for s in reversed(repo.statuses) if s["sha"] == sha]
    return call.paginate([call.shapes.status(repo, sha, s) for s in found])


def combined_status(call: Call) -> web.StreamResponse:
    """The newest status of each context, as GitHub combines them, contexts paginated."""
    repo, ref = call.repo(), call.arg("ref")
    sha = repo.resolve(None if ref == "HEAD" else ref)
    if sha is None:
        raise ApiError(error_response(422, f"No commit found for SHA: {ref}", DOCS))
    newest: dict[str, dict[str, Any]] = {}
    for status in reversed(repo.statuses):  # newest first
        if status["sha"] == sha:
            newest.setdefault(status["context"], status)
    # GitHub: failure if any is error or failure, else pending if any is (or there is none).
    states = {status["state"] for status in newest.values()}
    pending = "pending" in states or not states
    combined = "failure" if states & {"error", "failure"} else "pending" if pending else "success"
    shaped = [call.shapes.status(repo, sha, status) for status in newest.values()]
    found, headers = call.page(shaped)
    url = f"{call.shapes.repo_url(repo)}/commits/{sha}"
    body = {
        "state": combined,
        "statuses": found,
        "sha": sha,
        "total_count": len(shaped),
        "repository": call.shapes.repository(repo),
        "commit_url": url,
        "url": f"{url}/status",
    }
    return web.json_response(body, headers=headers)


def _check_output(call: Call, docs: str) -> list[dict[str, Any]]:
    """The request's annotations, once its output holds what GitHub requires."""
    output = call.field("output")
    if output is None:
        return []
    for required in ("title", "summary"):
        if not output.get(required):
            raise validation_failed("CheckRun", "missing_field", f"output.{required}", docs)
    annotations = output.get("annotations") or []
    if len(annotations) > MAX_ANNOTATIONS:
        message = f"Only {MAX_ANNOTATIONS} annotations may be sent in one request."
        raise validation_failed("CheckRun", "custom", "annotations", docs, message=message)
    return list(annotations)


_CHECK_FIELDS = ("name", "details_url", "external_id", "status", "conclusion")
_CHECK_TIMES = ("started_at", "completed_at", "output")


def create_check_run(call: Call) -> web.StreamResponse:
    repo = call.repo()
    docs = DOCS + "/checks/runs#create-a-check-run"
    for required in ("name", "head_sha"):
        if not call.field(required):
            raise validation_failed("CheckRun", "missing_field", required, docs)
    run: dict[str, Any] = {"id": call.state.next_id(), "head_sha": call.field("head_sha")}
    run["annotations"] = _check_output(call, docs)
    run["app"] = call.check_app
    for key in _CHECK_FIELDS + _CHECK_TIMES:
        if call.field(key) is not None:
            run[key] = call.field(key)
    if run.get("conclusion") and "status" not in run:
        run["status"] = "completed"
    run.setdefault("started_at", now_iso())  # GitHub: when it was created, unless told
    repo.check_runs[run["id"]] = run
    shaped = call.shapes.check_run(repo, run)
    return web.json_response(shaped, status=201, headers={"Location": shaped["url"]})


def _check_run(call: Call, repo: RepoRecord) -> dict[str, Any]:
    found = repo.check_runs.get(call.number("id"))
    if found is None:
        raise not_found(DOCS + "/checks/runs#get-a-check-run")
    return found


def get_check_run(call: Call) -> web.StreamResponse:
    repo = call.repo()
    return web.json_response(call.shapes.check_run(repo, _check_run(call, repo)))


def update_check_run(call: Call) -> web.StreamResponse:
    repo = call.repo()
    run = _check_run(call, repo)
    docs = DOCS + "/checks/runs#update-a-check-run"
    run["annotations"] = run.get("annotations", []) + _check_output(call, docs)
    for key in _CHECK_FIELDS + _CHECK_TIMES:
        if call.field(key) is not None:
            run[key] = call.field(key)
    if call.field("conclusion"):
        run["status"] = "completed"
    return web.json_response(call.shapes.check_run(repo, run))


def list_check_runs(call: Call) -> web.StreamResponse:
    """A commit's check runs, as created (GitHub documents no order), in GitHub's envelope;
    ``filter=latest`` (the default) keeps the newest of each name and App."""
    repo, ref, query = call.repo(), call.arg("ref"), call.request.query
    sha = repo.resolve(None if ref == "HEAD" else ref)
    if sha is None:
        raise ApiError(error_response(422, f"No commit found for SHA: {ref}", DOCS))
    runs = [r for r in repo.check_runs.values() if r["head_sha"] == sha]
    if query.get("check_name"):
        runs = [r for r in runs if r["name"] == query["check_name"]]
    if query.get("filter", "latest") == "latest":
        newest = {(r["name"], r["app"]["slug"]): r["id"] for r in runs}
        runs = [r for r in runs if r["id"] in newest.values()]
    found, headers = call.page([call.shapes.check_run(repo, run) for run in runs])
    body = {"total_count": len(runs), "check_runs": found}
    return web.json_response(body, headers=headers)
