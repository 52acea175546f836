"""`tierbot serve`'s webhook as GitHub and strangers call it: a real subprocess on 127.0.0.1.

Every malformed, unsigned or oversized request gets its 4xx before tierbot calls GitHub at all;
the server answers /healthz afterwards and reviews the next real delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import deliveries
from support.app_server import AppServer, SlowGitHub, server_env
from support.app_site import BROKEN_PAGE, GOLD_PAGE, LIB, AppSite

from bot.core.limits import WEBHOOK_PAYLOAD_LIMIT

SECRET = deliveries.SECRET
PAGE = f"{LIB}/resilience/circuit-breaker.md"
MB = 1024 * 1024


def signed(event: str, body: bytes, **changes: str | None) -> dict[str, str]:
    """GitHub's headers for ``body``; a None in ``changes`` drops that header."""
    headers = deliveries.headers(event, body)
    for name, value in changes.items():
        name = name.replace("_", "-")
        headers.pop(name, None)
        if value is not None:
            headers[name] = value
    return headers


PING = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()
SHA1 = "sha1=" + hmac.new(SECRET.encode(), PING, hashlib.sha1).hexdigest()
NESTED = b"[" * 10_000 + b"]" * 10_000

REFUSED = {
    "a wrong signature": (PING, deliveries.headers("ping", PING, secret="not-the-secret"), 401),
    "no signature": (PING, signed("ping", PING, X_Hub_Signature_256=None), 401),
    "a signature over another body": (
        PING,
        deliveries.headers("ping", PING.replace(b"awesome", b"AWESOME")),
        401,
    ),
    "a SHA-1 signature only": (
        PING,
        signed("ping", PING, X_Hub_Signature_256=None, X_Hub_Signature=SHA1),
        401,
    ),
    "a SHA-1 signature as SHA-256's": (PING, signed("ping", PING, X_Hub_Signature_256=SHA1), 401),
    "an empty signature": (PING, signed("ping", PING, X_Hub_Signature_256="sha256="), 401),
    "truncated JSON": (PING[:-7], deliveries.headers("ping", PING[:-7]), 400),
    "a JSON array": (b"[1, 2]", deliveries.headers("ping", b"[1, 2]"), 400),
    "a JSON number": (b"42", deliveries.headers("ping", b"42"), 400),
    "a JSON string": (b'"ping"', deliveries.headers("ping", b'"ping"'), 400),
    "JSON null": (b"null", deliveries.headers("ping", b"null"), 400),
    "an empty body": (b"", deliveries.headers("ping", b""), 400),
    "bytes that are not UTF-8": (
        b'{"a": "\xff"}',
        deliveries.headers("ping", b'{"a": "\xff"}'),
        400,
    ),
    "10,000 nested arrays": (NESTED, deliveries.headers("ping", NESTED), 400),
    "10,000 nested objects": (
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        deliveries.headers("ping", b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
        400,
    ),
    "no event header": (PING, signed("ping", PING, X_GitHub_Event=None), 400),
    "no delivery header": (PING, signed("ping", PING, X_GitHub_Delivery=None), 400),
    "a delivery id of 200 characters": (
        PING,
        signed("ping", PING, X_GitHub_Delivery="d" * 200),
        400,
    ),
    "an unknown charset": (
        PING,
        signed("ping", PING, Content_Type="application/json; charset=no-such-charset"),
        400,
    ),
    "text/plain": (PING, signed("ping", PING, Content_Type="text/plain"), 415),
    "a form body": (
        b"payload=" + PING,
        signed("ping", b"payload=" + PING, Content_Type="application/x-www-form-urlencoded"),
        415,
    ),
    "no content type": (PING, signed("ping", PING, Content_Type=None), 415),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_request_gets_its_4xx_and_nothing_else_happens(
    server: AppServer, untouched: None, case: str
) -> None:
    body, headers, status = REFUSED[case]
    answer = server.post(body, headers)
    assert answer.status == status, answer
    assert "Traceback" not in answer.text and len(answer.text) < 200


@pytest.mark.parametrize(
    "event, payload",
    [
        ("pull_request", {"action": "opened", "pull_request": "#1", "installation": {"id": 1}}),
        ("pull_request", {"action": "synchronize", "pull_request": {"number": "1"}}),
        ("check_suite", {"action": "requested", "check_suite": {"pull_requests": None}}),
        ("issue_comment", {"action": "created", "issue": {"pull_request": {}}, "comment": []}),
        ("pull_request", {"action": "opened", "pull_request": {"number": 1, "head": {"sha": 1}}}),
    ],
)
def test_a_signed_payload_of_the_wrong_shape_is_refused(
    server: AppServer, untouched: None, event: str, payload: dict
) -> None:
    answer = server.deliver(deliveries.delivery(event, payload))
    assert answer.status == 400 and "Traceback" not in answer.text


def test_a_body_over_25_mb_is_refused_from_its_content_length(
    server: AppServer, untouched: None
) -> None:
    body = b" " * (30 * MB)
    answer = server.post(body, deliveries.headers("ping", b"{}"))
    assert answer.status == 413


def test_a_chunked_body_over_25_mb_is_refused_while_it_is_read(
    server: AppServer, untouched: None
) -> None:
    chunk = b" " * MB
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = deliveries.headers("ping", b"{}")
    try:
        connection.request(
            "POST", "/webhook", (chunk for _ in range(30)), headers, encode_chunked=True
        )
        assert connection.getresponse().status == 413
    finally:
        connection.close()
    # The limit itself is allowed: 25 MB of a signed JSON object is read and verified.
    padded = b'{"zen": "big", "pad": "' + b"x" * (WEBHOOK_PAYLOAD_LIMIT - 40) + b'"}'
    assert len(padded) <= WEBHOOK_PAYLOAD_LIMIT
    assert server.post(padded, deliveries.headers("ping", padded)).status == 200


def test_other_methods_and_paths_are_4xx(server: AppServer, untouched: None) -> None:
    assert server.request("GET", "/webhook").status == 405
    assert server.request("PUT", "/webhook", PING, deliveries.headers("ping", PING)).status == 405
    assert server.request("GET", "/../../etc/passwd").status == 404


def test_ping_answers_200_and_unknown_events_202(server: AppServer, untouched: None) -> None:
    assert server.deliver(deliveries.ping()).status == 200
    push = deliveries.delivery("push", {"ref": "refs/heads/main", "installation": {"id": 1}})
    assert server.deliver(push)[::2] == (202, "ignored")
    closed = deliveries.delivery("pull_request", {"action": "closed", "number": 1})
    assert server.deliver(closed).text == "ignored"
    labeled = deliveries.delivery("pull_request", {"action": "labeled", "number": 1})
    assert server.deliver(labeled).status == 202


def test_installation_events_are_logged_only(server: AppServer, untouched: None) -> None:
    created = deliveries.installation_created("acme", ["acme/patterns", "acme/other"], 77)
    assert server.deliver(created)[::2] == (202, "nothing to review")
    server.wait_for(
        lambda: server.logged(rf"\[{created.id}\] .*installation 77 on acme: created"),
        "the log line",
    )


def test_an_edit_of_the_title_is_not_reviewed(
    server: AppServer, site: AppSite, untouched: None
) -> None:
    pull = site.open_pull({PAGE: GOLD_PAGE}, {PAGE: BROKEN_PAGE})
    edited = site.opened(pull, "edited")
    payload = json.loads(edited.body) | {"changes": {"title": {"from": "Old title"}}}
    answer = server.deliver(deliveries.delivery("pull_request", payload))
    assert (answer.status, answer.text) == (202, "nothing to review")


def test_deliveries_are_counted_by_event_and_outcome(server: AppServer) -> None:
    assert server.metric("tierbot_webhook_deliveries_total", outcome="bad-signature") >= 5
    assert server.metric("tierbot_webhook_deliveries_total", event="ping", outcome="ping") >= 1
    assert server.metric("tierbot_webhook_deliveries_total", event="push", outcome="ignored") >= 1
    assert server.request("GET", "/metrics").headers["Content-Type"].startswith("text/plain")


def test_after_all_that_a_real_delivery_is_reviewed(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({PAGE: GOLD_PAGE}, {PAGE: BROKEN_PAGE})
    assert server.deliver(site.opened(pull)).status == 202
    server.wait_for(lambda: site.completed(pull.head), "a completed check run")
    assert len(site.bot_comments(pull)) == 1


def serve_once(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`tierbot serve` with ``env``, expected to stop by itself (a bad setting)."""
    command = [sys.executable, "-m", "bot", "serve", "--port", "0"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)


def test_serve_without_a_secret_exits_2_saying_why(github: SlowGitHub, site: AppSite) -> None:
    env = server_env(github, github.state.app, TIERBOT_WEBHOOK_SECRET="")
    done = serve_once(env)
    assert done.returncode == 2
    assert "TIERBOT_WEBHOOK_SECRET" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "variable, value",
    [
        ("TIERBOT_WORKERS", "0"),
        ("TIERBOT_QUEUE_SIZE", "many"),
        ("TIERBOT_APP_ID", ""),
        ("TIERBOT_READ_TIMEOUT", "0"),
    ],
)
def test_serve_with_a_bad_setting_exits_2_naming_it(
    github: SlowGitHub, site: AppSite, variable: str, value: str
) -> None:
    env = server_env(github, github.state.app, **{variable: value})
    done = serve_once(env)
    assert done.returncode == 2 and variable in done.stderr, done.stderr


def test_serve_without_the_app_extra_names_the_install_command() -> None:
    script = (
        "import sys\n"
        "sys.modules['gidgethub'] = None  # as if `tierbot[app]` were not installed\n"
        "from bot.cli.main import main\n"
        "sys.exit(main(['serve']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert "pip install 'tierbot[app]'" in done.stderr and "gidgethub" in done.stderr


HANDLED = {
    "pull_request": ("opened", "synchronize", "reopened", "ready_for_review", "edited"),
    "check_run": ("rerequested",),
    "check_suite": ("requested", "rerequested"),
    "issue_comment": ("created",),
    "issues": ("edited",),
    "pull_request_review": ("submitted", "dismissed", "edited"),
    "installation": ("created", "deleted", "suspend"),
    "installation_repositories": ("added", "removed"),
}
NOT_HANDLED = {
    "pull_request": ("closed", "labeled", "assigned", "converted_to_draft"),
    "check_run": ("created", "completed", "requested_action"),
    "check_suite": ("completed",),
    "issue_comment": ("edited", "deleted"),
    "issues": ("opened", "closed", "labeled"),
    "push": (None,),
    "pull_request_review_comment": ("created",),
}


def test_the_manifest_asks_for_the_events_the_routers_handle_and_no_more() -> None:
    import yaml
    from gidgethub.sansio import Event

    from bot.app.routes import ROUTER

    def routed(event: str, action: str | None) -> bool:
        return bool(ROUTER.fetch(Event({"action": action}, event=event, delivery_id="d")))

    manifest = yaml.safe_load((Path(__file__).resolve().parents[2] / "app.yml").read_text())
    assert manifest["default_permissions"] == {
        "contents": "write",  # the quarterly review's branch
        "metadata": "read",
        "pull_requests": "write",
        "issues": "write",
        "checks": "write",
        "members": "read",  # an organisation's: who is in a team that approves promotions
    }
    assert ROUTER.events == set(HANDLED)  # any other event is answered unparsed
    assert all(routed(e, a) for e, actions in HANDLED.items() for a in actions)
    assert not any(routed(e, a) for e, actions in NOT_HANDLED.items() for a in actions)
    always_sent = {"installation", "installation_repositories"}  # to every App, unasked
    assert set(manifest["default_events"]) == set(HANDLED) - always_sent
