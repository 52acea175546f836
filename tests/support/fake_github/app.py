"""The fake as an aiohttp application: the routes, and what every request goes through first."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .apps import (
    app_gatekeeper,
    create_installation_token,
    get_app,
    list_installation_repositories,
    list_installations,
)
from .call import Call, Handler
from .checks import (
    combined_status,
    create_check_run,
    create_status,
    get_check_run,
    list_check_runs,
    list_statuses,
    update_check_run,
)
from .commits import list_commits
from .errors import DOCS, NOT_ACCESSIBLE, ApiError, error_response, not_found
from .git_data import (
    create_blob,
    create_git_commit,
    create_pull,
    create_ref,
    create_tree,
    get_git_commit,
    get_ref,
    list_pulls,
    update_pull,
    update_ref,
)
from .graphql import graphql
from .issues import (
    add_issue_labels,
    create_comment,
    create_issue,
    create_label,
    delete_comment,
    delete_label,
    get_comment,
    get_issue,
    get_label,
    list_comments,
    list_issue_labels,
    list_issues,
    list_labels,
    remove_issue_label,
    set_issue_labels,
    update_comment,
    update_issue,
    update_label,
)
from .pulls import compare_commits, get_pull, list_pull_files
from .records import WRITE_METHODS, is_graphql
from .repos import get_blob, get_commit, get_contents, get_permission, get_repository, get_tree
from .reviews import create_review, get_team_membership, list_review_comments, list_reviews
from .shapes import Shapes
from .state import FakeGitHub

STATE_KEY = web.AppKey("fake_github_state", FakeGitHub)
PREFIX_KEY = web.AppKey("fake_github_prefix", str)


@web.middleware
async def _github_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    method, path = request.method, request.path
    version = request.headers.get("X-GitHub-Api-Version")
    index = state.record(method, path, dict(request.query), version)
    if state.delay:
        await asyncio.sleep(state.delay)
    fault = state.take_fault(method, path)
    response = await _handled(request, handler) if fault is None or fault.landed else None
    if fault is not None:
        await _stall(request, fault.stall)
        if fault.reset:
            _reset(request)
            return web.Response()  # never sent: the client sees its connection reset
        if fault.status or response is None:
            response = web.json_response(
                {**fault.body, "status": str(fault.status)},
                status=fault.status,
                headers=fault.headers,
            )
    with state.lock:
        state.response_statuses[index] = response.status
    if path != request.app[PREFIX_KEY] + "/rate_limit":
        resource = "graphql" if is_graphql(path) else "core"
        response.headers.update(state.count_request(resource))
    return response


async def _handled(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
    except (web.HTTPMethodNotAllowed, web.HTTPNotFound):
        response = error_response(404, "Not Found")
    return response


async def _stall(request: web.Request, seconds: float) -> None:
    """Hold the answer back ``seconds``, or until the client hangs up (it timed out)."""
    clock = asyncio.get_running_loop().time
    deadline = clock() + seconds
    while clock() < deadline and request.transport and not request.transport.is_closing():
        await asyncio.sleep(0.01)


def _reset(request: web.Request) -> None:
    """Drop the request's connection with a TCP reset (SO_LINGER 0), as a failing proxy does."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def _gatekeeper(call: Call) -> None:
    """Authentication, read-only tokens, archived repositories, the primary rate limit."""
    request, state = call.request, call.state
    token, installation = call.token, call.installation
    is_write = request.method in WRITE_METHODS and not is_graphql(request.path)
    if installation is None and token is not None and _refused(state, token):
        raise ApiError(error_response(401, "Bad credentials"))
    if installation is not None and state.app is not None and "owner" in request.match_info:
        full_name = f"{call.arg('owner')}/{call.arg('repo')}"
        if not state.app.reaches(installation.installation_id, full_name):
            raise not_found(DOCS + "/repos/repos#get-a-repository")  # GitHub hides the rest
    if token is None and (is_write or is_graphql(request.path)):
        raise ApiError(error_response(401, "Requires authentication"))
    if state.enforce_rate_limit and state.rate_used.get("core", 0) >= state.rate_limit:
        message = "API rate limit exceeded for installation ID 1."
        raise ApiError(
            error_response(403, message, DOCS + "/overview/rate-limits-for-the-rest-api")
        )
    if is_write and state.read_only:
        raise ApiError(error_response(403, NOT_ACCESSIBLE))
    if is_write and "owner" in request.match_info:
        repo = call.repo()
        if repo.archived:
            raise ApiError(error_response(403, "Repository was archived so is read-only."))


def _refused(state: FakeGitHub, token: str) -> bool:
    """A JWT (which signs as the App, never on these endpoints), an installation token revoked
    or expired, or a token outside ``valid_tokens``."""
    app = state.app
    if app is not None and (app.looks_like_jwt(token) or token in app.tokens):
        return True
    return state.valid_tokens is not None and token not in state.valid_tokens


def _wrap(
    state: FakeGitHub, prefix: str, handler: Handler, gatekeeper: Callable[[Call], None]
) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return error_response(400, "Problems parsing JSON")
        api = f"{request.scheme}://{request.host}{prefix}"
        call = Call(request, body, Shapes(state, api))
        with state.lock:
            try:
                gatekeeper(call)
                return handler(call)
            except ApiError as error:
                return error.response

    return handle


def get_user(call: Call) -> web.StreamResponse:
    identity = call.identity
    if call.token is None:
        raise ApiError(error_response(401, "Requires authentication"))
    if identity["type"] == "Bot":
        docs = DOCS + "/users/users#get-the-authenticated-user"
        raise ApiError(error_response(403, NOT_ACCESSIBLE, docs))
    return web.json_response(call.shapes.user(identity["login"]))


