"""The fake GitHub server answers like GitHub: shapes, pagination, errors and injected faults."""

from __future__ import annotations

import base64
import time

import pytest
from support.fake_github import ACTIONS_BOT, FakeGitHubServer, FileChange, blob_sha
from support.raw_http import call, links

REPO = "octo/patterns"


@pytest.fixture
def server(fake_github: FakeGitHubServer) -> FakeGitHubServer:
    fake_github.state.add_repo(REPO, stars=12, archived=False)
    return fake_github


def test_repository_shape_and_rate_limit_headers(server: FakeGitHubServer) -> None:
    status, headers, body = call(server, "GET", f"/repos/{REPO}")
    assert status == 200
    assert body["full_name"] == REPO
    assert body["stargazers_count"] == 12
    assert body["archived"] is False
    assert body["url"] == f"{server.url}/repos/{REPO}"
    assert body["owner"]["login"] == "octo"
    for name in ("Limit", "Remaining", "Reset", "Used", "Resource"):
        assert f"X-RateLimit-{name}" in headers
    assert headers["X-RateLimit-Resource"] == "core"
    assert int(headers["X-RateLimit-Remaining"]) == int(headers["X-RateLimit-Limit"]) - 1


def test_unknown_repository_is_a_github_404(server: FakeGitHubServer) -> None:
    status, _, body = call(server, "GET", "/repos/octo/missing/issues/1")
    assert status == 404
    assert body["message"] == "Not Found"
    assert body["documentation_url"].startswith("https://docs.github.com/")


def test_pagination_follows_github_link_headers(server: FakeGitHubServer) -> None:
    for n in range(7):
        server.state.add_issue(REPO, f"issue {n}", created_at=f"2024-01-0{n + 1}T00:00:00Z")
    status, headers, first = call(server, "GET", f"/repos/{REPO}/issues?per_page=3")
    assert status == 200
    assert [i["number"] for i in first] == [7, 6, 5]  # newest first, as GitHub sorts
    assert list(links(headers)) == ["next", "last"]
    assert links(headers)["next"] == f"{server.url}/repos/{REPO}/issues?per_page=3&page=2"
    assert links(headers)["last"].endswith("per_page=3&page=3")

    _, headers, second = call(server, "GET", "", url=links(headers)["next"])
    assert [i["number"] for i in second] == [4, 3, 2]
    assert list(links(headers)) == ["prev", "next", "last", "first"]

    _, headers, third = call(server, "GET", "", url=links(headers)["next"])
    assert [i["number"] for i in third] == [1]
    assert list(links(headers)) == ["prev", "first"]


def test_per_page_defaults_to_30_and_is_capped_at_100(server: FakeGitHubServer) -> None:
    for n in range(130):
        server.state.add_label(REPO, f"label-{n:03d}")
    _, headers, page = call(server, "GET", f"/repos/{REPO}/labels")
    assert len(page) == 30
    assert "per_page" not in links(headers)["next"]
    _, headers, page = call(server, "GET", f"/repos/{REPO}/labels?per_page=500")
    assert len(page) == 100
    assert links(headers)["last"].endswith("page=2")


def test_pull_files_are_capped_at_3000(server: FakeGitHubServer) -> None:
    state = server.state
    base = state.add_commit(REPO, {"README.md": "x"})
    files = [f"docs/p{n}.md" for n in range(3050)]
    number = state.add_pull(REPO, base, base, files=files)
    _, _, pull = call(server, "GET", f"/repos/{REPO}/pulls/{number}")
    assert pull["changed_files"] == 3050
    _, headers, page = call(server, "GET", f"/repos/{REPO}/pulls/{number}/files?per_page=100")
    assert len(page) == 100
    assert links(headers)["last"].endswith("page=30")
    _, headers, page = call(
        server, "GET", f"/repos/{REPO}/pulls/{number}/files?per_page=100&page=30"
    )
    assert len(page) == 100 and "next" not in links(headers)
    _, _, page = call(server, "GET", f"/repos/{REPO}/pulls/{number}/files?per_page=100&page=31")
    assert page == []


