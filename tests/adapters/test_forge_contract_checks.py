"""The Forge contract, continued: check runs (created, listed, updated with annotations) and a
user's permission, for every adapter (the fixtures: conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.fake_github import FakeGitHub
from support.forges import REPO

from bot.core.limits import CHECK_ANNOTATIONS_PER_REQUEST
from bot.errors import NotFound
from bot.port import operations as ops
from bot.port.forge import Forge
from bot.port.results import CheckAnnotation


def test_check_runs_created_and_listed_newest_first(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    later = state.add_commit(REPO, {"a.md": "b"}, parent=sha)
    first = forge.execute(ops.CreateCheckRun(sha, "tierbot", details_url="https://e.example/1"))
    assert (first.name, first.head_sha, first.status, first.conclusion) == (
        "tierbot",
        sha,
        "in_progress",
        None,
    )
    assert first.app_slug == "github-actions"  # the Actions token's App
    assert first.html_url == f"https://github.com/{REPO}/runs/{first.id}"
    assert state.repo(REPO).check_runs[first.id]["details_url"] == "https://e.example/1"
    second = forge.execute(ops.CreateCheckRun(sha, "tierbot", status="queued"))
    forge.execute(ops.CreateCheckRun(sha, "tierbot/other"))
    forge.execute(ops.CreateCheckRun(later, "tierbot"))
    state.clear_log()
    listed = forge.execute(ops.ListCheckRuns(sha, "tierbot"))
    assert [(run.id, run.status) for run in listed] == [
        (second.id, "queued"),
        (first.id, "in_progress"),
    ]
    assert state.log[0].query == {"check_name": "tierbot", "filter": "all", "per_page": "100"}
    assert forge.execute(ops.ListCheckRuns(later, "nothing")) == ()


def test_check_runs_listed_page_by_page(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    for _ in range(130):
        forge.execute(ops.CreateCheckRun(sha, "tierbot"))
    state.clear_log()
    listed = forge.execute(ops.ListCheckRuns(sha, "tierbot"))
    assert len(listed) == 130 and listed[0].id > listed[-1].id
    assert len(state.log) == 2


def test_update_check_run_completes_it(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    run = forge.execute(ops.CreateCheckRun(sha, "tierbot"))
    done = forge.execute(
        ops.UpdateCheckRun(
            run.id, conclusion="failure", title="2 pages below tier", summary="**s**", text="t"
        )
    )
    assert (done.id, done.status, done.conclusion) == (run.id, "completed", "failure")
    assert (done.title, done.summary) == ("2 pages below tier", "**s**")
    assert state.repo(REPO).check_runs[run.id]["output"]["text"] == "t"
    state.clear_log()
    again = forge.execute(ops.UpdateCheckRun(run.id, status="in_progress"))
    assert again.status == "in_progress" and len(state.log) == 1
    with pytest.raises(NotFound):
        forge.execute(ops.UpdateCheckRun(999_999, status="completed", conclusion="success"))


def test_update_check_run_sends_its_annotations_in_one_request(
    forge: Forge, state: FakeGitHub
) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    run = forge.execute(ops.CreateCheckRun(sha, "tierbot"))
    annotations = tuple(
        CheckAnnotation(f"docs/p{n}.md", n + 1, n + 2, "warning", f"m{n}", "t" if n % 2 else "")
        for n in range(CHECK_ANNOTATIONS_PER_REQUEST)
    )
    state.clear_log()
    done = forge.execute(
        ops.UpdateCheckRun(
            run.id, conclusion="neutral", title="T", summary="S", annotations=annotations
        )
    )
    assert len(state.requests_to(rf"/check-runs/{run.id}$", method="PATCH")) == 1
    assert done.conclusion == "neutral"
    landed = state.repo(REPO).check_runs[run.id]["annotations"]
    assert len(landed) == 50
    assert landed[0] == {
        "path": "docs/p0.md",
        "start_line": 1,
        "end_line": 2,
        "annotation_level": "warning",
        "message": "m0",
    }
    assert landed[49]["title"] == "t" and landed[49]["message"] == "m49"


def test_more_annotations_than_a_request_takes_are_refused_unsent(
    forge: Forge, state: FakeGitHub
) -> None:
    """The job batches them: it reads back which batches landed (GitHub appends them)."""
    sha = state.add_commit(REPO, {"a.md": "a"})
    run = forge.execute(ops.CreateCheckRun(sha, "tierbot"))
    notes = tuple(CheckAnnotation("a.md", 1, 1, "notice", f"m{n}") for n in range(51))
    state.clear_log()
    with pytest.raises(ValueError, match="51 annotations: GitHub takes 50 a request"):
        forge.execute(ops.UpdateCheckRun(run.id, title="T", summary="S", annotations=notes))
    assert state.log == []


def test_a_run_names_the_review_holding_it_and_since_when(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    run = forge.execute(ops.CreateCheckRun(sha, "tierbot", external_id="d-1/5eed"))
    plain = forge.execute(ops.CreateCheckRun(sha, "tierbot"))
    assert (run.external_id, plain.external_id) == ("d-1/5eed", "")
    assert run.started_at is not None and run.started_at.tzinfo is not None
    listed = forge.execute(ops.ListCheckRuns(sha, "tierbot"))
    assert [r.external_id for r in listed] == ["", "d-1/5eed"]
    moment = datetime(2025, 6, 1, 12, 0, 5, tzinfo=UTC)
    notes = tuple(CheckAnnotation("a.md", 1, 1, "notice", f"m{n}") for n in range(50))
    state.clear_log()
    taken = forge.execute(
        ops.UpdateCheckRun(
            run.id,
            title="T",
            summary="S",
            annotations=notes,
            external_id="d-2/7a4e",
            started_at=moment,
        )
    )
    assert (taken.external_id, taken.started_at, taken.status) == (
        "d-2/7a4e",
        moment,
        "in_progress",
    )
    held = state.repo(REPO).check_runs[run.id]
    assert (held["started_at"], len(held["annotations"])) == ("2025-06-01T12:00:05Z", 50)
    assert forge.execute(ops.GetCheckRun(run.id)).external_id == "d-2/7a4e"


def test_get_permission(forge: Forge, state: FakeGitHub) -> None:
    for login, role in [("alice", "admin"), ("bob", "maintain"), ("carol", "triage")]:
        state.add_collaborator(REPO, login, role)
    state.add_user("dave")
    assert forge.execute(ops.GetPermission("alice")) == "admin"
    assert forge.execute(ops.GetPermission("bob")) == "write"  # maintain reports as write
    assert forge.execute(ops.GetPermission("carol")) == "read"  # triage reports as read
    assert forge.execute(ops.GetPermission("octo")) == "admin"  # the owner
    assert forge.execute(ops.GetPermission("dave")) == "read"  # anyone reads a public repository
    state.repo(REPO).private = True
    assert forge.execute(ops.GetPermission("dave")) == "none"
    with pytest.raises(NotFound) as raised:
        forge.execute(ops.GetPermission("no-such-account"))
    assert "no-such-account is not a user" in str(raised.value)


def test_a_check_run_read_by_id_counts_its_annotations(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    run = forge.execute(ops.CreateCheckRun(sha, "tierbot"))
    notes = tuple(CheckAnnotation("a.md", 1, 1, "failure", f"n{n}") for n in range(3))
    for _ in range(2):  # GitHub appends each update's annotations
        forge.execute(ops.UpdateCheckRun(run.id, title="t", summary="s", annotations=notes))
    read = forge.execute(ops.GetCheckRun(run.id))
    assert (read.id, read.status, read.annotations_count) == (run.id, "in_progress", 6)
    with pytest.raises(NotFound):
        forge.execute(ops.GetCheckRun(run.id + 1000))
