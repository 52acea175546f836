"""`tierbot pr`'s promotion gate over real HTTP against the fake: the `tierbot/promotion`
commit status, pending until an approver approves, set once."""

from __future__ import annotations

import time

import pytest
from support.app_site import BREAKER, GOLD_PAGE
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.pr_cli import REPO, open_pull, pr_environment, run_pr
from support.promotions import BASE, CONFIG_PATH, HEAD, LEAD, NEEDS, OTHER, TEAM, approved_by

CONTEXT = "tierbot/promotion"


@pytest.fixture
def github(fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the adapter's write spacing
    return pr_environment(fake_github, monkeypatch)


def gate(state: FakeGitHub, number: int) -> list[tuple[str, str]]:
    """The `tierbot/promotion` statuses at the pull request's head, oldest first."""
    head = state.issue(REPO, number).pull.head_sha  # type: ignore[union-attr]
    return [
        (s["state"], s["description"])
        for s in state.repo(REPO).statuses
        if s["sha"] == head and s["context"] == CONTEXT
    ]


def push(state: FakeGitHub, number: int, files: dict[str, str | None]) -> None:
    pull = state.issue(REPO, number).pull
    assert pull is not None
    pull.head_sha = state.add_commit(REPO, files, parent=pull.head_sha)


def test_pending_until_an_approver_approves_and_a_rerun_writes_nothing(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    number = open_pull(github, BASE, HEAD)
    _, _, err = run_pr(capsys, number)
    assert gate(github, number) == [("pending", NEEDS)]
    assert err.endswith(f"Promotion gate: pending: {NEEDS} (set)\n")

    github.add_review(REPO, number, "stranger", "APPROVED")
    github.clear_log()
    run_pr(capsys, number)
    assert github.writes() == []  # someone else's approval: still pending, already said

    github.add_review(REPO, number, LEAD, "APPROVED")
    run_pr(capsys, number)
    assert gate(github, number) == [("pending", NEEDS), ("success", approved_by(LEAD))]

    github.clear_log()
    _, _, err = run_pr(capsys, number)
    assert github.writes() == []
    assert err.endswith(f"Promotion gate: success: {approved_by(LEAD)} (already set)\n")


def test_a_team_member_approves_a_dismissed_approval_does_not(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_team_member(TEAM, "ana")
    number = open_pull(github, BASE, HEAD)
    github.dismiss_review(REPO, github.add_review(REPO, number, LEAD, "APPROVED"))
    github.add_review(REPO, number, "ana", "APPROVED")
    github.add_review(REPO, number, "ana", "COMMENTED")  # a comment leaves the approval
    run_pr(capsys, number)
    assert gate(github, number) == [("success", approved_by("ana"))]


def test_a_push_keeps_the_approval_unless_it_changes_the_promoted_page(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    number = open_pull(github, BASE, HEAD)
    github.add_review(REPO, number, LEAD, "APPROVED")
    push(github, number, {OTHER: GOLD_PAGE.replace("Circuit Breaker", "Other notes")})
    run_pr(capsys, number)
    assert gate(github, number) == [("success", approved_by(LEAD))]

    push(github, number, {BREAKER: GOLD_PAGE + "\nOne more line.\n"})
    run_pr(capsys, number)
    assert gate(github, number) == [("pending", NEEDS)]


def test_with_the_gate_on_every_head_gets_a_status_so_a_branch_rule_can_require_it(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    number = open_pull(github, BASE, {BREAKER: BASE[BREAKER] + "\nEdited.\n"})
    run_pr(capsys, number)
    assert gate(github, number) == [("success", "No promotion")]
    run_pr(capsys, number)
    assert gate(github, number) == [("success", "No promotion")]  # set once


def test_with_the_gate_off_no_gate_status(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {path: text for path, text in BASE.items() if path != CONFIG_PATH}
    number = open_pull(github, base, HEAD)  # a promotion, but nobody is named to approve it
    _, _, err = run_pr(capsys, number)
    assert gate(github, number) == []
    assert "Promotion gate" not in err


def test_a_gate_status_left_at_the_head_says_no_promotion_once_none_is_gated(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    number = open_pull(github, BASE, HEAD)
    run_pr(capsys, number)
    pull = github.issue(REPO, number).pull
    assert pull is not None
    # The base moves on to a config without approvers: the head is no longer gated.
    pull.base_sha = github.add_commit(
        REPO, {CONFIG_PATH: "fail-on: new-errors\n"}, parent=pull.base_sha
    )
    run_pr(capsys, number)
    assert gate(github, number) == [("pending", NEEDS), ("success", "No promotion")]
