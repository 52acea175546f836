"""The fake GitHub's commit statuses, check runs and collaborator permissions answer like GitHub."""

from __future__ import annotations

import re

import pytest
from support.fake_github import FakeGitHubServer
from support.raw_http import call, links

REPO = "octo/patterns"


@pytest.fixture
def server(fake_github: FakeGitHubServer) -> FakeGitHubServer:
    fake_github.state.add_repo(REPO)
    return fake_github


def test_statuses_and_check_runs(server: FakeGitHubServer) -> None:
    sha = server.state.add_commit(REPO, {"a.md": "a"})
    status, _, body = call(
        server,
        "POST",
        f"/repos/{REPO}/statuses/{sha}",
        {"state": "success", "context": "tierbot", "description": "ok"},
    )
    assert status == 201 and body["creator"]["login"] == "github-actions[bot]"
    assert call(server, "POST", f"/repos/{REPO}/statuses/{sha}", {"state": "great"})[0] == 422
    assert (
        call(server, "POST", f"/repos/{REPO}/statuses/{'0' * 40}", {"state": "success"})[0] == 422
    )
    status, _, run = call(
        server,
        "POST",
        f"/repos/{REPO}/check-runs",
        {"name": "tierbot", "head_sha": sha, "status": "in_progress"},
    )
    assert status == 201 and run["status"] == "in_progress"
    # GitHub dates a run when it is created, and names no external id unless told one.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run["started_at"])
    assert run["external_id"] == ""
    annotations = [
        {
            "path": "a.md",
            "start_line": 1,
            "end_line": 1,
            "annotation_level": "warning",
            "message": "m",
        }
    ]
    update = {
        "conclusion": "success",
        "output": {"title": "t", "summary": "s", "annotations": annotations},
    }
    status, _, run = call(server, "PATCH", f"/repos/{REPO}/check-runs/{run['id']}", update)
    assert (run["status"], run["conclusion"], run["output"]["annotations_count"]) == (
        "completed",
        "success",
        1,
    )
    update["output"]["annotations"] = annotations * 51
    assert call(server, "PATCH", f"/repos/{REPO}/check-runs/{run['id']}", update)[0] == 422


def test_check_runs_of_a_commit_newest_of_each_name_by_default(server: FakeGitHubServer) -> None:
    sha = server.state.add_commit(REPO, {"a.md": "a"}, branch="main")
    ids = []
    for name in ("tierbot", "tierbot", "lint"):
        _, _, run = call(
            server, "POST", f"/repos/{REPO}/check-runs", {"name": name, "head_sha": sha}
        )
        ids.append(run["id"])
    status, _, body = call(server, "GET", f"/repos/{REPO}/commits/main/check-runs")
    assert status == 200 and body["total_count"] == 2
    assert [r["id"] for r in body["check_runs"]] == ids[1:]  # filter=latest
    assert body["check_runs"][0]["app"]["slug"] == "github-actions"
    path = f"/repos/{REPO}/commits/{sha}/check-runs?check_name=tierbot&filter=all&per_page=1"
    _, headers, body = call(server, "GET", path)
    assert body["total_count"] == 2 and [r["id"] for r in body["check_runs"]] == ids[:1]
    assert links(headers)["next"].endswith("page=2")
    assert call(server, "GET", f"/repos/{REPO}/commits/{'0' * 40}/check-runs")[0] == 422


def test_a_check_run_output_needs_a_title_and_a_summary(server: FakeGitHubServer) -> None:
    sha = server.state.add_commit(REPO, {"a.md": "a"})
    run = {"name": "tierbot", "head_sha": sha, "output": {"title": "t"}}
    status, _, body = call(server, "POST", f"/repos/{REPO}/check-runs", run)
    assert status == 422 and body["errors"][0]["field"] == "output.summary"


def test_collaborator_permission(server: FakeGitHubServer) -> None:
    state = server.state
    state.add_collaborator(REPO, "bob", "maintain")
    state.add_user("dave")
    path = f"/repos/{REPO}/collaborators/{{}}/permission"
    status, _, body = call(server, "GET", path.format("bob"))
    assert status == 200 and (body["permission"], body["role_name"]) == ("write", "maintain")
    assert body["user"]["login"] == "bob"
    assert body["user"]["permissions"] == {
        "pull": True,
        "triage": True,
        "push": True,
        "maintain": True,
        "admin": False,
    }
    _, _, body = call(server, "GET", path.format("dave"))
    assert (body["permission"], body["user"]["permissions"]["push"]) == ("read", False)
    state.repo(REPO).private = True
    _, _, body = call(server, "GET", path.format("dave"))
    assert body["permission"] == "none" and not any(body["user"]["permissions"].values())
    status, _, body = call(server, "GET", path.format("ghost-of-nobody"))
    assert (status, body["message"]) == (404, "ghost-of-nobody is not a user")


@pytest.mark.parametrize(
    ("states", "combined"),
    [
        ((), "pending"),
        (("success",), "success"),
        (("success", "pending"), "pending"),
        (("pending", "error"), "failure"),
        (("failure", "success"), "failure"),
    ],
)
def test_the_combined_status_is_the_newest_of_each_context(
    server: FakeGitHubServer, states: tuple[str, ...], combined: str
) -> None:
    sha = server.state.add_commit(REPO, {"a.md": "a"})
    for number, state in enumerate(states):
        for older in ("error", state):  # an older status of the context is overridden
            body = {"state": older, "context": f"ci/{number}", "description": older}
            assert call(server, "POST", f"/repos/{REPO}/statuses/{sha}", body)[0] == 201
    status, _, body = call(server, "GET", f"/repos/{REPO}/commits/{sha}/status")
    assert status == 200 and body["state"] == combined and body["sha"] == sha
    assert [s["state"] for s in body["statuses"]] == list(reversed(states))
    assert body["total_count"] == len(states)
