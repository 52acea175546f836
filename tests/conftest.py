"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_github import FakeGitHubServer


@pytest.fixture
def fake_github() -> Iterator[FakeGitHubServer]:
    """A fake GitHub on 127.0.0.1 (``.url``, ``.graphql_url``, ``.state``), stopped afterwards."""
    server = FakeGitHubServer().start()
    try:
        yield server
    finally:
        server.stop()
