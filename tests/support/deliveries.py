"""Webhook deliveries as a GitHub App receives them: signed headers, payloads with `installation`.

The headers are GitHub's, ``X-Hub-Signature-256`` the HMAC-SHA256 of the raw body.

    d = deliveries.pull_request(REPO, number, base, head, installation=1)
    server.deliver(d)                            # support.app_server.AppServer
    server.post(body, deliveries.headers("ping", body, secret="wrong"))

Payload shapes follow the real `*.with-installation` deliveries; ``events`` builds the objects
they share (users, repositories, pull requests).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any

from . import events

SECRET = "whsec-tierbot-tests"
HOOK_ID = 501_234_567


def signature(body: bytes, secret: str = SECRET) -> str:
    """``X-Hub-Signature-256``'s value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def headers(
    event: str, body: bytes, *, delivery: str | None = None, secret: str = SECRET, app_id: int = 1
) -> dict[str, str]:
    """The headers GitHub sends with a delivery of ``body``."""
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": signature(body, secret),
        "X-GitHub-Hook-ID": str(HOOK_ID),
        "X-GitHub-Hook-Installation-Target-Type": "integration",
        "X-GitHub-Hook-Installation-Target-ID": str(app_id),
        "User-Agent": "GitHub-Hookshot/7a3c1f2",
        "Content-Type": "application/json",
    }


@dataclass(frozen=True)
class Delivery:
    """One signed delivery: its event, raw body and headers."""

    event: str
    body: bytes
    headers: dict[str, str]

    @property
    def id(self) -> str:
        return self.headers["X-GitHub-Delivery"]


def delivery(event: str, payload: Any, *, delivery_id: str | None = None) -> Delivery:
    body = json.dumps(payload).encode()
    return Delivery(event, body, headers(event, body, delivery=delivery_id))


def installation(installation_id: int) -> dict[str, Any]:
    return {
        "id": installation_id,
        "node_id": f"MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u{installation_id}",
    }


def pull_request(
    full_name: str,
    number: int,
    base_sha: str,
    head_sha: str,
    *,
    installation_id: int,
    action: str = "opened",
    draft: bool = False,
    delivery_id: str | None = None,
    **fields: Any,
) -> Delivery:
    """A ``pull_request`` delivery (``before=`` makes it a ``synchronize``)."""
    payload = events.pull_request(full_name, number, base_sha, head_sha, action=action, **fields)
    payload["pull_request"]["draft"] = draft
    payload["installation"] = installation(installation_id)
    return delivery("pull_request", payload, delivery_id=delivery_id)


def pull_request_review(
    full_name: str,
    number: int,
    base_sha: str,
    head_sha: str,
    *,
    installation_id: int,
    **fields: Any,
) -> Delivery:
    """A ``pull_request_review`` delivery (``events.pull_request_review``'s fields)."""
    payload = events.pull_request_review(full_name, number, base_sha, head_sha, **fields)
    payload["installation"] = installation(installation_id)
    return delivery("pull_request_review", payload)


def _pull_reference(full_name: str, number: int, base_sha: str, head_sha: str) -> dict[str, Any]:
    """A pull request as check runs and suites list it: number, head and base, repo ids."""
    repo = events.repository(full_name)
    short = {"id": repo["id"], "url": repo["url"], "name": repo["name"]}
    return {
        "url": f"{events.API}/repos/{full_name}/pulls/{number}",
        "id": number + 9_000_000,
        "number": number,
        "head": {"ref": "feature", "sha": head_sha, "repo": short},
        "base": {"ref": "main", "sha": base_sha, "repo": short},
    }


def _check_suite(full_name: str, head_sha: str, pulls: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": 5_000_001,
        "node_id": "MDEwOkNoZWNrU3VpdGU1MDAwMDAx",
        "head_branch": "feature",
        "head_sha": head_sha,
        "status": "completed",
        "conclusion": "failure",
        "url": f"{events.API}/repos/{full_name}/check-suites/5000001",
        "before": None,
        "after": head_sha,
        "pull_requests": pulls,
        "app": {"id": 1, "slug": "tierbot", "name": "tierbot"},
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
    }


def check_suite(
    full_name: str,
    head_sha: str,
    numbers: dict[int, str],
    *,
    installation_id: int,
    action: str = "rerequested",
) -> Delivery:
    """A ``check_suite`` delivery naming the pull requests ``numbers`` (number -> base SHA)."""
    pulls = [_pull_reference(full_name, n, base, head_sha) for n, base in numbers.items()]
    payload = {
        "action": action,
        "check_suite": _check_suite(full_name, head_sha, pulls),
        "repository": events.repository(full_name),
        "sender": events.user("maintainer"),
        "installation": installation(installation_id),
    }
    return delivery("check_suite", payload)


