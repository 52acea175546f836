"""A GitHub App (gidgethub.apps): its identity, its installations, their cached tokens, and a
``GidgethubForge`` for a repository of an installation."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import aiohttp
import cachetools
import gidgethub.aiohttp
import gidgethub.apps
from gidgethub.abc import GitHubAPI

from bot.adapters import github_api
from bot.adapters.gidgethub import Credentials, GidgethubForge, at_once, send
from bot.adapters.github_exchange import Exchange, Request, Response, pages
from bot.errors import UsageError
from bot.port.drive import complete_async

#: An installation token is renewed this long before GitHub's ``expires_at``.
RENEW_BEFORE_EXPIRY = 60.0
REQUESTER = "tierbot"  # the User-Agent GitHub asks for: the project's name

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Installation:
    id: int
    account: str  # the user or organisation the App is installed on


class _Minted(NamedTuple):
    token: str
    expires_at: float  # seconds since the epoch


class _AppJWT:
    """Signs as the App itself: a fresh JWT (gidgethub: iat backdated a minute, 10 min life)."""

    def __init__(self, app_id: str, private_key: str) -> None:
        self._app_id, self._private_key = app_id, private_key

    async def authorization(self) -> str | None:
        jwt = gidgethub.apps.get_jwt(app_id=self._app_id, private_key=self._private_key)
        return f"bearer {jwt}"

    def rejected(self, authorization: str) -> bool:
        return False


class _InstallationToken:
    """Signs as an installation, with the App's cached token; a 401 drops it for a new one."""

    def __init__(self, app: GitHubApp, installation_id: int) -> None:
        self._app, self._installation_id = app, installation_id

    def __repr__(self) -> str:
        return f"_InstallationToken(installation={self._installation_id})"

    async def authorization(self) -> str | None:
        return f"token {await self._app.installation_token(self._installation_id)}"

    def rejected(self, authorization: str) -> bool:
        self._app.forget_token(self._installation_id, authorization.removeprefix("token "))
        return True


