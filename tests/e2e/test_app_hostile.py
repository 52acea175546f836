"""`tierbot serve` under hostile traffic: hang-ups, slow clients, compressed and huge bodies.

A real subprocess on 127.0.0.1 reading requests with a timeout of one second. Whatever the
clients do, the module's server logs no traceback (conftest) and goes on answering deliveries.
The latencies and memory these goals are about are measured by benchmarks/webhook_hostile.py.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from support import deliveries
from support.app_server import AppServer
from support.app_site import BREAKER, BROKEN_PAGE, GOLD_PAGE, AppSite
from support.hostile import (
    Dribbled,
    SlowClient,
    gzip_bomb,
    hang_ups,
    memory,
    slow_requests,
)

from bot.app.examine import INLINE_LIMIT

READ_TIMEOUT = 1.0
#: Seconds a slow client waits to be closed: far past the timeout, so only a server that
#: never closes it fails.
PATIENCE = 30.0
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    return {"TIERBOT_READ_TIMEOUT": str(READ_TIMEOUT)}


def test_clients_hanging_up_mid_body_leave_one_line_each_and_no_traceback(
    server: AppServer, untouched: None
) -> None:
    ids = asyncio.run(hang_ups(server.port, deliveries.ping(), 25))
    refused = r"INFO \[-\] bot\.app\.webhook: refused \(\d+\) delivery '(hang-up-\d+)'"
    server.wait_for(lambda: len(server.logged(refused)) >= 25, "a line for each hang-up")
    logged = [found[1] for line in server.logged(refused) if (found := re.search(refused, line))]
    assert sorted(logged) == sorted(ids)  # one line each
    assert not server.logged("Traceback|Error handling request")
    assert server.metric("tierbot_webhook_deliveries_total", outcome="hung-up") > 0


def test_slow_clients_are_closed_and_deliveries_answered_meanwhile(
    server: AppServer, site: AppSite
) -> None:
    slow = slow_requests(deliveries.ping())
    kinds = ["headers"] * 25 + ["body"] * 25
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})

    async def slow_clients_and_a_delivery() -> tuple[list[Dribbled], int]:
        clients = await asyncio.gather(
            *(SlowClient.connect(server.port, slow[kind][0]) for kind in kinds)
        )
        dribbling = [
            asyncio.create_task(client.dribble(slow[kind][1], every=0.05, limit=PATIENCE))
            for client, kind in zip(clients, kinds, strict=True)
        ]
        answer = await asyncio.to_thread(server.deliver, site.opened(pull))
        return list(await asyncio.gather(*dribbling)), answer.status

    seen, status = asyncio.run(slow_clients_and_a_delivery())
    assert status == 202
    assert all(client.closed for client in seen), [c.seconds for c in seen if not c.closed]
    assert not any(client.answer for client in seen[:25])  # headers never ended: no answer
    assert all(client.answer.startswith(b"HTTP/1.1 408 ") for client in seen[25:])
    server.wait_for(lambda: site.completed(pull.head), "the delivery's review")


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd", "GZip", "identity, gzip"])
def test_a_compressed_body_is_refused_415(server: AppServer, untouched: None, coding: str) -> None:
    ping = deliveries.ping()
    answer = server.post(ping.body, ping.headers | {"Content-Encoding": coding})
    assert (answer.status, answer.text) == (
        415,
        "expected no Content-Encoding: deliveries are not compressed",
    )


@pytest.mark.parametrize("coding", ["identity", "Identity", ""])
def test_the_identity_coding_is_no_coding(server: AppServer, untouched: None, coding: str) -> None:
    ping = deliveries.ping()
    assert server.post(ping.body, ping.headers | {"Content-Encoding": coding}).status == 200


def test_gzip_bombs_are_refused_without_being_inflated(server: AppServer, untouched: None) -> None:
    bomb = gzip_bomb(256 * MB)
    forged = deliveries.headers("pull_request", b"{}") | {"Content-Encoding": "gzip"}
    signed = deliveries.headers("pull_request", bomb) | {"Content-Encoding": "gzip"}
    peak = memory(server.pid)["VmHWM"]
    for headers in [forged] * 3 + [signed] * 3:
        assert server.post(bomb, headers).status == 415
    assert memory(server.pid)["VmHWM"] - peak < 64 * MB  # one inflated bomb would be 256


def test_a_huge_delivery_of_an_ignored_event_is_answered_unparsed(
    server: AppServer, untouched: None
) -> None:
    not_json = b"{}" * (12 * MB)  # 24 MB that no JSON parser takes: a parse would be a 400
    star = server.post(not_json, deliveries.headers("star", not_json))
    assert (star.status, star.text) == (202, "ignored")
    handled = server.post(not_json, deliveries.headers("pull_request", not_json))
    assert (handled.status, handled.text) == (400, "the body is not a JSON object")
    assert server.metric("tierbot_webhook_deliveries_total", event="star") == 1


def test_a_huge_delivery_of_a_handled_event_is_parsed_apart_and_logged_under_its_id(
    server: AppServer, untouched: None
) -> None:
    created = json.loads(deliveries.installation_created("acme", ["acme/patterns"], 78).body)
    huge = deliveries.delivery("installation", created | {"padding": ["x" * 1000] * 24_000})
    assert len(huge.body) > 20 * MB
    assert server.deliver(huge)[::2] == (202, "nothing to review")
    logged = rf"INFO \[{huge.id}\] bot\.app\.installations: installation 78 on acme: created"
    server.wait_for(lambda: server.logged(logged), "the handler's line, from the child")


def test_a_large_delivery_asking_for_a_review_is_reviewed(server: AppServer, site: AppSite) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    opened = json.loads(site.opened(pull).body)
    large = deliveries.delivery("pull_request", opened | {"padding": "x" * INLINE_LIMIT})
    assert server.deliver(large)[::2] == (202, "accepted")
    server.wait_for(lambda: site.completed(pull.head), "the review's check run")
    assert len(site.bot_comments(pull)) == 1
