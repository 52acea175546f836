"""`tierbot serve` reviewing pull requests end to end, as a real subprocess.

Signed deliveries go in; the fake GitHub (its App, an installation) answers over real HTTP on
127.0.0.1.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from support import deliveries
from support.app_server import AppServer, SlowGitHub
from support.app_site import BOT, BREAKER, BROKEN_PAGE, GOLD_PAGE, AppSite, Pull, pages

from bot.core.limits import CHECK_ANNOTATIONS_PER_REQUEST


@pytest.fixture(autouse=True)
def settled(github: SlowGitHub) -> Iterator[None]:
    github.state.clear_log()
    yield
    with github.state.lock:
        github.state.faults.clear()
        github.stalls.clear()


def reviewed(server: AppServer, site: AppSite, pull: Pull) -> list[dict]:
    """Wait for the head's completed check run and an idle server; the completed runs."""
    runs = server.wait_for(lambda: site.completed(pull.head), f"a completed run on {pull.head}")
    server.wait_for(server.idle, "an idle server")
    return runs


def test_a_pull_request_is_reviewed_once_as_the_app(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({"README.md": "# Patterns\n"}, pages(60, BROKEN_PAGE))
    # GitHub answers the review's first request only once the delivery has been answered: an
    # App that waited on GitHub before answering would never answer (GitHub gives it 10 s).
    answered = threading.Event()
    github.hold_next(r"/pulls/\d+$", answered.is_set, seconds=600)
    delivery = site.opened(pull)
    answer = server.deliver(delivery)
    answered.set()
    assert (answer.status, answer.text) == (202, "accepted")

    [run] = reviewed(server, site, pull)
    [comment] = site.bot_comments(pull)
    assert [c.user for c in github.state.comments(site.full_name, pull.number)] == [BOT]
    assert comment.startswith("<!-- tierbot:review -->") and pull.head[:12] in comment
    assert site.labels(pull) == {"tier: gold", "needs: tier-metadata"}
    assert (run["name"], run["conclusion"], run["app"]["slug"]) == (
        "tierbot",
        "failure",
        "tierbot-test",
    )
    assert len(run["annotations"]) >= 60
    patches = github.state.requests_to(r"/check-runs/\d+$", "PATCH")
    assert len(patches) == -(-len(run["annotations"]) // CHECK_ANNOTATIONS_PER_REQUEST)
    # Every line of the delivery's work names it.
    work = [line for line in server.lines if " bot.app.reviews: " in line]
    assert work and all(f"[{delivery.id}]" in line for line in work if f"#{pull.number} " in line)
    assert server.logged(rf"\[{delivery.id}\] .*failure: .*issuecomment")


def test_a_draft_is_reviewed_and_ready_for_review_reviews_it_again(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE}, draft=True)
    assert server.deliver(site.opened(pull, draft=True)).status == 202
    reviewed(server, site, pull)
    [first] = site.bot_comments(pull)

    github.state.clear_log()
    assert server.deliver(site.opened(pull, "ready_for_review")).status == 202
    server.wait_for(lambda: github.state.requests_to(r"/graphql"), "the second review")
    server.wait_for(server.idle, "an idle server")
    assert site.bot_comments(pull) == [first]
    assert github.state.landed_writes() == []  # the comment, labels and run say it already


def test_the_fix_of_a_new_finding_is_suggested_as_the_app_once(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    misspelt = GOLD_PAGE.replace("\nmodern_examples:", "\nmodern-examples:")
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: misspelt})
    assert server.deliver(site.opened(pull)).status == 202
    reviewed(server, site, pull)
    repo = github.state.repo(site.full_name)
    [review] = repo.reviews.values()
    [comment] = repo.review_comments.values()
    assert (review["user"], comment["user"], comment["path"]) == (BOT, BOT, BREAKER)
    assert "```suggestion\nmodern_examples:\n```" in comment["body"]
    # The run completes last: a review waiting for it finds the suggestions there.
    log = [(r.method, r.path) for r in github.state.log]
    posted = log.index(("POST", f"/repos/{site.full_name}/pulls/{pull.number}/reviews"))
    updates = [
        i for i, (method, path) in enumerate(log) if method == "PATCH" and "/check-runs/" in path
    ]
    assert updates and min(updates) > posted

    github.state.clear_log()
    assert server.deliver(site.opened(pull, "reopened")).status == 202
    server.wait_for(lambda: github.state.requests_to(r"/pulls/\d+/comments"), "a second look")
    server.wait_for(server.idle, "an idle server")
    assert github.state.landed_writes() == [] and len(repo.review_comments) == 1


