"""The promotion gate as the App runs it: `tierbot serve` as a real subprocess, signed
`pull_request` and `pull_request_review` deliveries, the fake GitHub over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.app_server import AppServer, SlowGitHub
from support.app_site import BREAKER, GOLD_PAGE, AppSite, Pull
from support.deliveries import Delivery
from support.promotions import BASE, CONFIG_PATH, HEAD, LEAD, NEEDS, OTHER, TEAM, approved_by

GATE = "tierbot / promotion"


@pytest.fixture(autouse=True)
def settled(github: SlowGitHub) -> Iterator[None]:
    github.state.clear_log()
    yield


def gate_run(site: AppSite, head: str) -> dict[str, Any] | None:
    runs = [r for r in site.completed(head) if r["name"] == GATE]
    assert len(runs) <= 1, runs  # never two gate runs at one head
    return runs[0] if runs else None


def says(server: AppServer, site: AppSite, pull: Pull, title: str) -> dict[str, Any]:
    """Wait until the head's gate run says ``title``, then for an idle server; the run."""
    run = server.wait_for(
        lambda: (
            (found := gate_run(site, pull.head)) and found["output"]["title"] == title and found
        ),
        f"the gate run at {pull.head[:12]} saying {title!r}",
    )
    server.wait_for(server.idle, "an idle server")
    return run


def decided(server: AppServer, delivery: Delivery, state: str) -> None:
    """Deliver ``delivery``; wait until its work decided the gate ``state`` and nothing runs."""
    assert server.deliver(delivery).status == 202
    server.wait_for(
        lambda: server.logged(rf"\[{delivery.id}\] .*promotion gate: {state} "),
        f"delivery {delivery.id} deciding the gate {state}",
    )
    server.wait_for(server.idle, "an idle server")


def opened(server: AppServer, site: AppSite) -> Pull:
    """A pull request promoting BREAKER silver → gold, reviewed: the gate asks for approval."""
    pull = site.open_pull(BASE, HEAD)
    assert server.deliver(site.opened(pull)).status == 202
    run = says(server, site, pull, NEEDS)
    assert run["conclusion"] == "action_required"
    assert f"- `{BREAKER}`: 🥈 silver → 🏆 gold" in run["output"]["summary"]
    assert "@" not in run["output"]["title"] + run["output"]["summary"]  # nobody pinged
    return pull


def test_an_approver_lets_a_promotion_through_and_a_stranger_does_not(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = opened(server, site)
    [review_run] = [r for r in site.completed(pull.head) if r["name"] == "tierbot"]

    github.state.clear_log()
    decided(server, site.review(pull, "stranger"), "required")
    assert site.landed_writes() == {}  # still required: nothing to write
    assert gate_run(site, pull.head)["conclusion"] == "action_required"  # type: ignore[index]

    assert server.deliver(site.review(pull, LEAD)).status == 202
    assert says(server, site, pull, approved_by(LEAD))["conclusion"] == "success"
    # Only the gate was decided again: the review's run, comment and labels were left alone.
    assert site.landed_writes() == {("PATCH", "/check-runs/N"): 1}
    assert [r for r in site.completed(pull.head) if r["name"] == "tierbot"] == [review_run]

    github.state.clear_log()
    decided(server, site.review(pull, LEAD), "approved")
    assert site.landed_writes() == {}  # a rerun writes nothing already right

    github.state.clear_log()
    commented = site.review(pull, "stranger", "COMMENTED")
    assert server.deliver(commented).status == 202
    server.wait_for(lambda: server.logged(rf"\[{commented.id}\] .*only comments"), "the skip")
    assert github.state.log == []  # a comment decides nothing: GitHub is not even asked


def test_a_team_member_approves_and_a_pending_one_does_not(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    github.state.add_team_member(TEAM, "ana")
    github.state.add_team_member(TEAM, "bo", state="pending")
    pull = opened(server, site)
    decided(server, site.review(pull, "bo"), "required")
    assert server.deliver(site.review(pull, "ana")).status == 202
    assert says(server, site, pull, approved_by("ana"))["conclusion"] == "success"
    asked = github.state.requests_to(r"/orgs/acme/teams/maintainers/memberships/")
    assert {r.path.rsplit("/", 1)[1] for r in asked} == {"bo", "ana"}


def test_a_push_keeps_the_approval_unless_it_changes_the_promoted_page(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = opened(server, site)
    approved_at = pull.head
    assert server.deliver(site.review(pull, LEAD)).status == 202
    says(server, site, pull, approved_by(LEAD))

    before = pull.head
    site.push(pull, {OTHER: GOLD_PAGE.replace("Circuit Breaker", "Other notes")})
    assert server.deliver(site.pushed(pull, before)).status == 202
    assert says(server, site, pull, approved_by(LEAD))["conclusion"] == "success"

    untouched_head, before = pull.head, pull.head
    site.push(pull, {BREAKER: GOLD_PAGE + "\nOne more line.\n"})
    assert server.deliver(site.pushed(pull, before)).status == 202
    assert says(server, site, pull, NEEDS)["conclusion"] == "action_required"
    # The approval's commit compared with each later head, once a head.
    compared = github.state.requests_to(rf"/compare/{approved_at}\.\.\.")
    assert [r.path.rsplit(".", 1)[1] for r in compared] == [untouched_head, pull.head]


def test_with_the_gate_on_every_head_gets_a_gate_run_so_a_branch_rule_can_require_it(
    server: AppServer, site: AppSite, github: SlowGitHub
) -> None:
    pull = site.open_pull(BASE, {BREAKER: BASE[BREAKER] + "\nEdited.\n"})
    assert server.deliver(site.opened(pull)).status == 202
    run = says(server, site, pull, "No promotion")
    assert run["conclusion"] == "success"
    assert sorted(r["name"] for r in site.check_runs(pull.head)) == ["tierbot", GATE]

    github.state.clear_log()
    decided(server, site.opened(pull, "reopened"), "none")
    assert site.landed_writes() == {}  # a rerun writes nothing already right


def test_with_the_gate_off_no_gate_run(server: AppServer, site: AppSite) -> None:
    base = {path: text for path, text in BASE.items() if path != CONFIG_PATH}
    pull = site.open_pull(base, HEAD)  # a promotion, but nobody is named to approve it
    assert server.deliver(site.opened(pull)).status == 202
    server.wait_for(lambda: site.completed(pull.head), "the review's run")
    server.wait_for(server.idle, "an idle server")
    assert [r["name"] for r in site.check_runs(pull.head)] == ["tierbot"]
