"""The contract every GitHub ``Forge`` adapter keeps, over real HTTP against the fake GitHub:
pull requests, files, comments, labels, statuses, issues, repositories, errors (check runs and
permissions: test_forge_contract_checks.py; the fixtures: conftest.py)."""

from __future__ import annotations

import time

import pytest
from support.fake_github import FakeGitHub, FakeGitHubServer, FileChange
from support.fake_github.graphql import GRAPHQL_ANSWER_BUDGET
from support.forges import REPO, TOKEN, MakeForge

from bot.adapters import github_api
from bot.core.config import LabelSpec
from bot.errors import AlreadyExists, ForgeError, NotFound, RetryableError, TokenCannotWrite
from bot.port import operations as ops
from bot.port.drive import RetryPolicy, run
from bot.port.forge import Forge
from bot.port.results import Comment


def test_enterprise_base_url_reaches_api_v3_and_api_graphql(make_forge: MakeForge) -> None:
    with FakeGitHubServer(prefix="/api/v3") as server:
        server.state.add_repo(REPO)
        sha = server.state.add_commit(REPO, {"a.md": "a"})
        forge = make_forge(server)
        assert forge.execute(ops.ReadFiles(sha, ("a.md",))) == {"a.md": b"a"}
        assert forge.execute(ops.ListTree(sha)) == ("a.md",)
        assert [r.path for r in server.state.log] == [
            "/api/graphql",
            f"/api/v3/repos/{REPO}/git/trees/{sha}",
        ]


def test_get_pull_request(forge: Forge, state: FakeGitHub) -> None:
    base = state.add_commit(REPO, {"a.md": "a"})
    head = state.add_commit(REPO, {"a.md": "b"}, parent=base)
    number = state.add_pull(REPO, base, head, user="alice", head_ref="topic", labels=["docs"])
    pull = forge.execute(ops.GetPullRequest(number))
    assert (pull.number, pull.base_sha, pull.head_sha) == (number, base, head)
    assert (pull.base_ref, pull.head_ref, pull.author) == ("main", "topic", "alice")
    assert pull.html_url == f"https://github.com/{REPO}/pull/{number}"
    assert pull.labels == ("docs",)