def test_pull_request_and_its_files(server: FakeGitHubServer) -> None:
    state = server.state
    base = state.add_commit(REPO, {"a.md": "a", "old.md": "o", "gone.md": "g"})
    head = state.add_commit(REPO, {"a.md": "A", "new.md": "n", "gone.md": None}, parent=base)
    renamed = FileChange("moved.md", "renamed", previous_filename="old.md")
    number = state.add_pull(REPO, base, head, files=["a.md", "new.md", "gone.md", renamed])
    _, _, pull = call(server, "GET", f"/repos/{REPO}/pulls/{number}")
    assert (pull["base"]["sha"], pull["head"]["sha"]) == (base, head)
    assert pull["user"]["login"] == "octocat"
    _, _, files = call(server, "GET", f"/repos/{REPO}/pulls/{number}/files")
    statuses = {f["filename"]: (f["status"], f.get("previous_filename")) for f in files}
    assert statuses == {
        "a.md": ("modified", None),
        "new.md": ("added", None),
        "gone.md": ("removed", None),
        "moved.md": ("renamed", "old.md"),
    }
    # Pull requests share the issue number space and show up in the issue list.
    _, _, issues = call(server, "GET", f"/repos/{REPO}/issues?state=all")
    assert issues[0]["number"] == number and "pull_request" in issues[0]
    assert call(server, "GET", f"/repos/{REPO}/pulls/999")[0] == 404


def test_contents_trees_and_blobs(server: FakeGitHubServer) -> None:
    state = server.state
    sha = state.add_commit(REPO, {"docs/a.md": "# A\n", "img.png": b"\x89PNG\0\1"})
    status, _, body = call(server, "GET", f"/repos/{REPO}/contents/docs/a.md?ref={sha}")
    assert status == 200 and body["encoding"] == "base64"
    assert base64.b64decode(body["content"]) == b"# A\n"
    assert body["sha"] == blob_sha(b"# A\n")
    _, _, raw = call(
        server, "GET", f"/repos/{REPO}/contents/docs/a.md", accept="application/vnd.github.raw"
    )
    assert raw == b"# A\n"
    status, _, body = call(server, "GET", f"/repos/{REPO}/contents/nope.md?ref={sha}")
    assert status == 404 and body["message"] == "Not Found"

    _, _, tree = call(server, "GET", f"/repos/{REPO}/git/trees/{sha}?recursive=1")
    assert [(e["path"], e["type"]) for e in tree["tree"]] == [
        ("docs", "tree"),
        ("docs/a.md", "blob"),
        ("img.png", "blob"),
    ]
    assert tree["truncated"] is False
    _, _, top = call(server, "GET", f"/repos/{REPO}/git/trees/{sha}")
    assert [e["path"] for e in top["tree"]] == ["docs", "img.png"]
    png = blob_sha(b"\x89PNG\0\1")
    _, _, blob = call(server, "GET", f"/repos/{REPO}/git/blobs/{png}")
    assert base64.b64decode(blob["content"]) == b"\x89PNG\0\1"


def test_graphql_reads_many_blobs_in_one_query(server: FakeGitHubServer) -> None:
    sha = server.state.add_commit(REPO, {"a.md": "héllo", "b.bin": b"\0\xff", "dir/c.md": "c"})
    query = f"""query {{ repository(owner: "octo", name: "patterns") {{
      a0: object(expression: "{sha}:a.md") {{ ... on Blob {{ text byteSize isBinary }} }}
      a1: object(expression: "{sha}:b.bin") {{ ... on Blob {{ text byteSize isBinary }} }}
      a2: object(expression: "{sha}:missing.md") {{ ... on Blob {{ text byteSize isBinary }} }}
      a3: object(expression: $dir) {{ ... on Blob {{ text oid }} }}
    }} }}"""
    variables = {"dir": f"{sha}:dir/c.md"}
    status, headers, body = call(
        server, "POST", "", {"query": query, "variables": variables}, url=server.graphql_url
    )
    assert status == 200 and headers["X-RateLimit-Resource"] == "graphql"
    answers = body["data"]["repository"]
    assert answers["a0"] == {"text": "héllo", "byteSize": 6, "isBinary": False}
    assert answers["a1"] == {"text": None, "byteSize": 2, "isBinary": True}
    assert answers["a2"] is None
    assert answers["a3"] == {"text": "c", "oid": blob_sha(b"c")}
    assert server.state.reads()[-1].path == "/graphql"
    assert server.state.writes() == []