def check_run(
    full_name: str,
    head_sha: str,
    numbers: dict[int, str],
    *,
    installation_id: int,
    name: str = "tierbot",
    action: str = "rerequested",
) -> Delivery:
    """A ``check_run`` delivery; ``rerequested``: "Re-run" pressed on the run ``name``."""
    pulls = [_pull_reference(full_name, n, base, head_sha) for n, base in numbers.items()]
    run = {
        "id": 4_000_001,
        "head_sha": head_sha,
        "external_id": "",
        "url": f"{events.API}/repos/{full_name}/check-runs/4000001",
        "html_url": f"{events.WEB}/{full_name}/runs/4000001",
        "status": "completed",
        "conclusion": "failure",
        "started_at": "2025-01-01T00:00:00Z",
        "completed_at": "2025-01-01T00:00:05Z",
        "output": {"title": "Report", "summary": "", "text": None, "annotations_count": 0},
        "name": name,
        "check_suite": _check_suite(full_name, head_sha, pulls),
        "app": {"id": 1, "slug": "tierbot", "name": "tierbot"},
        "pull_requests": pulls,
    }
    payload = {
        "action": action,
        "check_run": run,
        "repository": events.repository(full_name),
        "sender": events.user("maintainer"),
        "installation": installation(installation_id),
    }
    return delivery("check_run", payload)


def issue_comment(
    full_name: str,
    number: int,
    body: str,
    *,
    author: str,
    installation_id: int,
    on_pull_request: bool = True,
) -> Delivery:
    """An ``issue_comment`` ``created`` delivery by ``author`` on pull request ``number``."""
    html = f"{events.WEB}/{full_name}/{'pull' if on_pull_request else 'issues'}/{number}"
    issue: dict[str, Any] = {
        "url": f"{events.API}/repos/{full_name}/issues/{number}",
        "html_url": html,
        "id": number + 7_000_000,
        "number": number,
        "title": "Update pattern pages",
        "user": events.user("contributor"),
        "labels": [],
        "state": "open",
        "locked": False,
        "comments": 1,
        "body": None,
        "author_association": "CONTRIBUTOR",
        "draft": False,
    }
    if on_pull_request:
        issue["pull_request"] = {
            "url": f"{events.API}/repos/{full_name}/pulls/{number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": None,
        }
    comment = {
        "url": f"{events.API}/repos/{full_name}/issues/comments/8000001",
        "html_url": f"{html}#issuecomment-8000001",
        "issue_url": issue["url"],
        "id": 8_000_001,
        "user": events.user(author),
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
        "author_association": "NONE",
        "performed_via_github_app": None,
        "body": body,
    }
    payload = {
        "action": "created",
        "issue": issue,
        "comment": comment,
        "repository": events.repository(full_name),
        "sender": events.user(author),
        "installation": installation(installation_id),
    }
    return delivery("issue_comment", payload)


def ping(app_id: int = 1) -> Delivery:
    """The ``ping`` GitHub sends when the App's webhook is set up."""
    hook = {"type": "App", "id": HOOK_ID, "name": "web", "active": True, "app_id": app_id}
    hook |= {"events": ["pull_request", "check_run", "check_suite", "issue_comment"]}
    return delivery("ping", {"zen": "Design for failure.", "hook_id": HOOK_ID, "hook": hook})


def installation_created(account: str, repositories: list[str], installation_id: int) -> Delivery:
    """The ``installation`` ``created`` delivery of the App installed on ``account``."""
    found = [
        {"id": events.repository(name)["id"], "name": name.split("/")[1], "full_name": name}
        for name in repositories
    ]
    payload = {
        "action": "created",
        "installation": installation(installation_id) | {"account": events.user(account)},
        "repositories": found,
        "sender": events.user(account),
    }
    return delivery("installation", payload)


def issues_edited(
    full_name: str,
    number: int,
    before: str,
    after: str,
    *,
    sender: str,
    labels: list[str],
    installation_id: int,
) -> Delivery:
    """An ``issues`` ``edited`` delivery: ``sender`` changed issue ``number``'s body."""
    payload = events.issues_edited(full_name, number, before, after, sender=sender, labels=labels)
    return delivery("issues", payload | {"installation": installation(installation_id)})