def rate_limit(call: Call) -> web.StreamResponse:
    state = call.state

    def bucket(resource: str) -> dict[str, int]:
        used = state.rate_used.get(resource, 0)
        limit = state.rate_limit
        return {
            "limit": limit,
            "used": used,
            "remaining": max(limit - used, 0),
            "reset": state.rate_reset,
        }

    resources = {name: bucket(name) for name in ("core", "graphql", "search")}
    return web.json_response({"resources": resources, "rate": resources["core"]})


REPO = "/repos/{owner}/{repo}"
NUMBER = "{number:\\d+}"
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", REPO, get_repository),
    ("GET", f"{REPO}/pulls", list_pulls),
    ("POST", f"{REPO}/pulls", create_pull),
    ("PATCH", f"{REPO}/pulls/{NUMBER}", update_pull),
    ("GET", REPO + "/git/commits/{sha}", get_git_commit),
    ("POST", REPO + "/git/commits", create_git_commit),
    ("POST", REPO + "/git/blobs", create_blob),
    ("POST", REPO + "/git/trees", create_tree),
    ("GET", REPO + "/git/ref/heads/{branch:.+}", get_ref),
    ("POST", REPO + "/git/refs", create_ref),
    ("PATCH", REPO + "/git/refs/heads/{branch:.+}", update_ref),
    ("GET", f"{REPO}/pulls/{NUMBER}", get_pull),
    ("GET", f"{REPO}/pulls/{NUMBER}/files", list_pull_files),
    ("GET", f"{REPO}/pulls/{NUMBER}/reviews", list_reviews),
    ("POST", f"{REPO}/pulls/{NUMBER}/reviews", create_review),
    ("GET", f"{REPO}/pulls/{NUMBER}/comments", list_review_comments),
    ("GET", REPO + "/contents/{path:.*}", get_contents),
    ("GET", REPO + "/git/trees/{sha:.+}", get_tree),
    ("GET", REPO + "/git/blobs/{sha}", get_blob),
    ("GET", REPO + "/compare/{basehead:.+}", compare_commits),
    ("GET", f"{REPO}/issues/{NUMBER}/comments", list_comments),
    ("POST", f"{REPO}/issues/{NUMBER}/comments", create_comment),
    ("GET", REPO + "/issues/comments/{id:\\d+}", get_comment),
    ("PATCH", REPO + "/issues/comments/{id:\\d+}", update_comment),
    ("DELETE", REPO + "/issues/comments/{id:\\d+}", delete_comment),
    ("GET", f"{REPO}/labels", list_labels),
    ("POST", f"{REPO}/labels", create_label),
    ("GET", REPO + "/labels/{name}", get_label),
    ("PATCH", REPO + "/labels/{name}", update_label),
    ("DELETE", REPO + "/labels/{name}", delete_label),
    ("GET", f"{REPO}/issues/{NUMBER}/labels", list_issue_labels),
    ("POST", f"{REPO}/issues/{NUMBER}/labels", add_issue_labels),
    ("PUT", f"{REPO}/issues/{NUMBER}/labels", set_issue_labels),
    ("DELETE", f"{REPO}/issues/{NUMBER}/labels/{{name}}", remove_issue_label),
    ("GET", f"{REPO}/issues", list_issues),
    ("POST", f"{REPO}/issues", create_issue),
    ("GET", f"{REPO}/issues/{NUMBER}", get_issue),
    ("PATCH", f"{REPO}/issues/{NUMBER}", update_issue),
    ("POST", REPO + "/statuses/{sha}", create_status),
    ("GET", f"{REPO}/commits", list_commits),
    ("GET", REPO + "/commits/{ref}/statuses", list_statuses),
    ("GET", REPO + "/commits/{ref}/status", combined_status),
    ("GET", REPO + "/commits/{ref}/check-runs", list_check_runs),
    ("GET", REPO + "/commits/{ref}", get_commit),
    ("POST", f"{REPO}/check-runs", create_check_run),
    ("GET", REPO + "/check-runs/{id:\\d+}", get_check_run),
    ("PATCH", REPO + "/check-runs/{id:\\d+}", update_check_run),
    ("GET", REPO + "/collaborators/{username}/permission", get_permission),
    ("GET", "/orgs/{org}/teams/{team_slug}/memberships/{username}", get_team_membership),
    ("GET", "/installation/repositories", list_installation_repositories),
    ("GET", "/user", get_user),
    ("GET", "/rate_limit", rate_limit),
]
#: Signed with the App's JWT, not a token.
APP_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/app", get_app),
    ("GET", "/app/installations", list_installations),
    ("POST", "/app/installations/{id:\\d+}/access_tokens", create_installation_token),
]


def graphql_path(prefix: str) -> str:
    """Where GraphQL lives: ``/graphql``, or ``/api/graphql`` beside ``/api/v3``."""
    return prefix.removesuffix("/v3") + "/graphql"


def make_app(state: FakeGitHub, prefix: str = "") -> web.Application:
    """The fake as an aiohttp application; ``prefix`` ``/api/v3`` imitates GitHub Enterprise."""
    app = web.Application(middlewares=[_github_middleware])
    app[STATE_KEY] = state
    app[PREFIX_KEY] = prefix
    for method, path, handler in ROUTES:
        app.router.add_route(method, prefix + path, _wrap(state, prefix, handler, _gatekeeper))
    for method, path, handler in APP_ROUTES:
        app.router.add_route(method, prefix + path, _wrap(state, prefix, handler, app_gatekeeper))
    app.router.add_route("POST", graphql_path(prefix), _wrap(state, prefix, graphql, _gatekeeper))
    return app
