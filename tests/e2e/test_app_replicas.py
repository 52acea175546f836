"""Two `tierbot serve` replicas sharing nothing but a slow GitHub publish a review once.

Replicas as real subprocesses behind no load balancer: the tests deal deliveries to them,
the same one to both as a redelivery or a retrying proxy would. GitHub appends a check run's
annotations on every update, so a run written by two reviews would show each twice.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from support.app_server import AppServer, SlowGitHub, wait_until_reviewed
from support.app_site import BROKEN_PAGE, AppSite, Pull, annotations_shown, pages

from bot.core.review.check_run import SURPLUS_TITLE
from bot.jobs.review.check_run import WAITING
from bot.jobs.review.claim import LEASE

NOTES = 15  # findings annotated: one new error on each new page
#: One GitHub request may take this long: a held answer is waited for, not retried.
ENV = {"TIERBOT_GITHUB_TIMEOUT": "10"}


@pytest.fixture(scope="module")
def replicas(github: SlowGitHub, site: AppSite) -> Iterator[tuple[AppServer, AppServer]]:
    """Two replicas of one App: the same settings, nothing shared but GitHub."""
    with AppServer(github, **ENV).start() as first, AppServer(github, **ENV).start() as second:
        yield first, second
        assert first.stop() == 0 and second.stop() == 0
    for server in (first, second):
        assert not server.logged("Traceback"), "\n".join(server.lines)


@pytest.fixture(autouse=True)
def slow(github: SlowGitHub) -> Iterator[None]:
    """GitHub answers every request 50 ms late: the replicas' reviews overlap."""
    github.state.clear_log()
    github.state.delay = 0.05
    yield
    github.state.delay = 0
    with github.state.lock:
        github.stalls.clear()


def open_pull(site: AppSite) -> Pull:
    return site.open_pull({"README.md": "# Patterns\n"}, pages(NOTES, BROKEN_PAGE))


def reported_once(site: AppSite, head: str) -> dict:
    """The head's run GitHub shows (the newest), each annotation in it once; any older run
    there ended skipped as a surplus, holding nothing. The run shown."""
    *older, shown = site.check_runs(head)
    counts = annotations_shown(shown)
    assert (shown["status"], shown["conclusion"]) == ("completed", "failure")
    assert len(counts) == NOTES and set(counts.values()) == {1}
    for surplus in older:
        assert (surplus["conclusion"], surplus["output"]["title"]) == ("skipped", SURPLUS_TITLE)
        assert surplus.get("annotations", []) == []
    return shown


def test_one_delivery_to_two_replicas_writes_what_one_replica_writes(
    replicas: tuple[AppServer, AppServer], github: SlowGitHub
) -> None:
    first, second = replicas
    alone, pair = AppSite(github.state, "acme/alone"), AppSite(github.state, "acme/pair")
    solo = open_pull(alone)
    first.deliver(alone.opened(solo))
    wait_until_reviewed(replicas, lambda: alone.completed(solo.head), "the review by one")

    pull = open_pull(pair)
    delivery = pair.opened(pull)
    assert [first.deliver(delivery).text, second.deliver(delivery).text] == ["accepted"] * 2
    wait_until_reviewed(replicas, lambda: pair.completed(pull.head), "the review by two")

    assert len(pair.bot_comments(pull)) == 1
    reported_once(pair, pull.head)
    assert pair.in_progress() == []
    # Two reviews that create a run at the very same moment leave the older ended skipped
    # (GitHub has no create-if-absent): that run's create and end are the only writes more.
    surplus = len(pair.check_runs(pull.head)) - 1
    extra = Counter({("POST", "/check-runs"): surplus, ("PATCH", "/check-runs/N"): surplus})
    assert pair.landed_writes() == alone.landed_writes() + extra


def test_a_replica_finding_the_run_of_another_waits_for_it_and_writes_nothing(
    replicas: tuple[AppServer, AppServer], site: AppSite, github: SlowGitHub
) -> None:
    first, second = replicas
    pull = open_pull(site)
    found = WAITING.replace("%s", ".*")
    # The first review publishes only once the second has seen its run in progress.
    github.hold_next(r"/issues/\d+/comments$", lambda: bool(second.logged(found)), "GET")
    delivery = site.opened(pull)
    first.deliver(delivery)
    first.wait_for(lambda: site.check_runs(pull.head), "the first review's run")
    second.deliver(delivery)
    wait_until_reviewed(replicas, lambda: site.completed(pull.head), "the review")

    assert second.logged(found) and not first.logged(found)
    [run] = site.check_runs(pull.head)  # the second review made none
    assert reported_once(site, pull.head) == run
    assert len(site.bot_comments(pull)) == 1
    for made_once in (r"/issues/\d+/comments$", r"/issues/\d+/labels$", r"/check-runs$"):
        assert len(github.state.requests_to(made_once, "POST")) == 1


def test_deliveries_for_one_pull_request_dealt_to_two_replicas_report_each_head_once(
    replicas: tuple[AppServer, AppServer], site: AppSite
) -> None:
    pull = open_pull(site)
    old = pull.head
    for server in replicas:
        server.deliver(site.opened(pull))
    wait_until_reviewed(replicas, lambda: site.completed(old), "the first head's review")
    site.push(pull, {"README.md": "# Patterns, moved\n"})
    for n, delivery in enumerate(site.push_deliveries(pull, old)):  # two ask for a review
        assert replicas[n % 2].deliver(delivery).status == 202
    wait_until_reviewed(replicas, lambda: site.completed(pull.head), "the new head's review")

    [comment] = site.bot_comments(pull)
    assert pull.head[:12] in comment
    reported_once(site, pull.head)
    reported_once(site, old)
    assert site.in_progress() == []


def test_a_replica_killed_mid_review_leaves_its_run_to_a_redelivery(
    replicas: tuple[AppServer, AppServer], site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull({"README.md": "# Patterns\n"}, pages(60, BROKEN_PAGE))
    delivery = site.opened(pull)
    killed = threading.Event()
    # The run's first 50 annotations land; the answer never reaches the replica.
    github.hold_next(r"/check-runs/\d+$", killed.is_set, "PATCH")
    with AppServer(github, **ENV).start() as doomed:
        doomed.deliver(delivery)
        doomed.wait_for(
            lambda: [r for r in site.check_runs(pull.head) if r.get("annotations")], "50 landed"
        )
        doomed.kill()  # SIGKILL; its review process, left without a server, goes too
        killed.set()
    [run] = site.check_runs(pull.head)
    assert (run["status"], len(run["annotations"])) == ("in_progress", 50)

    # GitHub's "Redeliver", once the lease of the dead review's claim has run out.
    with github.state.lock:
        held = github.state.repo(site.full_name).check_runs[run["id"]]
        held["started_at"] = (datetime.now(UTC) - LEASE).strftime("%Y-%m-%dT%H:%M:%SZ")
    first = replicas[0]
    github.state.clear_log()
    assert first.deliver(delivery).text == "accepted"
    wait_until_reviewed(replicas, lambda: site.completed(pull.head), "the redelivered review")

    assert first.logged(rf"taking .*/runs/{run['id']} over")
    [done] = site.check_runs(pull.head)
    assert done["id"] == run["id"] and len(annotations_shown(done)) == 60
    assert set(annotations_shown(done).values()) == {1}
    assert len(site.bot_comments(pull)) == 1
    # The claim taken over, then the last 10 annotations with the conclusion: nothing more.
    assert site.landed_writes() == {("PATCH", "/check-runs/N"): 2}
