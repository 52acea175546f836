"""`tierbot pr` over real HTTP against the fake: the `tierbot` commit status it sets once,
and a page GitHub gives no content for (GraphQL `null`) reviewed as an error."""

from __future__ import annotations

import time

import pytest
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.pages import GOLD, SILVER, page
from support.pr_cli import BOT, REPO, open_pull, pr_environment, run_pr

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
CHUNKING = f"{LIB}/scaling/chunking.md"
GOLD_PAGE = page(GOLD)
BROKEN_PAGE = page(GOLD, {"modern_examples": ""})
NEEDS = "needs: tier-metadata"


@pytest.fixture
def github(fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the adapter's write spacing
    return pr_environment(fake_github, monkeypatch)


def statuses(state: FakeGitHub, sha: str) -> list[tuple[str, str, str, str | None]]:
    return [
        (s["context"], s["state"], s["description"], s["target_url"])
        for s in state.repo(REPO).statuses
        if s["sha"] == sha
    ]


def status_writes(state: FakeGitHub) -> list[str]:
    return [w.path for w in state.writes() if "/statuses/" in w.path]


def comment_url(state: FakeGitHub, number: int) -> str:
    (comment,) = [c for c in state.comments(REPO, number) if c.user == BOT]
    return f"https://github.com/{REPO}/pull/{number}#issuecomment-{comment.id}"


def test_one_status_on_the_head_and_a_rerun_posts_none(github: FakeGitHub, capsys) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    head = github.issue(REPO, number).pull.head_sha

    code, _, err = run_pr(capsys, number)

    assert code == 1
    url = comment_url(github, number)
    assert statuses(github, head) == [("tierbot", "failure", "1 new error on 1 of 1 page.", url)]
    assert err.endswith("Commit status: failure (set)\n")

    github.clear_log()
    code, _, err = run_pr(capsys, number)
    assert code == 1
    assert github.writes() == []  # the status too: the newest `tierbot` one says the same
    assert len(statuses(github, head)) == 1
    assert err.endswith("Commit status: failure (already set)\n")
    assert github.requests_to(rf"/commits/{head}/status$", "GET")  # the combined status


def test_a_fixed_head_gets_a_success_status_and_the_old_head_keeps_its_own(
    github: FakeGitHub, capsys
) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    pull = github.issue(REPO, number).pull
    first = pull.head_sha
    assert run_pr(capsys, number)[0] == 1

    pull.head_sha = github.add_commit(REPO, {BREAKER: GOLD_PAGE}, parent=first)
    github.clear_log()
    assert run_pr(capsys, number)[0] == 0

    assert status_writes(github) == [f"/repos/{REPO}/statuses/{pull.head_sha}"]
    url = comment_url(github, number)
    assert statuses(github, pull.head_sha) == [
        ("tierbot", "success", "no new problems on 1 page.", url)
    ]
    assert [s[1] for s in statuses(github, first)] == ["failure"]


def test_a_status_someone_changed_is_set_again(github: FakeGitHub, capsys) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: GOLD_PAGE, CHUNKING: page(SILVER)})
    head = github.issue(REPO, number).pull.head_sha
    assert run_pr(capsys, number)[0] == 0
    github.repo(REPO).statuses.append(
        {**github.repo(REPO).statuses[-1], "id": 1, "state": "pending", "description": "hm"}
    )
    github.clear_log()

    assert run_pr(capsys, number)[0] == 0

    assert status_writes(github) == [f"/repos/{REPO}/statuses/{head}"]
    assert statuses(github, head)[-1][:3] == (
        "tierbot",
        "success",
        "no new problems on 1 page.",
    )


def test_no_status_sets_none(github: FakeGitHub, capsys) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    code, _, err = run_pr(capsys, number, "--no-status")
    assert code == 1
    assert github.repo(REPO).statuses == [] and "Commit status" not in err
    assert not github.requests_to(r"/statuses$")


def test_a_review_that_cannot_be_made_sets_an_error_status(github: FakeGitHub, capsys) -> None:
    bad = {".github/tierbot.yml": "fail-on: sometimes\n", BREAKER: GOLD_PAGE}
    number = open_pull(github, bad, {BREAKER: BROKEN_PAGE})
    head = github.issue(REPO, number).pull.head_sha

    code, _, err = run_pr(capsys, number)

    assert code == 2 and "fail-on" in err
    ((context, state, description, url),) = statuses(github, head)
    assert (context, state, url) == ("tierbot", "error", None)
    assert description.startswith("tierbot could not review this commit: ")
    assert "fail-on" in description and len(description) <= 140


# --- a page GitHub gives no content for ---------------------------------------------------------


def test_a_page_graphql_answers_null_for_at_head_is_an_error_never_clean(
    github: FakeGitHub, capsys
) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: page(GOLD, {"title": "Breaker"})})
    head = github.issue(REPO, number).pull.head_sha
    github.graphql_nulls.add((head, BREAKER))

    code, out, _ = run_pr(capsys, number)

    assert code == 1
    (comment,) = [c.body for c in github.comments(REPO, number) if c.user == BOT]
    assert BREAKER in comment
    assert "GitHub returned no content for this revision" in comment
    assert "Conclusion: failure" in out
    assert NEEDS in github.issue_labels(REPO, number)
    assert statuses(github, head)[0][1] == "failure"