class GitHubApp:
    """One GitHub App: authenticates with its JWT, mints and caches installation tokens."""

    def __init__(
        self,
        api: GitHubAPI,
        *,
        app_id: str,
        private_key: str,
        graphql_url: str | None = None,
        clock: Callable[[], float] = time.time,
        write_spacing: float = 1.0,
    ) -> None:
        """``api`` (no token of its own) carries the transport and the REST base URL."""
        self.app_id = app_id
        self.graphql_url = graphql_url or github_api.graphql_url_for(api.base_url)
        self.write_spacing = write_spacing
        self._api = api
        self._private_key = private_key
        self._jwt = _AppJWT(app_id, private_key)
        self._slug: str | None = None
        self._tokens: cachetools.TLRUCache[int, _Minted, float] = cachetools.TLRUCache(
            maxsize=1024, ttu=_renewal_time, timer=clock
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str], session: aiohttp.ClientSession) -> GitHubApp:
        """The App named by ``env`` (TIERBOT_APP_ID, TIERBOT_PRIVATE_KEY or
        TIERBOT_PRIVATE_KEY_PATH, GITHUB_API_URL, GITHUB_GRAPHQL_URL), over ``session``."""
        app_id = env.get("TIERBOT_APP_ID", "").strip()
        if not app_id:
            raise UsageError(
                "no GitHub App: set TIERBOT_APP_ID (the App's id, on its settings page)"
            )
        api_url = env.get("GITHUB_API_URL") or github_api.DEFAULT_API_URL
        return cls(
            gidgethub.aiohttp.GitHubAPI(session, REQUESTER, base_url=api_url),
            app_id=app_id,
            private_key=_private_key(env),
            graphql_url=env.get("GITHUB_GRAPHQL_URL") or None,
        )

    def __repr__(self) -> str:
        return f"GitHubApp(app_id={self.app_id!r})"

    # --- the App itself (JWT) ------------------------------------------------------------

    async def slug(self) -> str:
        """The App's slug, from ``GET /app`` (asked once)."""
        if self._slug is None:
            data = await self._exchange(_one("GET", "/app"), self._jwt, "GetApp")
            self._slug = str(data["slug"])
        return self._slug

    async def login(self) -> str:
        """The identity the App posts as: ``<slug>[bot]``."""
        return f"{await self.slug()}[bot]"

    async def installations(self) -> tuple[Installation, ...]:
        """Every installation of the App (``GET /app/installations``, all pages)."""
        found = await self._exchange(pages("/app/installations"), self._jwt, "ListInstallations")
        return tuple(Installation(e["id"], github_api.login_of(e.get("account"))) for e in found)

    # --- an installation (its token) -----------------------------------------------------

    def credentials(self, installation_id: int) -> Credentials:
        """Signs requests as installation ``installation_id``."""
        return _InstallationToken(self, installation_id)

    async def repositories(self, installation_id: int) -> tuple[str, ...]:
        """The full names of the repositories the installation may reach (all pages)."""
        listed = pages("/installation/repositories", key="repositories")
        found = await self._exchange(listed, self.credentials(installation_id), "ListRepositories")
        return tuple(entry["full_name"] for entry in found)

    async def forge(self, installation_id: int, repository: str) -> GidgethubForge:
        """An adapter for ``repository``, posting as the App through the installation."""
        return GidgethubForge(
            self._api,
            repository,
            graphql_url=self.graphql_url,
            login=await self.login(),
            credentials=self.credentials(installation_id),
            write_spacing=self.write_spacing,
        )

    async def installation_token(self, installation_id: int) -> str:
        """The installation's token: the cached one until a minute before it expires."""
        minted = self._tokens.get(installation_id)
        if minted is None:
            minted = await self._mint(installation_id)
            self._tokens[installation_id] = minted
        return minted.token

    def forget_token(self, installation_id: int, token: str) -> None:
        """GitHub refused ``token`` (revoked, expired early): the next request mints another."""
        if (cached := self._tokens.get(installation_id)) and cached.token == token:
            del self._tokens[installation_id]

    async def _mint(self, installation_id: int) -> _Minted:
        # Sent as every other request is (gidgethub.apps' helper would not name the API
        # version). Minting twice is harmless: the request counts as a read, whatever befell it.
        path = f"/app/installations/{installation_id}/access_tokens"
        data = await self._exchange(_one("POST", path), self._jwt, "CreateInstallationToken")
        expires_at = datetime.fromisoformat(data["expires_at"].replace("Z", "+00:00"))
        return _Minted(str(data["token"]), expires_at.timestamp())

    async def _exchange(self, exchange: Exchange[T], credentials: Credentials, action: str) -> T:
        async def send_one(request: Request) -> Response:
            return await send(self._api, request, credentials, action=action, write=False)

        return await complete_async(exchange, at_once(send_one))


def _one(method: str, path: str) -> Exchange[Any]:
    return (yield Request(method, path)).data


def _renewal_time(installation_id: int, minted: _Minted, now: float) -> float:
    return minted.expires_at - RENEW_BEFORE_EXPIRY


def _private_key(env: Mapping[str, str]) -> str:
    """The App's PEM key: TIERBOT_PRIVATE_KEY itself, or the file TIERBOT_PRIVATE_KEY_PATH."""
    key = env.get("TIERBOT_PRIVATE_KEY", "").strip()
    if key:
        # A key pasted into one line of a secret store keeps its line breaks as "\n".
        return key if "\n" in key else key.replace("\\n", "\n")
    path = env.get("TIERBOT_PRIVATE_KEY_PATH", "").strip()
    if not path:
        raise UsageError(
            "no GitHub App private key: set TIERBOT_PRIVATE_KEY (the PEM text) "
            "or TIERBOT_PRIVATE_KEY_PATH (the .pem file GitHub gave)"
        )
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"TIERBOT_PRIVATE_KEY_PATH: cannot read {path}: {error.strerror}"
        ) from error