def test_graphql_walks_a_commits_history_by_path(server: FakeGitHubServer) -> None:
    first = server.state.add_commit(REPO, {"a.md": "a"}, date="2025-01-02T03:04:05Z")
    head = server.state.add_commit(REPO, {"b.md": "b"}, parent=first, date="2025-02-01T00:00:00Z")
    query = """query($ref: String!, $path: String!) { repository(owner: "octo", name: "patterns") {
      c: object(expression: $ref) { ... on Commit {
        a: history(first: 1, path: $path) { nodes { committedDate oid } }
        none: history(first: 1, path: "never.md") { nodes { committedDate } }
        history(first: 5) { nodes { oid } }
      } }
      gone: object(expression: "0000000000000000000000000000000000000000") {
        ... on Commit { history(first: 1) { nodes { oid } } }
      }
    } }"""
    variables = {"ref": head, "path": "a.md"}
    status, _, body = call(
        server, "POST", "", {"query": query, "variables": variables}, url=server.graphql_url
    )
    assert status == 200 and "errors" not in body
    answers = body["data"]["repository"]
    assert answers["c"] == {
        "a": {"nodes": [{"committedDate": "2025-01-02T03:04:05Z", "oid": first}]},
        "none": {"nodes": []},
        "history": {"nodes": [{"oid": head}, {"oid": first}]},
    }
    assert answers["gone"] is None


@pytest.mark.parametrize(
    ("history", "refused"),
    [
        ('history(path: "a.md") { nodes { oid } }', "You must provide a `first` or `last`"),
        ("history(first: 101) { nodes { oid } }", "Requesting 101 records"),
        ("history(first: 1) { nodes { author } }", "Field 'author' doesn't exist on type 'Commit'"),
    ],
)
def test_graphql_refuses_a_history_github_refuses(
    server: FakeGitHubServer, history: str, refused: str
) -> None:
    sha = server.state.add_commit(REPO, {"a.md": "a"})
    query = (
        f'query {{ repository(owner: "octo", name: "patterns") '
        f'{{ object(expression: "{sha}") {{ ... on Commit {{ {history} }} }} }} }}'
    )
    status, _, body = call(server, "POST", "", {"query": query}, url=server.graphql_url)
    assert status == 200 and "data" not in body
    assert body["errors"][0]["message"].startswith(refused)


def test_graphql_unknown_repository(server: FakeGitHubServer) -> None:
    query = (
        'query { repository(owner: "octo", name: "nope") '
        '{ a0: object(expression: "x:y") { ... on Blob { text } } } }'
    )
    _, _, body = call(server, "POST", "", {"query": query}, url=server.graphql_url)
    assert body["data"]["repository"] is None
    assert body["errors"][0]["type"] == "NOT_FOUND"


def test_creating_an_existing_label_answers_422_already_exists(server: FakeGitHubServer) -> None:
    status, headers, label = call(
        server, "POST", f"/repos/{REPO}/labels", {"name": "tier: gold", "color": "FFD700"}
    )
    assert status == 201 and label["name"] == "tier: gold"
    assert headers["Location"] == label["url"]
    status, _, body = call(
        server, "POST", f"/repos/{REPO}/labels", {"name": "Tier: Gold", "color": "FFD700"}
    )
    assert status == 422
    assert body["message"] == "Validation Failed"
    assert body["errors"] == [{"resource": "Label", "code": "already_exists", "field": "name"}]
    status, _, body = call(
        server, "POST", f"/repos/{REPO}/labels", {"name": "x", "color": "invalid"}
    )
    assert status == 422 and body["errors"][0]["code"] == "invalid"


def test_issue_labels_add_create_and_remove(server: FakeGitHubServer) -> None:
    number = server.state.add_issue(REPO, "Review")
    path = f"/repos/{REPO}/issues/{number}/labels"
    status, _, labels = call(server, "POST", path, {"labels": ["tier/gold", "bug"]})
    assert status == 200 and [label["name"] for label in labels] == ["tier/gold", "bug"]
    assert labels[0]["color"] == "ededed"  # unknown labels are created, as GitHub does
    status, _, _ = call(server, "POST", path, ["docs"])  # PyGithub sends a bare list
    assert server.state.issue_labels(REPO, number) == ["tier/gold", "bug", "docs"]
    status, _, labels = call(server, "DELETE", f"{path}/tier%2Fgold")
    assert status == 200 and [label["name"] for label in labels] == ["bug", "docs"]
    status, _, body = call(server, "DELETE", f"{path}/tier%2Fgold")
    assert status == 404 and body["message"] == "Label does not exist"
    assert call(server, "DELETE", f"/repos/{REPO}/labels/bug")[0] == 204
    assert server.state.issue_labels(REPO, number) == ["docs"]