def test_list_pull_files_maps_statuses(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    files = [
        FileChange("new.md", "added"),
        FileChange("a.md", "modified"),
        FileChange("gone.md", "removed"),
        FileChange("moved.md", "renamed", previous_filename="old.md"),
        FileChange("copy.md", "copied", previous_filename="a.md"),
        FileChange("mode.sh", "changed"),
        FileChange("same.md", "unchanged"),
    ]
    number = state.add_pull(REPO, sha, sha, files=files)
    listed = forge.execute(ops.ListPullFiles(number))
    assert listed.truncated is False
    assert [(f.path, f.status, f.previous_path) for f in listed.files] == [
        ("new.md", "added", None),
        ("a.md", "modified", None),
        ("gone.md", "removed", None),
        ("moved.md", "renamed", "old.md"),
        ("copy.md", "added", None),
        ("mode.sh", "modified", None),
        ("same.md", "modified", None),
    ]


def test_list_pull_files_pages_through_600_files(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    number = state.add_pull(REPO, sha, sha, files=[f"docs/p{n:03d}.md" for n in range(600)])
    state.clear_log()
    listed = forge.execute(ops.ListPullFiles(number))
    assert [f.path for f in listed.files] == [f"docs/p{n:03d}.md" for n in range(600)]
    assert listed.truncated is False
    pages = state.requests_to(r"/files$")
    assert len(pages) == 6 and pages[0].query == {"per_page": "100"}
    assert len(state.log) == 7  # the pull request itself, for changed_files, and six pages


def test_list_pull_files_reports_githubs_3000_file_cap(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    number = state.add_pull(REPO, sha, sha, files=[f"f{n}.md" for n in range(3100)])
    listed = forge.execute(ops.ListPullFiles(number))
    assert len(listed.files) == 3000
    assert listed.truncated is True


def test_read_files_batches_250_paths_per_graphql_query(forge: Forge, state: FakeGitHub) -> None:
    files = {f"docs/p{n:03d}.md": f"page {n} é" for n in range(600)}
    sha = state.add_commit(REPO, files)
    state.clear_log()
    found = forge.execute(ops.ReadFiles(sha, tuple(files)))
    assert list(found.items()) == [(path, text.encode()) for path, text in files.items()]
    assert [(r.method, r.path) for r in state.log] == [("POST", "/graphql")] * 3


def test_a_query_github_gives_up_on_is_asked_again_in_halves(
    forge: Forge, state: FakeGitHub
) -> None:
    # 250 pages of 40 KB: more text than GitHub answers in time (the fake's stand-in budget).
    files = {f"docs/p{n:03d}.md": f"{n:03d}" + "x" * 40_000 for n in range(260)}
    assert 250 * 40_000 > GRAPHQL_ANSWER_BUDGET > 125 * 40_003
    sha = state.add_commit(REPO, files)
    state.clear_log()
    found = forge.execute(ops.ReadFiles(sha, tuple(files)))
    assert found == {path: text.encode() for path, text in files.items()}
    # The 250 given up on (502), the 10 left over, then two halves of 125.
    assert sorted(state.response_statuses) == [200, 200, 200, 502]


def test_read_files_binary_large_missing_and_directories(forge: Forge, state: FakeGitHub) -> None:
    large = ("x" * 99 + "\n").encode() * 6000  # 600,000 bytes: GraphQL cuts text at 512,000
    png = b"\x89PNG\r\n\x1a\n\0\0"
    sha = state.add_commit(REPO, {"img/logo.png": png, "big.md": large, 'odd "name".md': "q"})
    state.clear_log()
    paths = ("img/logo.png", "big.md", "missing.md", "img", 'odd "name".md')
    found = forge.execute(ops.ReadFiles(sha, paths))
    assert found == {
        "img/logo.png": png,
        "big.md": large,
        "missing.md": None,
        "img": None,
        'odd "name".md': b"q",
    }
    assert [r.path.rsplit("/", 2)[-2] for r in state.log] == ["", "blobs", "blobs"]
    assert forge.execute(ops.ReadFiles(sha, ())) == {}


def test_list_tree_lists_blobs_only(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"README.md": "r", "docs/a/b.md": "b", "docs/c.md": "c"})
    assert forge.execute(ops.ListTree(sha)) == ("README.md", "docs/a/b.md", "docs/c.md")
    assert state.log[-1].query == {"recursive": "1"}


def test_resolve_ref_and_merge_base(forge: Forge, state: FakeGitHub) -> None:
    base = state.add_commit(REPO, {"a.md": "a"})
    main = state.add_commit(REPO, {"a.md": "b"}, parent=base, branch="main")
    topic = state.add_commit(REPO, {"c.md": "c"}, parent=base, branch="topic/x")
    assert forge.execute(ops.ResolveRef("main")) == main
    assert forge.execute(ops.ResolveRef("HEAD")) == main  # the default branch
    assert forge.execute(ops.ResolveRef("topic/x")) == topic  # a slash in a branch name is quoted
    assert forge.execute(ops.ResolveRef(base)) == base
    assert forge.execute(ops.GetMergeBase("main", "topic/x")) == base
    assert forge.execute(ops.GetMergeBase(main, topic)) == base
    with pytest.raises(ForgeError):
        forge.execute(ops.ResolveRef("no-such-branch"))
    with pytest.raises(NotFound):
        forge.execute(ops.GetMergeBase(main, "f" * 40))


def test_comments_list_create_update(forge: Forge, state: FakeGitHub) -> None:
    number = state.add_issue(REPO, "Review")
    for n in range(120):
        state.add_comment(REPO, number, f"comment {n}", user="alice")
    state.clear_log()
    listed = forge.execute(ops.ListComments(number))
    assert len(listed) == 120 and listed[0].author == "alice"
    assert len(state.log) == 2
    created = forge.execute(ops.CreateComment(number, "**tierbot** review"))
    assert isinstance(created, Comment)
    assert created.author == "github-actions[bot]" == forge.login
    assert created.html_url.endswith(f"#issuecomment-{created.id}")
    updated = forge.execute(ops.UpdateComment(created.id, "edited"))
    assert (updated.id, updated.body) == (created.id, "edited")
    assert state.comments(REPO, number)[-1].body == "edited"
    assert forge.execute(ops.DeleteComment(created.id)) is None
    assert [c.id for c in state.comments(REPO, number)][-1] != created.id
    with pytest.raises(NotFound):
        forge.execute(ops.DeleteComment(created.id))


def test_labels_create_delete_add_remove(forge: Forge, state: FakeGitHub) -> None:
    spec = LabelSpec("tier/gold", "FFD700", "Meets the gold tier")
    assert forge.execute(ops.CreateLabel(spec)) is None
    assert state.repo(REPO).label("tier/gold").description == "Meets the gold tier"
    with pytest.raises(AlreadyExists) as raised:
        forge.execute(ops.CreateLabel(LabelSpec("Tier/Gold", "FFD700")))
    assert raised.value.status == 422
    number = state.add_issue(REPO, "Review")
    forge.execute(ops.AddLabels(number, ("tier/gold", "needs work")))
    assert state.issue_labels(REPO, number) == ["tier/gold", "needs work"]
    assert "needs work" in state.label_names(REPO)  # created on the fly, as GitHub does
    forge.execute(ops.RemoveLabel(number, "tier/gold"))
    assert state.issue_labels(REPO, number) == ["needs work"]
    with pytest.raises(NotFound):
        forge.execute(ops.RemoveLabel(number, "tier/gold"))
    forge.execute(ops.DeleteLabel("needs work"))
    assert state.issue_labels(REPO, number) == []
    with pytest.raises(NotFound):
        forge.execute(ops.DeleteLabel("needs work"))
    assert forge.execute(ops.DeleteLabel("tier/gold")) is None  # a slash in a label name is quoted
    assert state.label_names(REPO) == []
    state.clear_log()
    forge.execute(ops.AddLabels(number, ()))
    assert state.log == []


def test_set_commit_status(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    forge.execute(ops.SetCommitStatus(sha, "failure", "tierbot", "2 pages below tier", None))
    forge.execute(ops.SetCommitStatus(sha, "success", "tierbot/x", "d" * 200, "https://e.example"))
    first, second = state.repo(REPO).statuses
    assert (first["state"], first["context"], first["target_url"]) == ("failure", "tierbot", None)
    assert len(second["description"]) == 140 and second["target_url"] == "https://e.example"


def test_list_issues_leaves_out_pull_requests(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    state.add_pull(REPO, sha, sha, files=["a.md"], labels=["audit"])
    for n in range(130):
        state.add_issue(REPO, f"audit {n}", labels=["audit"], assignees=["alice"])
    state.add_issue(REPO, "closed", labels=["audit"], state="closed")
    state.add_issue(REPO, "other", labels=["bug"])
    state.clear_log()
    found = forge.execute(ops.ListIssues("audit"))
    assert len(found) == 131
    assert {i.state for i in found} == {"open", "closed"}
    assert found[-1].labels == ("audit",) and found[-1].assignees == ("alice",)
    assert len(state.log) == 2  # two pages, no request per issue
    assert len(forge.execute(ops.ListIssues("audit", state="closed"))) == 1


def test_create_and_update_issue(forge: Forge, state: FakeGitHub) -> None:
    issue = forge.execute(ops.CreateIssue("Quarterly audit", "body", ("audit",), ("alice",)))
    assert (issue.title, issue.body, issue.state) == ("Quarterly audit", "body", "open")
    assert issue.labels == ("audit",) and issue.assignees == ("alice",)
    assert state.issue(REPO, issue.number).user == "github-actions[bot]"
    closed = forge.execute(ops.UpdateIssue(issue.number, state="closed", state_reason="completed"))
    assert closed.state == "closed"
    assert state.issue(REPO, issue.number).state_reason == "completed"
    state.clear_log()
    forge.execute(ops.UpdateIssue(issue.number, body="new body"))
    assert state.issue(REPO, issue.number).title == "Quarterly audit"
    assert state.issue(REPO, issue.number).body == "new body"  # only the fields given are sent


def test_get_repository(forge: Forge, state: FakeGitHub) -> None:
    state.add_repo("octo/old", stars=42, pushed_at="2019-05-05T05:05:05Z", archived=True)
    health = forge.execute(ops.GetRepository("octo/old"))
    assert (health.full_name, health.stars, health.archived) == ("octo/old", 42, True)
    assert health.pushed_at == "2019-05-05T05:05:05Z"
    with pytest.raises(NotFound):
        forge.execute(ops.GetRepository("octo/none"))


def test_read_only_token_raises_token_cannot_write(forge: Forge, state: FakeGitHub) -> None:
    number = state.add_issue(REPO, "Review")
    state.read_only = True
    with pytest.raises(TokenCannotWrite) as raised:
        forge.execute(ops.CreateComment(number, "hello"))
    assert raised.value.status == 403
    assert "Resource not accessible by integration" in str(raised.value)
    assert TOKEN not in str(raised.value) and TOKEN not in repr(forge)
    assert forge.execute(ops.ListComments(number)) == ()  # reads still work


def test_error_mapping(forge: Forge, state: FakeGitHub) -> None:
    state.fail_next(1, 502)
    with pytest.raises(RetryableError) as raised:
        forge.execute(ops.GetRepository(REPO))
    assert (raised.value.status, raised.value.retry_after) == (502, None)
    assert len(state.log) == 1  # asked once: retrying is the driver's job
    state.rate_limit_next(1, 403, retry_after=7)
    with pytest.raises(RetryableError) as raised:
        forge.execute(ops.GetRepository(REPO))
    assert (raised.value.status, raised.value.retry_after) == (403, 7)
    state.rate_limit_next(1, 403, retry_after=None)
    with pytest.raises(RetryableError) as raised:
        forge.execute(ops.GetRepository(REPO))
    assert raised.value.retry_after == 60  # GitHub: wait at least a minute
    state.rate_limit_next(1, 429, retry_after=2)
    with pytest.raises(RetryableError):
        forge.execute(ops.GetRepository(REPO))
    state.fail_next(1, 418)
    with pytest.raises(ForgeError) as raised:
        forge.execute(ops.GetRepository(REPO))
    assert type(raised.value) is ForgeError and raised.value.status == 418


def test_errors_of_graphql_and_blob_requests_are_mapped(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"logo.png": b"\x89PNG\0"})
    state.fail_next(1, 502, path=r"/graphql$")
    with pytest.raises(RetryableError) as raised:
        forge.execute(ops.ReadFiles(sha, ("logo.png",)))
    assert raised.value.status == 502
    state.rate_limit_next(1, 403, retry_after=3, path=r"/git/blobs/")
    with pytest.raises(RetryableError) as raised:
        forge.execute(ops.ReadFiles(sha, ("logo.png",)))
    assert raised.value.retry_after == 3


def test_exhausted_rate_limit_waits_for_the_reset(forge: Forge, state: FakeGitHub) -> None:
    state.enforce_rate_limit, state.rate_limit = True, 2
    forge.execute(ops.GetRepository(REPO))
    forge.execute(ops.GetRepository(REPO))
    with pytest.raises(RetryableError) as raised:
        forge.execute(ops.GetRepository(REPO))
    assert raised.value.status == 403
    assert raised.value.retry_after is not None and raised.value.retry_after > 3000
    assert RetryPolicy().delay(raised.value, 1) is None  # too long to wait: the run ends


def test_bad_credentials_never_quote_the_token(forge: Forge, state: FakeGitHub) -> None:
    state.valid_tokens = {"ghs_other"}
    with pytest.raises(ForgeError) as raised:
        forge.execute(ops.GetRepository(REPO))
    assert raised.value.status == 401 and "Bad credentials" in str(raised.value)
    assert TOKEN not in str(raised.value)
    assert len(state.log) == 1  # a fixed token is not asked again


def test_graphql_errors_are_mapped(fake_github: FakeGitHubServer, make_forge: MakeForge) -> None:
    forge = make_forge(fake_github, repository="octo/missing")
    with pytest.raises(NotFound) as raised:
        forge.execute(ops.ReadFiles("0" * 40, ("a.md",)))
    assert raised.value.status == 404


def test_unreachable_github_is_retryable_for_reads(
    fake_github: FakeGitHubServer, make_forge: MakeForge
) -> None:
    fake_github.stop()
    forge = make_forge(fake_github, timeout=2)
    with pytest.raises(RetryableError):
        forge.execute(ops.GetRepository(REPO))
    with pytest.raises(RetryableError):  # a refused connection never carried the write
        forge.execute(ops.CreateComment(1, "x"))


def test_a_timeout_is_retryable_for_reads_only(
    fake_github: FakeGitHubServer, make_forge: MakeForge, state: FakeGitHub
) -> None:
    state.add_repo(REPO)
    number = state.add_issue(REPO, "Review")
    forge = make_forge(fake_github, timeout=1)
    state.answer_late_next(2)  # both answers held until the client gives up waiting
    with pytest.raises(RetryableError) as raised:
        forge.execute(ops.ListComments(number))
    assert raised.value.status is None
    with pytest.raises(ForgeError) as raised:  # the comment may have been made: not retried
        forge.execute(ops.CreateComment(number, "hello"))
    assert type(raised.value) is ForgeError


def test_unknown_operations_are_refused(forge: Forge) -> None:
    with pytest.raises(TypeError):
        forge.execute("not an operation")  # type: ignore[arg-type]
    assert forge.execute(ops.Sleep(0)) is None


def test_job_survives_server_errors_and_a_secondary_rate_limit(
    forge: Forge, state: FakeGitHub
) -> None:
    base = state.add_commit(REPO, {"a.md": "a"})
    head = state.add_commit(REPO, {"a.md": "b"}, parent=base)
    number = state.add_pull(REPO, base, head)
    labels = rf"/issues/{number}/labels$"
    state.fail_next(2, 502, method="POST", path=labels)
    state.rate_limit_next(1, 403, retry_after=1, method="POST", path=labels)

    def job() -> ops.Job[int]:
        pull = yield ops.GetPullRequest(number)
        files = yield ops.ListPullFiles(number)
        contents = yield ops.ReadFiles(pull.head_sha, tuple(f.path for f in files.files))
        yield ops.AddLabels(number, ("tier: gold",))
        return len(contents)

    started = time.monotonic()
    assert run(job(), forge.execute, RetryPolicy(base_delay=0.01)) == 1
    assert time.monotonic() - started >= 1.0  # GitHub's Retry-After was honoured
    assert state.issue_labels(REPO, number) == ["tier: gold"]
    attempts = state.requests_to(labels, method="POST")
    assert len(attempts) == 4
    assert len(state.landed_writes()) == 1


def test_a_5xx_on_create_comment_is_handed_to_the_job_not_retried_blindly(
    forge: Forge, state: FakeGitHub
) -> None:
    base = state.add_commit(REPO, {"a.md": "a"})
    number = state.add_pull(REPO, base, state.add_commit(REPO, {"a.md": "b"}, parent=base))
    comments = rf"/issues/{number}/comments$"
    state.fail_next(1, 502, method="POST", path=comments)

    def job() -> ops.Job[str]:
        try:
            yield ops.CreateComment(number, "hello")
        except RetryableError:
            return "handed over"
        return "retried"

    assert run(job(), forge.execute, RetryPolicy(base_delay=0.01)) == "handed over"
    assert len(state.requests_to(comments, method="POST")) == 1


def test_numbered_pages_after_the_first_are_read_together_and_cursors_followed() -> None:
    first = (
        '<https://x/l?per_page=100&page=2>; rel="next", '
        '<https://x/l?per_page=100&page=5>; rel="last"'
    )
    assert github_api.later_pages(first, 29) == [
        f"https://x/l?per_page=100&page={page}" for page in (2, 3, 4, 5)
    ]
    assert len(github_api.later_pages(first, 2)) == 2  # the rest is followed by "next"
    cursor = '<https://x/l?per_page=100&after=Y3Vyc29y>; rel="next"'
    assert github_api.later_pages(cursor, 29) == []


def test_a_long_list_of_pull_files_reads_every_page_once(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit(REPO, {"a.md": "a"})
    number = state.add_pull(REPO, sha, sha, files=[f"f{n:04}.md" for n in range(2950)])
    state.clear_log()
    listed = forge.execute(ops.ListPullFiles(number))
    assert [f.path for f in listed.files] == [f"f{n:04}.md" for n in range(2950)]
    pages = sorted(int(r.query.get("page", 1)) for r in state.log if r.path.endswith("/files"))
    assert pages == list(range(1, 31))
