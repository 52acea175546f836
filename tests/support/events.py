"""Webhook payloads shaped like GitHub's, trimmed to the fields a consumer plausibly reads.

Modelled on the real deliveries (``pull_request.opened``, ``push``); every object carries the
identifying fields GitHub sends (``id``, ``node_id``, URLs), so code that reads a field GitHub
really sends finds it, and code that reads one GitHub does not send fails here too.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

API = "https://api.github.com"
WEB = "https://github.com"


def _id(text: str) -> int:
    return zlib.crc32(text.encode()) % 900_000_000 + 1_000_000


def user(login: str) -> dict[str, Any]:
    uid = _id(login)
    return {
        "login": login,
        "id": uid,
        "node_id": f"MDQ6VXNlcj{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "url": f"{API}/users/{login}",
        "html_url": f"{WEB}/{login}",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "site_admin": False,
    }


def repository(full_name: str, default_branch: str = "main") -> dict[str, Any]:
    owner, name = full_name.split("/")
    rid = _id(full_name)
    return {
        "id": rid,
        "node_id": f"MDEwOlJlcG9zaXRvcnk{rid}",
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": user(owner),
        "html_url": f"{WEB}/{full_name}",
        "url": f"{API}/repos/{full_name}",
        "fork": False,
        "default_branch": default_branch,
        "visibility": "public",
    }


def label(name: str, color: str = "ededed") -> dict[str, Any]:
    lid = _id(name)
    return {
        "id": lid,
        "node_id": f"MDU6TGFiZWw{lid}",
        "url": f"{API}/labels/{name}",
        "name": name,
        "color": color,
        "default": False,
        "description": None,
    }


def pull_request(
    full_name: str,
    number: int,
    base_sha: str,
    head_sha: str,
    *,
    action: str = "opened",
    labels: Iterable[str] = (),
    author: str = "contributor",
    base_ref: str = "main",
    head_ref: str = "feature",
    head_repo: str | None = None,
    before: str | None = None,
) -> dict[str, Any]:
    """A ``pull_request`` delivery; ``head_repo`` names a fork the head lives in; ``before``
    (the previous head) makes it a ``synchronize``, which carries ``before`` and ``after``."""
    repo = repository(full_name)
    html = f"{WEB}/{full_name}/pull/{number}"
    head_owner = (head_repo or full_name).split("/")[0]
    pr = {
        "url": f"{API}/repos/{full_name}/pulls/{number}",
        "id": _id(html),
        "html_url": html,
        "number": number,
        "state": "open",
        "locked": False,
        "title": "Update pattern pages",
        "user": user(author),
        "body": None,
        "labels": [label(name) for name in labels],
        "draft": False,
        "head": {
            "label": f"{head_owner}:{head_ref}",
            "ref": head_ref,
            "sha": head_sha,
            "user": user(head_owner),
            "repo": repository(head_repo or full_name) | {"fork": head_repo is not None},
        },
        "base": {
            "label": f"{full_name.split('/')[0]}:{base_ref}",
            "ref": base_ref,
            "sha": base_sha,
            "user": repo["owner"],
            "repo": repo,
        },
        "author_association": "CONTRIBUTOR",
        "merged": False,
    }
    payload = {"action": action, "number": number, "pull_request": pr}
    if before is not None:
        payload |= {"action": "synchronize", "before": before, "after": head_sha}
    return payload | {"repository": repo, "sender": user(author)}


def push(full_name: str, before: str, after: str, ref: str = "refs/heads/main") -> dict[str, Any]:
    """A ``push`` delivery of ``before..after`` (``before`` all zeros: a new branch)."""
    repo = repository(full_name)
    return {
        "ref": ref,
        "before": before,
        "after": after,
        "created": set(before) == {"0"},
        "deleted": False,
        "forced": False,
        "base_ref": None,
        "compare": f"{WEB}/{full_name}/compare/{before[:12]}...{after[:12]}",
        "commits": [],
        "head_commit": None,
        "repository": repo,
        "pusher": {"name": "maintainer", "email": "maintainer@example.com"},
        "sender": user("maintainer"),
    }


def schedule(cron: str = "0 6 * * 1") -> dict[str, Any]:
    """What a ``schedule`` run finds at ``GITHUB_EVENT_PATH``: just the cron line."""
    return {"schedule": cron}


def issues_edited(
    full_name: str, number: int, before: str, after: str, *, sender: str, labels: list[str]
) -> dict[str, Any]:
    """An ``issues`` ``edited`` event: ``sender`` changed issue ``number``'s body."""
    issue = {
        "url": f"{API}/repos/{full_name}/issues/{number}",
        "html_url": f"{WEB}/{full_name}/issues/{number}",
        "id": number + 7_000_000,
        "number": number,
        "title": "Pattern review",
        "user": user("tierbot-test[bot]"),
        "labels": [label(name) for name in labels],
        "state": "open",
        "body": after,
    }
    return {
        "action": "edited",
        "issue": issue,
        "changes": {"body": {"from": before}},
        "repository": repository(full_name),
        "sender": user(sender),
    }


def pull_request_review(
    full_name: str,
    number: int,
    base_sha: str,
    head_sha: str,
    *,
    reviewer: str,
    state: str,
    review_id: int,
    action: str = "submitted",
) -> dict[str, Any]:
    """A ``pull_request_review`` delivery: ``state`` lower-cased as the webhook has it
    (approved, changes_requested, commented, dismissed), the pull request as it is now."""
    payload = pull_request(full_name, number, base_sha, head_sha)
    html = payload["pull_request"]["html_url"]
    review = {
        "id": review_id,
        "node_id": f"PRR_{review_id}",
        "user": user(reviewer),
        "body": None,
        "commit_id": head_sha,
        "submitted_at": "2026-12-01T10:00:00Z",
        "state": state.lower(),
        "html_url": f"{html}#pullrequestreview-{review_id}",
        "pull_request_url": payload["pull_request"]["url"],
        "author_association": "MEMBER",
        "_links": {"html": {"href": f"{html}#pullrequestreview-{review_id}"}},
    }
    return payload | {"action": action, "review": review, "sender": user(reviewer)}


def workflow_dispatch(
    full_name: str, inputs: dict[str, str], workflow: str = ".github/workflows/tierbot.yml"
) -> dict[str, Any]:
    """A ``workflow_dispatch`` event: a maintainer ran ``workflow`` by hand with ``inputs``."""
    return {
        "inputs": inputs,
        "ref": "refs/heads/main",
        "repository": repository(full_name),
        "sender": user("maintainer"),
        "workflow": workflow,
    }
