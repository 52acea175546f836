"""What only PyGithubForge has: its options, URLs, write spacing and its requester's settings."""

from __future__ import annotations

import time

import pytest
from support.fake_github import FakeGitHubServer

from bot.adapters.github_api import graphql_url_for
from bot.adapters.pygithub import PyGithubForge, forge_from_env
from bot.errors import UsageError
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import CreateComment, ListComments

REPO = "octo/patterns"
TOKEN = "ghs_s3cr3tT0ken"


def test_graphql_url_is_derived_from_the_api_url() -> None:
    assert graphql_url_for("https://api.github.com") == "https://api.github.com/graphql"
    assert graphql_url_for("https://api.github.com/") == "https://api.github.com/graphql"
    assert (
        graphql_url_for("https://ghe.example.com/api/v3") == "https://ghe.example.com/api/graphql"
    )
    assert graphql_url_for("http://127.0.0.1:8000") == "http://127.0.0.1:8000/graphql"
    explicit = PyGithubForge("t", REPO, graphql_url="https://gql.example.com/graphql")
    assert explicit.graphql_url == "https://gql.example.com/graphql"
    assert PyGithubForge("t", REPO, graphql_url="").graphql_url == "https://api.github.com/graphql"


def test_an_enterprise_api_url_gives_the_graphql_url_beside_it() -> None:
    with FakeGitHubServer(prefix="/api/v3") as server:
        forge = PyGithubForge(TOKEN, REPO, api_url=server.url, write_spacing=0)
        assert forge.graphql_url == server.graphql_url


def test_defaults() -> None:
    forge = PyGithubForge(TOKEN, REPO)
    assert (forge.login, forge.repository, forge.write_spacing) == (ACTIONS_LOGIN, REPO, 1.0)
    assert forge.graphql_url == "https://api.github.com/graphql"
    assert repr(forge) == f"PyGithubForge({REPO!r}, login={ACTIONS_LOGIN!r})"
    assert PyGithubForge(TOKEN, REPO, login="tierbot[bot]").login == "tierbot[bot]"


def test_the_requester_leaves_retries_and_pacing_to_the_driver() -> None:
    forge = PyGithubForge(TOKEN, REPO, api_url="https://ghe.example.com/api/v3/", timeout=7)
    settings = forge._requester.kwargs
    assert settings["retry"] is None  # bot.port.run retries, seeing every operation
    assert settings["seconds_between_requests"] == 0
    assert settings["seconds_between_writes"] == 0  # PyGithub would pace GraphQL reads too
    assert (settings["per_page"], settings["timeout"]) == (100, 7)
    assert settings["base_url"] == "https://ghe.example.com/api/v3"


def test_content_creating_writes_are_spaced(
    fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = fake_github.state
    state.add_repo(REPO)
    number = state.add_issue(REPO, "Review")
    waits: list[float] = []  # what the adapter waits, recorded, not slept: no clock raced
    monkeypatch.setattr(time, "sleep", waits.append)
    forge = PyGithubForge(TOKEN, REPO, api_url=fake_github.url, write_spacing=60)
    for _ in range(3):
        forge.execute(ListComments(number))
    assert waits == []  # reads are never spaced
    forge.execute(CreateComment(number, "one"))
    assert waits == []  # nor is the first write
    forge.execute(CreateComment(number, "two"))
    assert len(waits) == 1 and 0 < waits[0] <= 60  # the second waits out the spacing


def test_forge_from_env_reads_githubs_urls_and_the_login() -> None:
    env = {"GITHUB_API_URL": "https://ghe.example.com/api/v3", "TIERBOT_LOGIN": "tierbot[bot]"}
    forge = forge_from_env(env, TOKEN, REPO)
    assert (forge.repository, forge.login) == (REPO, "tierbot[bot]")
    assert forge.graphql_url == "https://ghe.example.com/api/graphql"
    assert forge._requester.kwargs["base_url"] == "https://ghe.example.com/api/v3"
    explicit = forge_from_env({**env, "GITHUB_GRAPHQL_URL": "https://gql.example.com"}, "t", REPO)
    assert explicit.graphql_url == "https://gql.example.com"
    assert forge_from_env(env, TOKEN, REPO, login="me[bot]").login == "me[bot]"
    defaults = forge_from_env({"GITHUB_API_URL": "", "TIERBOT_LOGIN": ""}, TOKEN, REPO)
    assert defaults.graphql_url == "https://api.github.com/graphql"
    assert defaults.login == ACTIONS_LOGIN


def test_forge_from_env_needs_a_token() -> None:
    with pytest.raises(UsageError, match="GITHUB_TOKEN"):
        forge_from_env({}, "", REPO)