def test_comments_are_posted_as_the_token_identity(server: FakeGitHubServer) -> None:
    number = server.state.add_issue(REPO, "Review")
    path = f"/repos/{REPO}/issues/{number}/comments"
    status, _, comment = call(server, "POST", path, {"body": "first"})
    assert status == 201
    assert comment["user"]["login"] == ACTIONS_BOT["login"]
    assert comment["user"]["id"] == 41898282 and comment["user"]["type"] == "Bot"
    assert comment["html_url"].endswith(f"/issues/{number}#issuecomment-{comment['id']}")
    status, _, edited = call(
        server, "PATCH", f"/repos/{REPO}/issues/comments/{comment['id']}", {"body": "second"}
    )
    assert status == 200 and edited["body"] == "second"
    _, _, listed = call(server, "GET", path)
    assert [c["body"] for c in listed] == ["second"]
    status, _, body = call(server, "POST", path, {"body": "x" * 65537})
    assert status == 422 and body["errors"][0]["field"] == "body"


def test_issues_create_update_and_filter(server: FakeGitHubServer) -> None:
    status, _, issue = call(
        server,
        "POST",
        f"/repos/{REPO}/issues",
        {"title": "Quarterly", "body": "b", "labels": ["audit"], "assignees": ["alice"]},
    )
    assert status == 201 and issue["user"]["login"] == "github-actions[bot]"
    assert issue["assignees"][0]["login"] == "alice"
    number = issue["number"]
    status, _, issue = call(
        server,
        "PATCH",
        f"/repos/{REPO}/issues/{number}",
        {"state": "closed", "state_reason": "not_planned"},
    )
    assert (issue["state"], issue["state_reason"]) == ("closed", "not_planned")
    assert issue["closed_at"] is not None
    server.state.add_issue(REPO, "other", labels=["bug"])
    _, _, found = call(server, "GET", f"/repos/{REPO}/issues?labels=audit&state=all")
    assert [i["number"] for i in found] == [number]
    _, _, found = call(server, "GET", f"/repos/{REPO}/issues?labels=audit")
    assert found == []  # GitHub lists open issues unless asked otherwise
    assert call(server, "POST", f"/repos/{REPO}/issues", {"body": "no title"})[0] == 422


def test_user_endpoint_refuses_an_actions_token(server: FakeGitHubServer) -> None:
    status, _, body = call(server, "GET", "/user")
    assert status == 403 and body["message"] == "Resource not accessible by integration"
    server.state.identity = {"login": "alice", "id": 7, "type": "User"}
    status, _, body = call(server, "GET", "/user")
    assert status == 200 and body["login"] == "alice"
    status, _, body = call(server, "GET", "/rate_limit")
    assert status == 200 and body["rate"]["limit"] == 5000


def test_read_only_token_refuses_every_write(server: FakeGitHubServer) -> None:
    number = server.state.add_issue(REPO, "Review")
    server.state.read_only = True
    status, _, body = call(server, "POST", f"/repos/{REPO}/issues/{number}/comments", {"body": "x"})
    assert status == 403
    assert body["message"] == "Resource not accessible by integration"
    assert "documentation_url" in body
    assert call(server, "POST", f"/repos/{REPO}/labels", {"name": "x", "color": "ffffff"})[0] == 403
    assert call(server, "GET", f"/repos/{REPO}/issues/{number}/comments")[0] == 200
    assert server.state.comments(REPO, number) == []


def test_writes_need_a_token(server: FakeGitHubServer) -> None:
    assert call(server, "GET", f"/repos/{REPO}", token=None)[0] == 200
    assert call(server, "POST", f"/repos/{REPO}/labels", {"name": "x"}, token=None)[0] == 401


def test_fail_next_answers_5xx_for_matching_requests_only(server: FakeGitHubServer) -> None:
    state = server.state
    state.fail_next(2, 502, method="GET", path=r"/labels$")
    assert call(server, "GET", f"/repos/{REPO}")[0] == 200
    status, _, body = call(server, "GET", f"/repos/{REPO}/labels")
    assert status == 502 and body["message"] == "Server Error"
    assert call(server, "GET", f"/repos/{REPO}/labels")[0] == 502
    assert call(server, "GET", f"/repos/{REPO}/labels")[0] == 200
    assert [r.path for r in state.requests_to(r"/labels$")] == [f"/repos/{REPO}/labels"] * 3


