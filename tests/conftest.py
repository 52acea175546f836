"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from support.fake_github import FakeGitHubServer
from support.git_repo import GitRepo
from support.quarterly_site import QuarterlySite

# Property-based tests (tests/core/test_properties_*.py): few examples each, so that .ci/run
# stays fast, no deadline on a shared machine, no example database written into the checkout.
# `HYPOTHESIS_PROFILE=thorough python -m pytest tests/core` runs many more.
settings.register_profile("tierbot", max_examples=40, deadline=None, database=None)
settings.register_profile("thorough", max_examples=2_000, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "tierbot"))


@pytest.fixture
def fake_github() -> Iterator[FakeGitHubServer]:
    """A fake GitHub on 127.0.0.1 (``.url``, ``.graphql_url``, ``.state``), stopped afterwards;
    then every REST request it received must have named the API version tierbot is written
    against (X-GitHub-Api-Version), whichever client sent it."""
    server = FakeGitHubServer().start()
    try:
        yield server
    finally:
        server.stop()
    server.state.assert_versioned()


def corpus_path():
    """The read-only DStudio corpus, in ../shared next to the repository checkout."""
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dstudio-9a0cc0b2"


@pytest.fixture(scope="session")
def corpus():
    """The corpus directory; tests using it skip when it is absent."""
    path = corpus_path()
    if not (path / "docs").is_dir():
        pytest.skip(f"the DStudio corpus is absent ({path})")
    return path


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    """An empty git repository (branch ``main``) in a temporary directory: support/git_repo.py."""
    return GitRepo(tmp_path / "repo")


# --- The quarterly review: support/quarterly_site.py ------------------------------------------


@pytest.fixture
def quarterly_site(git_repo: GitRepo, fake_github: FakeGitHubServer) -> QuarterlySite:
    return QuarterlySite(git_repo, fake_github)
