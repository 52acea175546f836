"""End-to-end fixtures: the App's fake GitHub, its site and one `tierbot serve` a module; the
Action installed once a session (support/action_site.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.action_site import (  # noqa: F401 (fixtures)
    installed,
    library,
    run_action,
    run_workflow,
)
from support.app_server import AppServer, SlowGitHub
from support.app_site import AppSite


@pytest.fixture(scope="module")
def github() -> Iterator[SlowGitHub]:
    with SlowGitHub() as server:
        yield server


@pytest.fixture(scope="module")
def site(github: SlowGitHub) -> AppSite:
    return AppSite(github.state)


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    """The environment variables a module's `tierbot serve` is started with (a module may
    override this fixture)."""
    return {}


@pytest.fixture(scope="module")
def server(
    github: SlowGitHub, site: AppSite, server_settings: dict[str, str]
) -> Iterator[AppServer]:
    with AppServer(github, **server_settings).start() as running:
        yield running
        assert running.stop() == 0
    assert not running.logged("Traceback"), "\n".join(running.lines)


@pytest.fixture
def untouched(github: SlowGitHub, server: AppServer) -> Iterator[None]:
    """The test's requests reach no GitHub API, and the server stays healthy."""
    github.state.clear_log()
    yield
    assert github.state.log == []
    assert server.healthy()
