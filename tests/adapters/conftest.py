"""The Forge contract suite's fixtures: each adapter in turn, over real HTTP to the fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.forges import ADAPTERS, REPO, MakeForge, forge_maker

from bot.port.forge import Forge


@pytest.fixture(params=sorted(ADAPTERS))
def make_forge(request: pytest.FixtureRequest) -> Iterator[MakeForge]:
    """Each adapter in turn: ``make_forge(server, repository=REPO, timeout=10)``."""
    with forge_maker(request.param, REPO) as make:
        yield make


@pytest.fixture
def forge(fake_github: FakeGitHubServer, make_forge: MakeForge) -> Forge:
    fake_github.state.add_repo(REPO, stars=5, pushed_at="2024-03-01T08:00:00Z")
    return make_forge(fake_github)


@pytest.fixture
def state(fake_github: FakeGitHubServer) -> FakeGitHub:
    return fake_github.state
