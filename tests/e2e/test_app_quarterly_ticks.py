"""`tierbot serve` making the quarterly issue's ticked boxes one pull request, end to end:
signed `issues` `edited` deliveries in, the fake GitHub's branch and pull request out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from support import deliveries
from support.app_server import AppServer, SlowGitHub
from support.app_site import BOT, AppSite
from support.events import user
from support.fake_github.git_data import merge_pull
from support.quarterly_boxes import (
    BRANCH,
    DASHBOARD,
    DASHBOARD_CONFIG,
    LABEL,
    PAGES,
    anew,
    body,
    branch_changes,
    branch_commits,
    branch_files,
    dashboard_at,
    open_pulls,
    seed,
)
from support.rendered import section

from bot.core.tiers import TIERS


@pytest.fixture(scope="module")
def issue(github: SlowGitHub, site: AppSite) -> int:
    return seed(github.state, site.full_name, BOT)


@pytest.fixture(autouse=True)
def settled(github: SlowGitHub) -> Iterator[None]:
    github.state.clear_log()
    yield


class Boxes:
    def __init__(self, github: SlowGitHub, site: AppSite, server: AppServer, number: int) -> None:
        self.github, self.site, self.server, self.number = github, site, server, number

    def edit(self, ticked: set[str], sender: str) -> deliveries.Delivery:
        """``sender`` sets the ticked boxes; wait until the App has done its work."""
        issue = self.github.state.issue(self.site.full_name, self.number)
        before, issue.body = issue.body or "", body(ticked)
        delivery = deliveries.issues_edited(
            self.site.full_name,
            self.number,
            before,
            issue.body,
            sender=sender,
            labels=[LABEL],
            installation_id=self.site.installation,
        )
        self.deliver(delivery, wait=not sender.endswith("[bot]"))
        return delivery

    def deliver(self, delivery: deliveries.Delivery, *, wait: bool = True) -> None:
        done = len(self.server.logged("quarterly ticks: "))
        assert self.server.deliver(delivery).status == 202
        if wait:
            self.server.wait_for(
                lambda: len(self.server.logged("quarterly ticks: ")) > done, "the work"
            )
        self.server.wait_for(self.server.idle, "an idle server")

    def commits(self) -> list[tuple[str, str]]:
        return branch_commits(self.github.state, self.site.full_name)

    def pulls(self) -> list[int]:
        return open_pulls(self.github.state, self.site.full_name)


@pytest.fixture
def boxes(github: SlowGitHub, site: AppSite, server: AppServer, issue: int) -> Boxes:
    return Boxes(github, site, server, issue)


def test_ticks_make_one_pull_request_kept_in_step_with_the_boxes(
    boxes: Boxes, github: SlowGitHub, site: AppSite
) -> None:
    a, b, c = PAGES
    boxes.edit({a, b}, "ana")

    [number] = boxes.pulls()
    assert [page for _, page in boxes.commits()] == [a, b]
    assert boxes.commits()[0][0] == (
        f"Quarterly review: {a} reviewed\n\n"
        f"Reviewed-by: ana <{_id('ana')}+ana@users.noreply.github.com>"
    )
    files = branch_files(github.state, site.full_name)
    day = files[a].decode().split("last_reviewed: ")[1][:10]
    assert files[a].decode() == PAGES[a].replace("2024-01-01", day)
    assert files[b].decode() == PAGES[b].replace("title: B}", f"title: B, last_reviewed: {day}}}")
    assert github.state.issue(site.full_name, number).title == "Quarterly review 2026-Q4"

    boxes.edit({a, b, c}, "bo")
    assert boxes.pulls() == [number]
    assert [page for _, page in boxes.commits()] == [a, b, c]
    assert "Reviewed-by: bo <" in boxes.commits()[2][0]

    untick = boxes.edit({b, c}, "ana")  # unticked: that edit gone
    assert [page for _, page in boxes.commits()] == [b, c]
    assert boxes.pulls() == [number]

    github.state.clear_log()
    boxes.edit({a, b, c}, "rea")  # may only read: nothing
    boxes.edit({b}, BOT)  # tierbot's own edit, even one that unticks: nothing
    github.state.issue(site.full_name, boxes.number).body = body({b, c})
    boxes.deliver(untick)  # a redelivery: nothing
    assert github.state.landed_writes() == []

    merge_pull(github.state, site.full_name, number)
    merged = github.state.repo(site.full_name).commits[
        github.state.repo(site.full_name).branches["main"]
    ]
    assert f"last_reviewed: {day}" in merged[c].decode()


def _id(login: str) -> int:
    return int(user(login)["id"])


def test_two_people_ticking_at_once_end_in_one_pull_request(
    boxes: Boxes, github: SlowGitHub, site: AppSite
) -> None:
    a, b, _ = PAGES
    state, name = github.state, site.full_name
    anew(state, name, boxes.number, dict(PAGES))  # whatever an earlier test left
    state.issue(name, boxes.number).body = body({a, b})  # ana ticked a, then bo ticked b
    edits = [
        deliveries.issues_edited(
            name,
            boxes.number,
            body(before),
            body(after),
            sender=sender,
            labels=[LABEL],
            installation_id=site.installation,
        )
        for before, after, sender in [(set(), {a}, "ana"), ({a}, {a, b}, "bo")]
    ]
    for delivery in edits:  # both in before either is done
        assert boxes.server.deliver(delivery).status == 202

    boxes.server.wait_for(lambda: [p for _, p in boxes.commits()] == [a, b], "both pages")
    boxes.server.wait_for(boxes.server.idle, "an idle server")
    assert len(boxes.pulls()) == 1
    credited = [message.split("Reviewed-by: ")[1].split(" ")[0] for message, _ in boxes.commits()]
    assert credited == ["ana", "bo"]


def test_the_pull_request_refreshes_the_dashboard_in_its_last_commit(
    boxes: Boxes, github: SlowGitHub, site: AppSite
) -> None:
    a, b, c = PAGES
    state, name = github.state, site.full_name
    anew(state, name, boxes.number, {**PAGES, **DASHBOARD_CONFIG})
    ticked = boxes.edit({a, b}, "ana")

    [number] = boxes.pulls()
    assert [changed for _, changed in branch_changes(state, name)] == [[a], [b, DASHBOARD]]
    assert f"The dashboard {DASHBOARD} counted again" in boxes.commits()[1][0]
    page = branch_files(state, name)[DASHBOARD].decode()
    day = date.fromisoformat(page.split(" on ", 1)[1][:10])
    head = state.repo(name).branches[BRANCH]
    tiers = section(page, "## Pages per tier")
    assert tiers == section(dashboard_at(github, name, head, day), "## Pages per tier")
    assert _reviewed(tiers) == {"gold": "1 (100%)", "silver": "1 (100%)", "bronze": "0 (0%)"}
    assert "the quarter's pull request sets on 2 pages" in page
    assert DASHBOARD in (state.issue(name, number).body or "")

    state.clear_log()
    boxes.deliver(ticked)  # a redelivery: the branch holds the same text
    assert state.landed_writes() == []

    boxes.edit({a, b, c}, "bo")
    assert [changed for _, changed in branch_changes(state, name)] == [
        [a],
        [b, DASHBOARD],
        [c, DASHBOARD],
    ]
    page = branch_files(state, name)[DASHBOARD].decode()
    assert _reviewed(section(page, "## Pages per tier"))["bronze"] == "1 (100%)"
    assert boxes.pulls() == [number]

    boxes.edit({b, c}, "ana")  # unticked: rebuilt, the dashboard in the new last commit
    assert [changed for _, changed in branch_changes(state, name)] == [[b], [c, DASHBOARD]]
    page = branch_files(state, name)[DASHBOARD].decode()
    assert _reviewed(section(page, "## Pages per tier"))["gold"] == "0 (0%)"


def _reviewed(tiers: str) -> dict[str, str]:
    """Tier -> its row's "reviewed" cell, in the dashboard's table of pages per tier."""
    rows = (line.split(" | ") for line in tiers.splitlines() if line.startswith("| "))
    return {row[0].split(" ")[-1]: row[3] for row in rows if row[0].split(" ")[-1] in TIERS}


def test_a_config_tierbot_cannot_read_holds_back_the_dashboard_not_the_reviews(
    boxes: Boxes, github: SlowGitHub, site: AppSite
) -> None:
    a, _, _ = PAGES
    state, name = github.state, site.full_name
    anew(state, name, boxes.number, {**PAGES, ".github/tierbot.yml": "quarterly: [dashboard]\n"})
    boxes.edit({a}, "ana")

    assert [changed for _, changed in branch_changes(state, name)] == [[a]]
    assert len(boxes.pulls()) == 1
    assert boxes.server.logged("the dashboard is left as it is: ")
