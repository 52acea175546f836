"""An in-memory fake of GitHub's REST and GraphQL API, served over real HTTP for tests.

    with FakeGitHubServer() as server:        # or the ``fake_github`` fixture
        state = server.state                  # a FakeGitHub: seed it, read it back
        state.add_repo("octo/patterns")
        base = state.add_commit("octo/patterns", {"docs/a.md": "..."}, branch="main")
        ...                                   # point the client at server.url, .graphql_url

The modules, by what they hold:

- ``records``: the state's records (repositories, commits, issues, comments, labels) and helpers
- ``errors``: GitHub-shaped errors and the injected faults
- ``state``: ``FakeGitHub``, what the server knows, its request log and its switches
- ``shapes``: GitHub's JSON for each record
- ``call``: one request as a handler sees it, and pagination
- ``repos``, ``pulls``, ``issues``, ``checks``, ``graphql``: the handlers, by resource
- ``app``: the routes, authentication and rate limits, the aiohttp application
- ``server``: ``FakeGitHubServer``, the application served from a background thread
"""

from .app import make_app
from .records import (
    ACTIONS_BOT,
    CommentRecord,
    FileChange,
    IssueRecord,
    LabelRecord,
    LoggedRequest,
    PullInfo,
    RepoRecord,
    blob_sha,
)
from .server import FakeGitHubServer
from .state import FakeGitHub

__all__ = [
    "ACTIONS_BOT",
    "CommentRecord",
    "FakeGitHub",
    "FakeGitHubServer",
    "FileChange",
    "IssueRecord",
    "LabelRecord",
    "LoggedRequest",
    "PullInfo",
    "RepoRecord",
    "blob_sha",
    "make_app",
]
