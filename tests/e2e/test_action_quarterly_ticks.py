"""The Action on the quarterly issue's `issues` `edited` events, end to end: the installed
action's step runs the App's job against the fake GitHub, the sender as the ticker."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import events
from support.action_site import REPO
from support.quarterly_boxes import (
    DASHBOARD,
    DASHBOARD_CONFIG,
    LABEL,
    PAGES,
    anew,
    body,
    branch_changes,
    branch_commits,
    branch_files,
    open_pulls,
    seed,
)
from support.rendered import raw_html

from bot.core.markers import TICKS_REFUSED
from bot.port.forge import ACTIONS_LOGIN


class Ticks:
    """The issue on the fake GitHub, and the Action run on each edit of its boxes."""

    def __init__(self, run_action, fake_github, workspace: Path) -> None:
        self.run_action, self.state, self.workspace = run_action, fake_github.state, workspace
        self.number = seed(self.state, REPO, ACTIONS_LOGIN)

    def edit(self, ticked: set[str], sender: str) -> dict:
        """``sender`` sets the ticked boxes; the workflow runs on the event."""
        issue = self.state.issue(REPO, self.number)
        before, issue.body = issue.body or "", body(ticked)
        event = events.issues_edited(
            REPO, self.number, before, issue.body, sender=sender, labels=[LABEL]
        )
        self.run(event)
        return event

    def run(self, event: dict) -> str:
        done = self.run_action("issues", event, self.workspace, {"mode": "quarterly"})
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture
def ticks(run_action, fake_github, tmp_path: Path) -> Ticks:
    workspace = tmp_path / "workspace"  # no checkout: the job reads everything from GitHub
    workspace.mkdir()
    return Ticks(run_action, fake_github, workspace)


def test_ticks_make_one_pull_request_and_a_rerun_writes_nothing(ticks: Ticks) -> None:
    a, b, c = PAGES
    ticked = ticks.edit({a, b}, "ana")

    [number] = open_pulls(ticks.state, REPO)
    commits = branch_commits(ticks.state, REPO)
    assert [page for _, page in commits] == [a, b]
    assert all("\n\nReviewed-by: ana <" in message for message, _ in commits)
    assert ticks.state.issue(REPO, number).title == "Quarterly review 2026-Q4"

    ticks.state.clear_log()
    ticks.run(ticked)  # a rerun of the workflow: nothing
    ticks.edit({a, b, c}, "rea")  # may only read: nothing
    assert ticks.state.landed_writes() == []
    assert [page for _, page in branch_commits(ticks.state, REPO)] == [a, b]


def test_the_pull_request_carries_the_dashboard_and_a_rerun_writes_nothing(ticks: Ticks) -> None:
    a, b, _ = PAGES
    anew(ticks.state, REPO, ticks.number, {**PAGES, **DASHBOARD_CONFIG})
    ticked = ticks.edit({a, b}, "ana")

    assert [changed for _, changed in branch_changes(ticks.state, REPO)] == [[a], [b, DASHBOARD]]
    page = branch_files(ticks.state, REPO)[DASHBOARD].decode()
    assert page.startswith("# Pattern health dashboard\n") and raw_html(page) == 0
    assert "the quarter's pull request sets on 2 pages" in page
    [number] = open_pulls(ticks.state, REPO)
    assert f"`{DASHBOARD}` (`quarterly.dashboard`)" in (ticks.state.issue(REPO, number).body or "")

    ticks.state.clear_log()
    ticks.run(ticked)  # a rerun of the workflow: the branch holds the same text
    assert ticks.state.landed_writes() == []


def test_a_token_that_may_not_push_says_why_in_the_issue_once(ticks: Ticks) -> None:
    ticks.state.refuse_writes(r"/git/")  # `contents: read`: the issue, not the branch
    a, *_ = PAGES
    ticked = ticks.edit({a}, "ana")
    ticks.run(ticked)

    notes = [c for c in ticks.state.comments(REPO, ticks.number) if TICKS_REFUSED in c.body]
    assert len(notes) == 1 and "may not write to the repository" in notes[0].body
    assert open_pulls(ticks.state, REPO) == []