def test_rate_limit_next_sends_retry_after(server: FakeGitHubServer) -> None:
    server.state.rate_limit_next(1, 429, retry_after=3)
    status, headers, body = call(
        server, "POST", f"/repos/{REPO}/labels", {"name": "a", "color": "ffffff"}
    )
    assert status == 429 and headers["Retry-After"] == "3"
    assert "secondary rate limit" in body["message"]
    assert server.state.label_names(REPO) == []
    assert call(server, "POST", f"/repos/{REPO}/labels", {"name": "a", "color": "ffffff"})[0] == 201
    assert len(server.state.writes()) == 2 and len(server.state.landed_writes()) == 1


def test_delay_slows_every_response(server: FakeGitHubServer) -> None:
    server.state.delay = 0.05
    started = time.perf_counter()
    for _ in range(3):
        call(server, "GET", f"/repos/{REPO}")
    assert time.perf_counter() - started >= 0.15


def test_log_reads_writes_and_clear(server: FakeGitHubServer) -> None:
    call(server, "GET", f"/repos/{REPO}/labels?per_page=5")
    call(server, "POST", f"/repos/{REPO}/labels", {"name": "a", "color": "ffffff"})
    state = server.state
    assert [r[:3] for r in state.reads()] == [("GET", f"/repos/{REPO}/labels", {"per_page": "5"})]
    assert [(r.method, r.path) for r in state.writes()] == [("POST", f"/repos/{REPO}/labels")]
    state.clear_log()
    assert state.log == []


def test_enterprise_prefix_serves_api_v3_and_api_graphql() -> None:
    with FakeGitHubServer(prefix="/api/v3") as server:
        server.state.add_repo(REPO)
        assert server.url.endswith("/api/v3")
        assert server.graphql_url.endswith("/api/graphql")
        status, _, body = call(server, "GET", f"/repos/{REPO}")
        assert status == 200 and body["url"] == f"{server.url}/repos/{REPO}"


def test_pygithub_parses_the_shapes(server: FakeGitHubServer) -> None:
    import github

    state = server.state
    state.expect_api_version = False  # bare PyGithub names no API version of its own
    base = state.add_commit(REPO, {"a.md": "a"})
    head = state.add_commit(REPO, {"a.md": "b"}, parent=base, branch="feature")
    number = state.add_pull(REPO, base, head, user="alice", labels=["tier/gold"])
    gh = github.Github(
        auth=github.Auth.Token("ghs_test"),
        base_url=server.url,
        retry=None,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )
    repo = gh.get_repo(REPO)
    assert (repo.stargazers_count, repo.archived) == (12, False)
    pull = repo.get_pull(number)
    assert (pull.base.sha, pull.head.sha, pull.user.login) == (base, head, "alice")
    assert [f.filename for f in pull.get_files()] == ["a.md"]
    assert [label.name for label in pull.labels] == ["tier/gold"]
    comment = repo.get_issue(number).create_comment("hi")
    assert comment.user.login == "github-actions[bot]"
    assert [c.body for c in repo.get_issue(number).get_comments()] == ["hi"]
    assert repo.get_git_tree(head, recursive=True).tree[0].path == "a.md"
    assert repo.get_contents("a.md", ref=head).decoded_content == b"b"


def test_gidgethub_parses_the_shapes(server: FakeGitHubServer) -> None:
    import asyncio

    import aiohttp
    import gidgethub
    from gidgethub.aiohttp import GitHubAPI

    state = server.state
    state.expect_api_version = False  # bare gidgethub names no API version of its own
    sha = state.add_commit(REPO, {"a.md": "a"})
    for n in range(5):
        state.add_issue(REPO, f"issue {n}")

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            gh = GitHubAPI(session, "tierbot", oauth_token="ghs_test", base_url=server.url)
            titles = [i["title"] async for i in gh.getiter(f"/repos/{REPO}/issues?per_page=2")]
            assert len(titles) == 5
            assert gh.rate_limit is not None and gh.rate_limit.limit == 5000
            await gh.post(f"/repos/{REPO}/labels", data={"name": "a", "color": "ffffff"})
            with pytest.raises(gidgethub.BadRequest) as raised:
                await gh.post(f"/repos/{REPO}/labels", data={"name": "a", "color": "ffffff"})
            assert raised.value.status_code == 422
            query = (
                "query($o: String!, $n: String!, $e: String!) { repository(owner: $o, name: $n)"
                " { a0: object(expression: $e) { ... on Blob { text } } } }"
            )
            data = await gh.graphql(
                query, endpoint=server.graphql_url, o="octo", n="patterns", e=f"{sha}:a.md"
            )
            assert data["repository"]["a0"] == {"text": "a"}

    asyncio.run(scenario())
