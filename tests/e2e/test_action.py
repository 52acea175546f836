"""The Action on pull requests, reruns, pushes and schedules, as the runner runs `action.yml`
(installed once a session: support/action_site.py), against the fake GitHub."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from support import events
from support.action_site import (
    CONTENT_READS,
    GOLD_PAGE,
    REPO,
    SILVER_PAGE,
    TOKEN,
    break_gold,
    make_library,
    open_pull,
)
from support.git_repo import EXAMPLES, GitRepo

from bot.action import run as bot_action
from bot.core.markers import REVIEW as REVIEW_MARKER

# --- pull requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_on", "status", "conclusion"), [("", 1, "failure"), ("never", 0, "neutral")]
)
def test_pull_request_review_from_the_checkout(
    run_action, fake_github, library: GitRepo, fail_on: str, status: int, conclusion: str
) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library, labels=("documentation", "tier: bronze"))
    number = payload["number"]

    run = run_action("pull_request", payload, library.path, {"fail-on": fail_on})

    assert run.returncode == status, run.stderr
    assert "decoy" not in run.stderr
    [comment] = fake_github.state.comments(REPO, number)
    assert REVIEW_MARKER in comment.body and "gold-modern-examples" in comment.body
    assert comment.user == "github-actions[bot]"
    # The lines are linked in the pull request's repository, at its head.
    assert f"(https://github.com/{REPO}/blob/{library.sha()}/{GOLD_PAGE}?plain=1#L" in comment.body
    assert set(fake_github.state.issue_labels(REPO, number)) == {
        "documentation",  # not tierbot's: left alone
        "tier: gold",
        "needs: tier-metadata",
    }  # and the stale "tier: bronze" removed
    assert run.outputs == {
        "conclusion": conclusion,
        "tiers": "gold",
        "new-errors": "1",
        "errors": "1",
        "warnings": "0",
        "comment-url": f"https://github.com/{REPO}/pull/{number}#issuecomment-{comment.id}",
        "issue-url": "",
    }
    assert GOLD_PAGE in run.summary and "gold-modern-examples" in run.summary
    [(level, properties, _)] = run.annotations()
    assert (level, properties["file"], properties["title"]) == (
        "error",
        GOLD_PAGE,
        "gold-modern-examples",
    )
    # Both commits are in the checkout: pages, config and rules never come through the API.
    assert not [r for r in fake_github.state.log if CONTENT_READS.search(r.path)]


# --- reruns: what is compared comes from GitHub, not from the event ---------------------------


def test_a_rerun_of_the_same_event_writes_nothing(run_action, fake_github, library) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)  # no labels: the pull request as it opened
    first = run_action("pull_request", payload, library.path)
    assert first.returncode == 1, first.stderr
    number = payload["number"]
    assert [(w.method, w.path) for w in fake_github.state.landed_writes()] == [
        ("POST", f"/repos/{REPO}/issues/{number}/comments"),
        ("POST", f"/repos/{REPO}/labels"),
        ("POST", f"/repos/{REPO}/labels"),
        ("POST", f"/repos/{REPO}/issues/{number}/labels"),
    ]
    fake_github.state.clear_log()

    again = run_action("pull_request", payload, library.path)  # "Re-run jobs": the same event

    assert again.returncode == 1, again.stderr
    assert fake_github.state.writes() == []
    assert again.outputs == first.outputs and again.annotations() == first.annotations()
    # The pull request, its comments and its labels were read again, not taken from the event.
    assert fake_github.state.requests_to(rf"/pulls/{number}$", "GET")
    assert fake_github.state.requests_to(rf"/issues/{number}/comments$", "GET")


@pytest.mark.parametrize("suggestions", ["true", "false"])
def test_the_fix_of_a_misspelt_key_is_a_suggestion_unless_turned_off(
    run_action, fake_github, library, suggestions: str
) -> None:
    text = library.read(GOLD_PAGE)
    library.commit({GOLD_PAGE: text.replace("\nmodern_examples:", "\nmodern-examples:")})
    payload = open_pull(fake_github, library)

    done = run_action("pull_request", payload, library.path, {"suggestions": suggestions})

    assert done.returncode == 1, done.stderr  # gold without `modern_examples` (as spelt)
    comments = list(fake_github.state.repo(REPO).review_comments.values())
    (sticky,) = [c.body for c in fake_github.state.comments(REPO, payload["number"])]
    if suggestions == "false":
        assert comments == [] and "suggested fix" not in sticky
        return
    assert "suggested fix on line" in sticky
    assert comments, done.stdout + done.stderr
    (comment,) = comments
    line = library.read(GOLD_PAGE).splitlines().index("modern-examples:") + 1
    assert (comment["path"], comment["line"]) == (GOLD_PAGE, line)
    assert "```suggestion\nmodern_examples:\n```" in comment["body"]
    assert "1 suggested fix(es): https://github.com/" in done.stdout
    fake_github.state.clear_log()
    again = run_action("pull_request", payload, library.path, {"suggestions": suggestions})
    assert again.returncode == 1 and fake_github.state.writes() == []


def test_a_run_for_a_head_the_pull_request_left_writes_nothing(
    run_action, fake_github, library
) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)
    silver = library.read(SILVER_PAGE).replace("\n---\n", "\n---\n\nEdited.\n", 1)
    newer = library.commit({SILVER_PAGE: silver}, message="a newer push")
    fake_github.state.issue(REPO, payload["number"]).pull.head_sha = newer

    run = run_action("pull_request", payload, library.path)  # the older head's run, re-run

    assert run.returncode == 0, run.stderr
    assert fake_github.state.writes() == []
    [(_, properties, message)] = run.annotations("notice")
    assert properties["title"] == "tierbot: not reviewed"
    assert message.startswith(
        f"The pull request's head is {newer} now, not {library.sha('HEAD~1')}"
    )
    assert run.outputs["conclusion"] == "neutral" and run.outputs["comment-url"] == ""
    assert "wrote nothing" in run.summary


def test_labels_the_repository_has_are_not_created_again(run_action, fake_github, library) -> None:
    fake_github.state.add_label(REPO, "tier: gold", "FFD700")  # made for an earlier pull request
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path)

    assert run.returncode == 1, run.stderr
    state = fake_github.state
    answered = list(zip(state.log, state.response_statuses, strict=True))
    created = sorted(status for r, status in answered if r.path == f"/repos/{REPO}/labels")
    # GitHub's 422 `already_exists` for "tier: gold" is as good as made: not retried.
    assert created == [201, 422]
    assert state.label_names(REPO) == ["needs: tier-metadata", "tier: gold"]
    assert set(state.issue_labels(REPO, payload["number"])) == {
        "tier: gold",
        "needs: tier-metadata",
    }


def test_a_shallow_checkout_is_reviewed_through_the_api(run_action, fake_github, tmp_path) -> None:
    """`actions/checkout`'s default: one merge commit, neither the base nor the head."""
    state = fake_github.state
    page = (EXAMPLES / GOLD_PAGE).read_text(encoding="utf-8")
    base = state.add_commit(REPO, {GOLD_PAGE: page}, branch="main")
    head = state.add_commit(REPO, {GOLD_PAGE: break_gold(page)}, parent=base, branch="feature")
    number = state.add_pull(REPO, base, head)
    checkout = GitRepo(tmp_path / "workspace")
    checkout.commit({"README.md": "the merge commit\n"}, message="merge")

    run = run_action("pull_request", events.pull_request(REPO, number, base, head), checkout.path)

    assert run.returncode == 1, run.stderr
    assert [p["title"] for _, p, _ in run.annotations("error")] == ["gold-modern-examples"]
    assert state.requests_to(rf"/compare/{base}\.\.\.{head}$")  # the merge base, asked of GitHub
    assert len(state.comments(REPO, number)) == 1
    state.clear_log()
    again = run_action("pull_request", events.pull_request(REPO, number, base, head), checkout.path)
    assert again.returncode == 1 and state.writes() == []


