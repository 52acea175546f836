"""GitHubApp against the fake: JWTs the fake accepts and refuses, installation tokens cached
until a minute before they expire, a refused token minted again once, installations and their
repositories listed page by page, the forges it hands out, and ``from_env``."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gidgethub.aiohttp import GitHubAPI
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.fake_github.github_app import EXPIRED, TOO_LONG, UNDECODABLE, FakeApp, new_private_key
from support.fake_github.records import API_VERSION
from support.forges import OwnLoop, SyncForge
from support.raw_http import call

from bot.adapters.github_app import GitHubApp
from bot.errors import ForgeError, NotFound, UsageError
from bot.port import operations as ops

REPO = "octo/patterns"
TOKENS = r"/access_tokens$"


class Clock:
    """Time as the App sees it: now, ``ahead`` seconds later."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
def loop() -> Iterator[OwnLoop]:
    own = OwnLoop()
    try:
        yield own
    finally:
        own.close()


@pytest.fixture
def state(fake_github: FakeGitHubServer) -> FakeGitHub:
    fake_github.state.add_repo(REPO)
    fake_github.state.add_repo("octo/elsewhere")
    return fake_github.state


@pytest.fixture
def fake_app(state: FakeGitHub) -> FakeApp:
    return state.add_app("tierbot")


@pytest.fixture
def installation(fake_app: FakeApp) -> int:
    return fake_app.add_installation("octo", [REPO])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(fake_github: FakeGitHubServer, fake_app: FakeApp, loop: OwnLoop, clock: Clock) -> GitHubApp:
    api = GitHubAPI(loop.session, "tierbot-tests", base_url=fake_github.url)
    return GitHubApp(
        api,
        app_id=str(fake_app.id),
        private_key=fake_app.private_key_pem,
        clock=clock,
        write_spacing=0,
    )


# --- the fake's JWT checks -------------------------------------------------------------------


def test_the_fake_takes_the_apps_jwt_on_app_endpoints_only(
    fake_github: FakeGitHubServer, fake_app: FakeApp, installation: int
) -> None:
    status, _, body = call(fake_github, "GET", "/app", token=fake_app.jwt())
    assert status == 200 and (body["id"], body["slug"]) == (fake_app.id, "tierbot")
    refused = {
        "expired": fake_app.jwt(issued=time.time() - 700, lifetime=600),
        "too long": fake_app.jwt(lifetime=660),
        "another key": fake_app.jwt(key=new_private_key()),
        "another App": fake_app.jwt(issuer=fake_app.id + 1),
        "not a JWT": "ghs_whatever",
    }
    answers = {why: call(fake_github, "GET", "/app", token=token) for why, token in refused.items()}
    assert {why: (status, body["message"]) for why, (status, _, body) in answers.items()} == {
        "expired": (401, EXPIRED),
        "too long": (401, TOO_LONG),
        "another key": (401, UNDECODABLE),
        "another App": (401, UNDECODABLE),
        "not a JWT": (401, UNDECODABLE),
    }
    # Repository endpoints refuse the JWT; the token it mints opens them.
    status, _, body = call(fake_github, "GET", f"/repos/{REPO}", token=fake_app.jwt())
    assert (status, body["message"]) == (401, "Bad credentials")
    path = f"/app/installations/{installation}/access_tokens"
    status, _, minted = call(fake_github, "POST", path, {}, token=fake_app.jwt())
    assert status == 201 and minted["expires_at"].endswith("Z")
    assert call(fake_github, "GET", f"/repos/{REPO}", token=minted["token"])[0] == 200
    assert call(fake_github, "GET", "/repos/octo/elsewhere", token=minted["token"])[0] == 404
    assert call(fake_github, "GET", "/app", token=minted["token"])[0] == 401


# --- the App ---------------------------------------------------------------------------------


def test_the_app_names_itself_once(app: GitHubApp, loop: OwnLoop, state: FakeGitHub) -> None:
    assert loop.run(app.slug()) == "tierbot"
    assert loop.run(app.login()) == "tierbot[bot]"
    assert [r.path for r in state.log] == ["/app"]


def test_its_forge_posts_as_the_app(
    app: GitHubApp, loop: OwnLoop, state: FakeGitHub, installation: int
) -> None:
    forge = SyncForge(loop, loop.run(app.forge(installation, REPO)))
    assert forge.login == "tierbot[bot]"
    number = state.add_issue(REPO, "Review")
    comment = forge.execute(ops.CreateComment(number, "hello"))
    assert comment.author == "tierbot[bot]" == forge.login
    sha = state.add_commit(REPO, {"a.md": "a"})
    run = forge.execute(ops.CreateCheckRun(sha, "tierbot"))
    assert run.app_slug == "tierbot"
    assert [r.app_slug for r in forge.execute(ops.ListCheckRuns(sha, "tierbot"))] == ["tierbot"]
    other = SyncForge(loop, loop.run(app.forge(installation, "octo/elsewhere")))
    with pytest.raises(NotFound):  # not granted to the installation
        other.execute(ops.GetPullRequest(1))
    assert len(state.requests_to(TOKENS)) == 1  # one token for every request
    # JWT, minting and the installation's requests alike name the API version
    assert {r.api_version for r in state.log} == {API_VERSION}


