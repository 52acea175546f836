"""The App's end-to-end fixtures: one fake GitHub, its site and one `tierbot serve` a module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
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
def server(github: SlowGitHub, site: AppSite) -> Iterator[AppServer]:
    with AppServer(github).start() as running:
        yield running
        assert running.stop() == 0
    assert not running.logged("Traceback"), "\n".join(running.lines)