def test_a_redelivery_is_not_queued_twice(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    redelivered = threading.Event()  # the first review waits on GitHub until then
    github.hold_next(r"/pulls/\d+$", redelivered.is_set)
    delivery = site.opened(pull)
    assert server.deliver(delivery).text == "accepted"
    assert server.deliver(delivery).text == "already queued or under review"
    redelivered.set()
    reviewed(server, site, pull)
    assert len(site.bot_comments(pull)) == 1
    assert len(github.state.requests_to(r"/issues/\d+/comments$", "POST")) == 1
    assert len(site.check_runs(pull.head)) == 1


def test_twenty_pushes_in_a_second_publish_the_newest_head_once(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    superseded = server.metric("tierbot_reviews_superseded_total")
    pushed = threading.Event()  # the first review holds the pull request until all 20 came
    github.hold_next(r"/pulls/\d+$", pushed.is_set)
    assert server.deliver(site.opened(pull)).status == 202
    heads = []
    for n in range(20):
        before = pull.head
        page = GOLD_PAGE if n == 19 else BROKEN_PAGE + f"\nEdit {n}.\n"
        heads.append(site.push(pull, {BREAKER: page}))
        assert server.deliver(site.pushed(pull, before)).status == 202
    pushed.set()

    reviewed(server, site, pull)
    [comment] = site.bot_comments(pull)
    assert heads[-1][:12] in comment and "✅" in comment
    assert site.labels(pull) == {"tier: gold"}
    for run in site.check_runs():
        assert run["status"] == "completed"  # none left in progress on an older head
    assert len([r for r in site.check_runs() if r["head_sha"] == heads[-1]]) == 1
    # The pushes waited behind the first review; each newer one dropped the queued one.
    assert server.metric("tierbot_reviews_superseded_total") - superseded == 19


def test_a_push_reviews_once_though_two_deliveries_announce_it(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    announced = threading.Event()  # the review waits on GitHub until the second delivery
    github.hold_next(r"/pulls/\d+$", announced.is_set)
    assert server.deliver(site.opened(pull, "synchronize")).text == "accepted"
    server.wait_for(lambda: server.logged(rf"reviewing acme/patterns#{pull.number} "), "start")
    suite = deliveries.check_suite(
        site.full_name,
        pull.head,
        {pull.number: pull.base},
        installation_id=site.installation,
        action="requested",
    )
    assert server.deliver(suite).text == "already queued or under review"
    announced.set()
    reviewed(server, site, pull)
    assert len(server.logged(rf"reviewing acme/patterns#{pull.number} ")) == 1


def test_a_new_base_branch_is_reviewed_again(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    edited = json.loads(site.opened(pull, "edited").body)
    edited["changes"] = {"base": {"ref": {"from": "develop"}, "sha": {"from": "0" * 40}}}
    assert server.deliver(deliveries.delivery("pull_request", edited)).text == "accepted"
    reviewed(server, site, pull)
    assert len(site.bot_comments(pull)) == 1


def test_rerun_buttons_review_the_pull_requests_they_name(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    named = {pull.number: pull.base}
    name, installation = site.full_name, site.installation
    rerun = deliveries.check_run(name, pull.head, named, installation_id=installation)
    assert server.deliver(rerun).text == "accepted"
    reviewed(server, site, pull)
    assert len(site.bot_comments(pull)) == 1

    github.state.clear_log()
    others = deliveries.check_run(name, pull.head, named, installation_id=installation, name="lint")
    assert server.deliver(others).text == "nothing to review"
    orphan = deliveries.check_suite(name, pull.head, {}, installation_id=installation)
    assert server.deliver(orphan).text == "nothing to review"
    assert github.state.log == []

    for action in ("requested", "rerequested"):
        suite = deliveries.check_suite(
            name, pull.head, named, installation_id=installation, action=action
        )
        assert server.deliver(suite).text == "accepted"
        server.wait_for(lambda: github.state.requests_to(r"/graphql"), f"check_suite.{action}")
        server.wait_for(server.idle, "an idle server")
        github.state.clear_log()
    assert len(site.bot_comments(pull)) == 1


def test_recheck_runs_for_writers_only(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    state = github.state
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    state.add_user("reader")
    state.add_collaborator(site.full_name, "writer", "write")

    assert server.deliver(site.comment(pull, "/tierbot recheck", "reader")).text == "accepted"
    server.wait_for(lambda: server.logged("reader may not ask"), "the refusal")
    server.wait_for(server.idle, "an idle server")
    assert [r.path for r in state.log if "/app" not in r.path][-1].endswith("/reader/permission")
    assert state.landed_writes() == [] and site.bot_comments(pull) == []

    for ignored in ("/tierbot recheck please", "LGTM"):
        assert server.deliver(site.comment(pull, ignored, "writer")).text == "nothing to review"
    assert server.deliver(site.comment(pull, "/tierbot recheck", "dependabot[bot]")).status == 202

    assert server.deliver(site.comment(pull, "  /tierbot recheck\n", "writer")).text == "accepted"
    reviewed(server, site, pull)
    assert len(site.bot_comments(pull)) == 1


def test_faults_are_retried_and_the_review_completes_once(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    github.state.fail_next(1, 502, path=r"/pulls/\d+/files")
    github.state.rate_limit_next(1, 429, retry_after=1, path=r"/graphql")
    github.stall_next(r"/issues/\d+/comments$", 1.5, method="GET")  # past the 1 s timeout
    assert server.deliver(site.opened(pull)).status == 202
    [run] = reviewed(server, site, pull)
    assert run["conclusion"] == "failure"
    assert len(site.bot_comments(pull)) == 1
    statuses = github.state.response_statuses
    assert 502 in statuses and 429 in statuses
    assert len(github.state.requests_to(r"/issues/\d+/comments$", "GET")) == 2
    assert server.logged(r"retry 1 in")


def test_when_retries_run_out_the_check_run_ends_neutral_with_the_reason(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    github.state.rate_limit_next(10, 429, retry_after=0, path=r"/pulls/\d+/files")
    assert server.deliver(site.opened(pull)).status == 202
    [run] = reviewed(server, site, pull)
    assert run["conclusion"] == "neutral" and "ListPullFiles" in run["output"]["title"]
    assert "429" in run["output"]["summary"]
    assert site.bot_comments(pull) == []
    assert server.healthy()

    with github.state.lock:
        github.state.faults.clear()
    assert server.deliver(site.opened(pull, "reopened")).status == 202
    server.wait_for(lambda: site.bot_comments(pull), "the comment")
    server.wait_for(server.idle, "an idle server")
    assert [r["conclusion"] for r in site.check_runs(pull.head)] == ["neutral", "failure"]


def test_metrics_count_github_requests_reviews_and_the_queue(server: AppServer) -> None:
    assert server.metric("tierbot_github_requests_total", status="200") > 10
    assert server.metric("tierbot_github_requests_total", status="201") >= 1
    assert server.metric("tierbot_github_requests_total", status="502") >= 1
    assert server.metric("tierbot_github_requests_total", status="error") >= 1  # the timeout
    assert 0 < server.metric("tierbot_github_rate_limit_remaining", resource="core") < 5000
    assert server.metric("tierbot_review_duration_seconds_count", outcome="published") >= 5
    assert server.metric("tierbot_review_duration_seconds_count", outcome="stopped") >= 1
    assert server.metric("tierbot_review_duration_seconds_count", outcome="not-permitted") == 1
    assert server.metric("tierbot_queue_depth") == 0
    accepted = server.metric("tierbot_webhook_deliveries_total", outcome="accepted")
    assert accepted >= 10


def test_a_full_queue_answers_503_and_sigterm_finishes_what_was_taken(
    github: SlowGitHub,
) -> None:
    site = AppSite(github.state, "acme/queue")
    first, second, third = (
        site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE}) for _ in range(3)
    )
    env = {"TIERBOT_WORKERS": "1", "TIERBOT_QUEUE_SIZE": "1", "TIERBOT_GRACE_SECONDS": "10"}
    with AppServer(github, **env).start() as server:
        stopping = threading.Event()  # the first review waits on GitHub until SIGTERM
        github.hold_next(r"/pulls/\d+$", lambda: stopping.is_set() and server.logged("stopping"))
        assert server.deliver(site.opened(first)).text == "accepted"
        server.wait_for(lambda: server.logged(rf"reviewing acme/queue#{first.number} "), "start")
        assert server.deliver(site.opened(second)).text == "accepted"
        full = server.deliver(site.opened(third))
        assert full.status == 503 and int(full.headers["Retry-After"]) > 0
        stopping.set()
        assert server.stop() == 0  # SIGTERM while the first review waits on GitHub
    assert server.logged("stopping") and not server.logged("abandoned")
    for pull in (first, second):
        assert len(site.bot_comments(pull)) == 1 and site.completed(pull.head)
    assert site.check_runs(third.head) == []


def test_past_the_grace_period_a_review_is_abandoned_and_serve_exits_0(
    github: SlowGitHub,
) -> None:
    site = AppSite(github.state, "acme/grace")
    pull = site.open_pull({BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    with AppServer(github, TIERBOT_GRACE_SECONDS="0.2").start() as server:
        stopped = threading.Event()  # the review waits on GitHub past the grace period
        github.hold_next(r"/pulls/\d+$", stopped.is_set)
        delivery = site.opened(pull)
        assert server.deliver(delivery).status == 202
        server.wait_for(lambda: server.logged("reviewing acme/grace"), "the review's start")
        assert server.stop() == 0
        stopped.set()
    assert server.logged(rf"review of acme/grace#\d+ \(deliveries {delivery.id}\) abandoned")
