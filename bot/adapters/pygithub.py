"""The synchronous adapter: sends each operation's GitHub requests through PyGithub's requester."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import requests
import urllib3
from github import Auth, Github, GithubException

from bot.adapters import github_api
from bot.adapters.github_exchange import Request, Response, in_turn
from bot.adapters.github_requests import GitHubRequests
from bot.errors import ForgeError, UsageError
from bot.port.drive import complete
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import Operation, Sleep, Write

log = logging.getLogger(__name__)


def forge_from_env(
    env: Mapping[str, str], token: str, repository: str, login: str | None = None
) -> PyGithubForge:
    """The forge every entry point builds: GitHub's URLs and tierbot's login from ``env``."""
    if not token:
        raise UsageError("no GitHub token: set GITHUB_TOKEN (the Action: `github-token`)")
    return PyGithubForge(
        token,
        repository,
        api_url=env.get("GITHUB_API_URL") or github_api.DEFAULT_API_URL,
        graphql_url=env.get("GITHUB_GRAPHQL_URL") or None,
        login=login or env.get("TIERBOT_LOGIN") or ACTIONS_LOGIN,
    )


class PyGithubForge:
    """A ``bot.port.forge.Forge`` for one repository; ``bot.port.drive.run`` retries."""

    def __init__(
        self,
        token: str,
        repository: str,
        *,
        api_url: str = github_api.DEFAULT_API_URL,
        graphql_url: str | None = None,
        login: str = ACTIONS_LOGIN,
        write_spacing: float = 1.0,
        timeout: int = 30,
    ) -> None:
        self.login = login
        self.repository = repository
        self.graphql_url = graphql_url or github_api.graphql_url_for(api_url)
        self._spacing = github_api.WriteSpacing(write_spacing)
        self._requests = GitHubRequests(repository, self.graphql_url)
        github = Github(
            auth=Auth.Token(token),
            base_url=api_url.rstrip("/"),
            per_page=100,
            timeout=timeout,
            retry=None,  # retries belong to bot.port.drive.run, which sees every operation
            seconds_between_requests=0,
            seconds_between_writes=0,  # PyGithub counts GraphQL queries (POSTs) as writes
        )
        self._requester = github.requester

    @property
    def write_spacing(self) -> float:
        """Seconds between content-creating writes."""
        return self._spacing.spacing

    def __repr__(self) -> str:
        return f"PyGithubForge({self.repository!r}, login={self.login!r})"

    def execute(self, op: Operation[Any]) -> Any:
        """Run one operation; GitHub's errors come out as ``bot.errors.ForgeError``s."""
        if isinstance(op, Sleep):
            time.sleep(op.seconds)
            return None
        exchange = self._requests.exchange(op)
        spaced = isinstance(op, github_api.CONTENT_CREATING)
        if spaced and (wait := self._spacing.wait()):
            time.sleep(wait)
        try:
            return complete(exchange, in_turn(self._send))
        except GithubException as error:
            headers = error.headers or {}
            raise github_api.http_error(
                error.status, headers, error.data, type(op).__name__
            ) from error
        except requests.RequestException as error:
            raise transport_error(error, op) from error
        finally:
            if spaced:
                self._spacing.sent()

    def _send(self, request: Request) -> Response:
        parameters = dict(request.params) if request.params else None
        status = 200
        try:
            headers, data = self._requester.requestJsonAndCheck(
                request.method,
                request.url,
                parameters=parameters,
                headers=github_api.version_header(),
                input=request.body,
            )
        except GithubException as error:
            if error.status not in request.answered:
                raise
            headers, data, status = error.headers or {}, error.data, error.status
        return Response({name.lower(): value for name, value in headers.items()}, data, status)


# --- Errors without an answer -------------------------------------------------------------


def _never_sent(error: requests.RequestException) -> bool:
    """Whether the request certainly did not reach GitHub (so a write may be retried)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def transport_error(error: requests.RequestException, op: Operation[Any]) -> ForgeError:
    """No answer at all: retryable for reads, and for writes that were never sent."""
    return github_api.no_answer(
        type(op).__name__,
        write=isinstance(op, Write),
        never_sent=_never_sent(error),
        cause=type(error).__name__,
    )
