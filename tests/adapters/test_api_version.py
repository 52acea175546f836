"""Every request names the REST API version tierbot is written against
(``X-GitHub-Api-Version: 2022-11-28``), as GitHub asks of its clients: through each adapter here,
the App's own requests in test_github_app.py, and every request of every test that uses the fake
(the ``fake_github`` fixture and ``FakeGitHubServer`` check them when they stop)."""

from __future__ import annotations

import pytest
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.fake_github.records import API_VERSION
from support.raw_http import call

from bot.adapters.github_api import version_header
from bot.port import operations as ops
from bot.port.forge import Forge


def test_the_adapters_and_the_fake_name_one_version() -> None:
    assert version_header() == {"X-GitHub-Api-Version": API_VERSION} and API_VERSION == "2022-11-28"


def test_every_request_of_an_adapter_names_it(forge: Forge, state: FakeGitHub) -> None:
    sha = state.add_commit("octo/patterns", {"a.md": "a"})
    number = state.add_issue("octo/patterns", "Review")
    forge.execute(ops.ReadFiles(sha, ("a.md",)))  # GraphQL
    forge.execute(ops.ListTree(sha))
    forge.execute(ops.CreateComment(number, "hello"))
    forge.execute(ops.ListComments(number))
    forge.execute(ops.SetCommitStatus(sha, "success", "tierbot", "ok"))
    assert len(state.log) == 5
    assert [r.api_version for r in state.log] == [API_VERSION] * 5


def test_a_rest_request_without_it_fails_the_check(fake_github: FakeGitHubServer) -> None:
    state = fake_github.state
    state.add_repo("octo/patterns")
    call(fake_github, "GET", "/repos/octo/patterns")
    call(fake_github, "POST", "/graphql", {"query": "{ viewer { login } }"}, api_version=None)
    state.assert_versioned()  # GraphQL is not versioned
    call(fake_github, "GET", "/repos/octo/patterns", api_version=None)
    missing = [(r.path, r.api_version) for r in state.unversioned()]
    assert missing == [("/repos/octo/patterns", None)]
    with pytest.raises(AssertionError, match=r"1 requests without X-GitHub-Api-Version: GET"):
        state.assert_versioned()
    state.clear_log()  # the fixture checks the log again when it stops the fake
