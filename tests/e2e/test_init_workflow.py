"""The workflow `tierbot init` writes, run job by job as GitHub Actions runs it (its `if:`s,
its steps, this repository's action for `uses: tierbot/tierbot`) against the fake GitHub."""

from __future__ import annotations

import re

import pytest
from support import events
from support.action_site import GOLD_PAGE, REPO, break_gold, open_pull
from support.git_repo import GitRepo
from support.quarterly_boxes import LABEL, PAGES, body, open_pulls, seed
from support.workflow_runner import Workflow

from bot.cli import main as cli
from bot.core.markers import REVIEW as REVIEW_MARKER
from bot.port.forge import ACTIONS_LOGIN


@pytest.fixture
def workflow(library: GitRepo, capsys) -> Workflow:
    """`tierbot init` run in the library's checkout: the workflow it wrote."""
    assert cli.main(["init", "--repo", str(library.path)]) == 0
    assert ".github/workflows/tierbot.yml: wrote" in capsys.readouterr().out
    return Workflow(library.path / ".github/workflows/tierbot.yml")


def approval(opened: dict, action: str) -> dict:
    """A maintainer's approval of the head of the pull request ``opened`` announced."""
    pull = opened["pull_request"]
    return events.pull_request_review(
        REPO,
        opened["number"],
        pull["base"]["sha"],
        pull["head"]["sha"],
        reviewer="maintainer",
        state="approved",
        review_id=1,
        action=action,
    )


def test_a_pull_request_runs_the_review_job_and_an_approval_reruns_it(
    workflow, run_workflow, fake_github, library
) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    opened = open_pull(fake_github, library)
    assert workflow.jobs_for("pull_request", opened) == ["review"]
    group = f"tierbot-{opened['number']}"  # a newer run for this pull request cancels this one
    assert workflow.concurrency_group("review", "pull_request", opened) == group

    run = run_workflow(workflow, "review", "pull_request", opened, library.path)

    assert [step.name for step in run.steps] == ["actions/checkout", "tierbot/tierbot"]
    assert run.returncode == 1, run.stderr  # the new error fails the job
    [comment] = fake_github.state.comments(REPO, opened["number"])
    assert REVIEW_MARKER in comment.body and "gold-modern-examples" in comment.body

    fake_github.state.clear_log()
    for action in ("submitted", "dismissed"):
        review = approval(opened, action)
        assert workflow.jobs_for("pull_request_review", review) == ["review"]
        assert workflow.concurrency_group("review", "pull_request_review", review) == group
        again = run_workflow(workflow, "review", "pull_request_review", review, library.path)
        assert again.returncode == 1, again.stderr  # the same review, read again
        assert again.annotations() == run.annotations()
    assert fake_github.state.writes() == []
    edited = approval(opened, "edited")
    assert workflow.jobs_for("pull_request_review", edited) == []  # not a trigger


@pytest.mark.parametrize(
    ("event_name", "payload", "title"),
    [
        ("workflow_dispatch", events.workflow_dispatch(REPO, {"quarter": "2026-Q4"}), "2026-Q4"),
        ("schedule", events.schedule("17 6 * * 1"), r"\d{4}-Q[1-4]"),  # this quarter
    ],
    ids=["workflow_dispatch", "schedule"],
)
def test_a_schedule_or_a_manual_run_opens_the_quarterly_issue(
    workflow, run_workflow, fake_github, library, event_name, payload, title
) -> None:
    assert workflow.jobs_for(event_name, payload) == ["quarterly"]

    run = run_workflow(workflow, "quarterly", event_name, payload, library.path)

    assert run.returncode == 0, run.stderr
    [issue] = fake_github.state.repo(REPO).issues.values()
    assert re.fullmatch(f"Pattern review {title}", issue.title), issue.title
    assert LABEL in fake_github.state.issue_labels(REPO, issue.number)
    assert run.steps[-1].outputs["issue-url"].endswith(f"/issues/{issue.number}")


def test_a_ticked_box_runs_the_boxes_job_only_on_the_quarterly_issue(
    workflow, run_workflow, fake_github, tmp_path
) -> None:
    number = seed(fake_github.state, REPO, ACTIONS_LOGIN)
    issue = fake_github.state.issue(REPO, number)
    before, issue.body = issue.body or "", body({next(iter(PAGES))})
    ticked = events.issues_edited(REPO, number, before, issue.body, sender="ana", labels=[LABEL])
    other = events.issues_edited(REPO, number, before, issue.body, sender="ana", labels=[])
    assert workflow.jobs_for("issues", other) == []  # an edit of another issue: all skipped
    assert workflow.jobs_for("issues", ticked) == ["boxes"]
    workspace = tmp_path / "empty"  # the job has no checkout
    workspace.mkdir()

    run = run_workflow(workflow, "boxes", "issues", ticked, workspace)

    assert run.returncode == 0, run.stderr
    assert len(open_pulls(fake_github.state, REPO)) == 1  # the quarter's pull request