def test_a_token_is_cached_until_a_minute_before_it_expires(
    app: GitHubApp,
    loop: OwnLoop,
    state: FakeGitHub,
    fake_app: FakeApp,
    installation: int,
    clock: Clock,
) -> None:
    token = loop.run(app.installation_token(installation))
    assert loop.run(app.installation_token(installation)) == token
    left = fake_app.tokens[token].expires_at - time.time()
    assert 3590 < left <= 3600  # GitHub's hour
    clock.ahead = left - 61
    assert loop.run(app.installation_token(installation)) == token
    assert len(state.requests_to(TOKENS)) == 1
    clock.ahead = left - 59
    renewed = loop.run(app.installation_token(installation))
    assert renewed != token and fake_app.minted_for(installation) == [token, renewed]


def test_a_refused_token_is_dropped_and_the_request_made_once_more(
    app: GitHubApp, loop: OwnLoop, state: FakeGitHub, fake_app: FakeApp, installation: int
) -> None:
    forge = SyncForge(loop, loop.run(app.forge(installation, REPO)))
    number = state.add_issue(REPO, "Review")
    first = loop.run(app.installation_token(installation))
    fake_app.revoke(first)
    state.clear_log()
    assert forge.execute(ops.ListComments(number)) == ()
    comments = rf"/issues/{number}/comments$"
    assert _statuses(state, comments) == [401, 200]
    assert len(state.requests_to(TOKENS)) == 1
    # GitHub refusing every token: asked twice, then the 401 is the operation's.
    fake_app.token_lifetime = -1
    fake_app.revoke(fake_app.minted_for(installation)[-1])
    state.clear_log()
    with pytest.raises(ForgeError) as raised:
        forge.execute(ops.ListComments(number))
    assert raised.value.status == 401
    assert _statuses(state, comments) == [401, 401]


def _statuses(state: FakeGitHub, pattern: str) -> list[int | None]:
    """How the fake answered each logged request whose path matches ``pattern``."""
    answered = zip(state.log, state.response_statuses, strict=True)
    return [status for request, status in answered if re.search(pattern, request.path)]


def test_installations_and_repositories_page_by_page(
    app: GitHubApp, loop: OwnLoop, state: FakeGitHub, fake_app: FakeApp
) -> None:
    names = [f"octo/r{n:03d}" for n in range(150)]
    for name in names:
        state.add_repo(name)
    ids = [fake_app.add_installation(f"org{n}", names if n == 0 else []) for n in range(130)]
    installations = loop.run(app.installations())
    assert [i.id for i in installations] == ids and installations[1].account == "org1"
    assert len(state.requests_to(r"^/app/installations$")) == 2
    assert loop.run(app.repositories(ids[0])) == tuple(names)
    pages = state.requests_to(r"^/installation/repositories$")
    assert len(pages) == 2 and pages[0].query == {"per_page": "100"}


def test_an_unknown_installation_is_not_found(app: GitHubApp, loop: OwnLoop) -> None:
    with pytest.raises(NotFound) as raised:
        loop.run(app.installation_token(999_999))
    assert raised.value.status == 404


# --- from_env --------------------------------------------------------------------------------


def test_from_env_reads_the_app_and_githubs_urls(loop: OwnLoop, tmp_path: Path) -> None:
    key = tmp_path / "app.pem"
    key.write_text("-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n")
    env = {"TIERBOT_APP_ID": "42", "TIERBOT_PRIVATE_KEY_PATH": str(key)}
    app = GitHubApp.from_env(env, loop.session)
    assert (app.app_id, app.graphql_url) == ("42", "https://api.github.com/graphql")
    assert app._private_key == key.read_text()
    enterprise = {**env, "GITHUB_API_URL": "https://ghe.example.com/api/v3"}
    assert (
        GitHubApp.from_env(enterprise, loop.session).graphql_url
        == "https://ghe.example.com/api/graphql"
    )
    explicit = {**enterprise, "GITHUB_GRAPHQL_URL": "https://gql.example.com"}
    assert GitHubApp.from_env(explicit, loop.session).graphql_url == "https://gql.example.com"
    one_line = {
        "TIERBOT_APP_ID": "42",
        "TIERBOT_PRIVATE_KEY": "-----BEGIN-----\\nx\\n-----END-----",
    }
    assert (
        GitHubApp.from_env(one_line, loop.session)._private_key
        == "-----BEGIN-----\nx\n-----END-----"
    )
    assert "BEGIN" not in repr(app)


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"TIERBOT_PRIVATE_KEY": "k"}, "TIERBOT_APP_ID"),
        ({"TIERBOT_APP_ID": "42"}, "TIERBOT_PRIVATE_KEY"),
        ({"TIERBOT_APP_ID": "42", "TIERBOT_PRIVATE_KEY_PATH": "/no/such.pem"}, "cannot read"),
    ],
)
def test_from_env_says_what_to_set(loop: OwnLoop, env: dict[str, str], says: str) -> None:
    with pytest.raises(UsageError, match=says):
        GitHubApp.from_env(env, loop.session)