def test_read_only_token_still_reports_everything(run_action, fake_github, library) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)
    fake_github.state.read_only = True  # a fork's pull request under `pull_request`

    run = run_action("pull_request", payload, library.path)

    assert run.returncode == 1  # the findings decide, not the failed writes
    assert fake_github.state.comments(REPO, payload["number"]) == []
    assert fake_github.state.writes() and not fake_github.state.landed_writes()
    notices = [message for level, _, message in run.annotations("notice")]
    assert any("cannot write" in text and "pull_request_target" in text for text in notices)
    assert "gold-modern-examples" in run.summary and "cannot write" in run.summary
    assert [p["title"] for _, p, _ in run.annotations("error")] == ["gold-modern-examples"]
    assert run.outputs["comment-url"] == "" and run.outputs["new-errors"] == "1"


def test_at_most_ten_error_annotations(run_action, fake_github, library) -> None:
    pages = {
        f"docs/pattern-library/new/page-{n:02}.md": f"---\ntitle: P{n}\n---\n" for n in range(25)
    }
    library.commit(pages, message="25 pages without a tier")
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path, {"comment": "false", "labels": "false"})

    assert run.returncode == 1
    assert run.outputs["new-errors"] == "25"
    assert len(run.annotations("error")) == 10
    assert "15 more findings are not annotated" in run.summary
    assert all(f"page-{n:02}.md" in run.summary for n in range(25))  # the summary has them all
    assert not fake_github.state.writes()


