"""An in-memory fake of GitHub's REST and GraphQL API, served over real HTTP for tests.

    with FakeGitHubServer() as server:        # or the ``fake_github`` fixture
        state = server.state                  # a FakeGitHub: seed it, read it back
        state.add_repo("octo/patterns")
        base = state.add_commit("octo/patterns", {"docs/a.md": "..."}, branch="main")
        ...                                   # point the client at server.url, .graphql_url

The modules, by what they hold:

- ``records``: the state's records (repositories, commits, issues, comments, labels) and helpers
- ``errors``: GitHub-shaped errors and the injected faults
- ``github_app``: ``FakeApp``, a GitHub App (``state.add_app()``): its key pair, made at test
  time, the JWTs it accepts, its installations and the tokens they mint
- ``state``: ``FakeGitHub``, what the server knows, its request log and its switches
- ``shapes``: GitHub's JSON for each record
- ``call``: one request as a handler sees it (its token, who that posts as), and pagination
- ``repos``, ``pulls``, ``issues``, ``checks``, ``apps``, ``graphql``: the handlers, by resource
- ``app``: the routes, authentication and rate limits, the aiohttp application
- ``server``: ``FakeGitHubServer``, the application served from a background thread
"""

from .app import make_app
from .github_app import FakeApp
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
    "FakeApp",
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
