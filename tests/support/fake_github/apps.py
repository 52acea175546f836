"""Handlers for the GitHub App: itself and its installations (with its JWT), an installation's
token and repositories (with that token)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from .call import Call
from .errors import DOCS, ApiError, error_response, not_found
from .github_app import FakeApp, InstallationRecord
from .records import node_id

PERMISSIONS = {"checks": "write", "contents": "read", "issues": "write", "metadata": "read"}
EVENTS = ["check_run", "issue_comment", "pull_request"]
STAMP = "2024-01-01T00:00:00Z"


def _app(call: Call) -> FakeApp:
    if call.state.app is None:
        raise not_found(DOCS + "/apps/apps#get-the-authenticated-app")
    return call.state.app


def app_gatekeeper(call: Call) -> None:
    """App endpoints take the App's JWT only: a valid signature, ``iss``, ``exp``."""
    refusal = _app(call).jwt_refusal(call.token)
    if refusal is not None:
        raise ApiError(error_response(401, refusal))


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _installation(call: Call, app: FakeApp, installation: InstallationRecord) -> dict[str, Any]:
    api = call.shapes.api
    return {
        "id": installation.id,
        "account": call.shapes.user(installation.account),
        "repository_selection": "selected",
        "access_tokens_url": f"{api}/app/installations/{installation.id}/access_tokens",
        "repositories_url": f"{api}/installation/repositories",
        "html_url": f"{call.shapes.html}/settings/installations/{installation.id}",
        "app_id": app.id,
        "app_slug": app.slug,
        "target_id": call.state.user_id(installation.account),
        "target_type": "Organization",
        "permissions": PERMISSIONS,
        "events": EVENTS,
        "created_at": STAMP,
        "updated_at": STAMP,
        "single_file_name": None,
        "suspended_at": None,
        "suspended_by": None,
    }


def get_app(call: Call) -> web.StreamResponse:
    app = _app(call)
    return web.json_response(
        {
            "id": app.id,
            "slug": app.slug,
            "node_id": node_id("Integration", app.id),
            "client_id": f"Iv1.{app.id:016x}",
            "owner": call.shapes.user(app.owner),
            "name": app.name,
            "description": "",
            "external_url": f"https://{app.slug}.example",
            "html_url": f"{call.shapes.html}/apps/{app.slug}",
            "created_at": STAMP,
            "updated_at": STAMP,
            "permissions": PERMISSIONS,
            "events": EVENTS,
            "installations_count": len(app.installations),
        }
    )


def list_installations(call: Call) -> web.StreamResponse:
    app = _app(call)
    return call.paginate([_installation(call, app, i) for i in app.installations.values()])


def create_installation_token(call: Call) -> web.StreamResponse:
    app = _app(call)
    installation = app.installations.get(call.number("id"))
    if installation is None:
        raise not_found(DOCS + "/apps/apps#create-an-installation-access-token-for-an-app")
    minted = app.mint(installation.id)
    body = {
        "token": minted.token,
        "expires_at": _iso(minted.expires_at),
        "permissions": PERMISSIONS,
        "repository_selection": "selected",
    }
    return web.json_response(body, status=201)


def list_installation_repositories(call: Call) -> web.StreamResponse:
    """What the request's installation token may reach, in GitHub's envelope."""
    app, minted = _app(call), call.installation
    if minted is None:
        message = (
            "You must authenticate with an installation access token in order to list "
            "repositories for an installation."
        )
        raise ApiError(error_response(403, message, DOCS + "/apps/installations"))
    names = app.installations[minted.installation_id].repositories
    repositories = [call.shapes.repository(call.state.repo(name)) for name in names]
    found, headers = call.page(repositories)
    body = {"total_count": len(repositories), "repository_selection": "selected"}
    return web.json_response({**body, "repositories": found}, headers=headers)