def test_boolean_inputs_are_strict(run_action, fake_github, library) -> None:
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path, {"comment": "yes"})

    assert run.returncode == 2
    assert "input `comment` must be `true` or `false`" in run.stderr
    assert not fake_github.state.log


def test_config_from_base_and_dry_run(run_action, fake_github, tmp_path) -> None:
    config = ".github/tierbot.yml"
    library = make_library(tmp_path / "workspace", {config: "fail-on: errors\n"})
    untiered = "docs/pattern-library/scaling/auto-scaling.md"  # tier-missing, already on main
    edited = library.read(untiered) + "\nEdited.\n"
    library.commit({untiered: edited, config: "fail-on: never\n"}, message="edit; relax")
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path, {"dry-run": "true"})

    assert run.returncode == 1  # `fail-on: errors` from the base; the head's `never` is ignored
    assert [(p["file"], p["title"]) for _, p, _ in run.annotations()] == [
        (untiered, "tier-missing")
    ]
    assert not fake_github.state.writes()
    assert "Dry run: 1 write(s) not made:\n  CreateComment(issue_number=1," in run.stderr


# --- pushes and schedules --------------------------------------------------------------------


def test_push_checks_the_pages_it_changed(run_action, fake_github, library) -> None:
    before = library.sha()
    silver = library.read(SILVER_PAGE).replace("\n---\n", "\n---\n\nEdited.\n", 1)
    after = library.commit(
        {GOLD_PAGE: break_gold(library.read(GOLD_PAGE)), SILVER_PAGE: silver}, message="push"
    )

    run = run_action("push", events.push(REPO, before, after), library.path)

    assert run.returncode == 1, run.stderr
    assert {p["file"] for _, p, _ in run.annotations()} == {GOLD_PAGE}
    assert "2 pages checked: 1 error, 0 warnings" in run.summary  # not the other 15 pages
    assert run.outputs["errors"] == "1" and run.outputs["tiers"] == "gold,silver"
    assert not fake_github.state.log  # a check needs no API at all


def test_mode_check_on_a_pull_request_checks_every_page(run_action, fake_github, library):
    """What the self-test workflow does on this repository's own examples/."""
    before = library.sha()
    silver = library.read(SILVER_PAGE).replace("\n---\n", "\n---\n\nEdited.\n", 1)
    library.commit({SILVER_PAGE: silver}, message="edit one clean page")
    payload = events.pull_request(REPO, 7, library.sha("main"), library.sha(), before=before)

    run = run_action("pull_request", payload, library.path, {"mode": "check", "fail-on": "never"})

    assert run.returncode == 0, run.stderr
    assert "auto-scaling.md" in run.summary  # unchanged, but in the checkout: checked
    assert int(run.outputs["errors"]) > 0 and run.outputs["conclusion"] == "success"
    assert run.outputs["tiers"] == "gold,silver,bronze"
    assert not fake_github.state.log


def test_schedule_runs_the_quarterly_path(run_action, fake_github, library) -> None:
    run = run_action("schedule", events.schedule(), library.path)

    assert run.returncode == 0, run.stderr
    # What the quarterly review does is tested in test_quarterly_publish.py.
    assert "tierbot: Pattern review " in run.stdout


def test_schedule_hands_over_to_the_quarterly_review(tmp_path: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(bot_action, "run_action_quarterly", lambda *args: calls.append(args) or 7)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(events.schedule()))
    env = {
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_REPOSITORY": REPO,
        "TIERBOT_GITHUB_TOKEN": TOKEN,
        "TIERBOT_QUARTER": "2026-Q4",
    }
    assert bot_action.run_action(argparse.Namespace(), env) == 7
    [(workspace, quarter, dry_run, *_)] = calls
    assert (workspace, quarter, dry_run) == (tmp_path, "2026-Q4", False)
