"""The fake's GitHub App: a key pair made at test time, its installations, the JWTs it accepts
and the installation tokens it mints."""

from __future__ import annotations

import functools
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

JWT_LONGEST = 600  # GitHub refuses a JWT whose exp is more than 10 minutes ahead
TOKEN_LIFETIME = 3600  # an installation token lives one hour
UNDECODABLE = "A JSON web token could not be decoded"
EXPIRED = (
    "'Expiration time' claim ('exp') must be a numeric value representing the future time "
    "at which the assertion expires"
)
TOO_LONG = "'Expiration time' claim ('exp') is too far in the future"
ISSUED_LATER = (
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion "
    "was issued"
)


def new_private_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key, as GitHub generates for an App."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def _session_key() -> rsa.RSAPrivateKey:
    """One key for every fake App of a test session: generating one takes a while."""
    return new_private_key()


def pem(key: rsa.RSAPrivateKey) -> str:
    """The key as GitHub hands it out: PKCS#1 PEM ("BEGIN RSA PRIVATE KEY")."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class InstallationRecord:
    id: int
    account: str  # the user or organisation it is installed on
    repositories: list[str] = field(default_factory=list)  # full names


@dataclass
class MintedToken:
    token: str
    installation_id: int
    expires_at: float  # seconds since the epoch
    revoked: bool = False


class FakeApp:
    """A GitHub App the fake knows: GET /app with its JWT names it, its tokens sign as it."""

    def __init__(self, app_id: int, slug: str, owner: str, ids: itertools.count[int]) -> None:
        self.id = app_id
        self.slug = slug
        self.name = slug.replace("-", " ").title()
        self.owner = owner
        self.key = _session_key()
        self.private_key_pem = pem(self.key)
        self.installations: dict[int, InstallationRecord] = {}
        self.tokens: dict[str, MintedToken] = {}
        self.token_lifetime: float = TOKEN_LIFETIME
        self._ids = ids

    @property
    def bot(self) -> dict[str, Any]:
        """The identity its installation tokens post as."""
        return {"login": f"{self.slug}[bot]", "id": self.id + 10_000_000, "type": "Bot"}

    @property
    def check_app(self) -> dict[str, Any]:
        """The ``app`` of a check run it creates."""
        return {"id": self.id, "slug": self.slug, "name": self.name}

    def add_installation(self, account: str, repositories: list[str] | tuple[str, ...] = ()) -> int:
        installation = InstallationRecord(next(self._ids), account, list(repositories))
        self.installations[installation.id] = installation
        return installation.id

    def reaches(self, installation_id: int, full_name: str) -> bool:
        """Whether the installation was granted the repository ``full_name``."""
        granted = self.installations[installation_id].repositories
        return full_name.lower() in (name.lower() for name in granted)

    # --- JWTs ------------------------------------------------------------------------------

    def jwt(
        self,
        *,
        lifetime: float = 540,
        issued: float | None = None,
        issuer: str | int | None = None,
        key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        """A JWT as a client would sign it (tests vary one claim or the key at a time)."""
        now = time.time() if issued is None else issued
        claims = {"iat": int(now), "exp": int(now + lifetime), "iss": str(issuer or self.id)}
        return jwt.encode(claims, key or self.key, algorithm="RS256")

    def jwt_refusal(self, token: str | None) -> str | None:
        """GitHub's 401 message for ``token`` on an App endpoint, or None: it is valid."""
        if not token:
            return "Requires authentication"
        try:
            claims = jwt.decode(
                token,
                self.key.public_key(),
                algorithms=["RS256"],
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.InvalidTokenError:
            return UNDECODABLE
        now = time.time()
        if str(claims.get("iss")) != str(self.id):
            return UNDECODABLE  # signed for another App
        expires, issued = claims.get("exp"), claims.get("iat")
        if not isinstance(expires, int) or expires <= now:
            return EXPIRED
        if expires > now + JWT_LONGEST:
            return TOO_LONG
        if not isinstance(issued, int) or issued > now + 60:
            return ISSUED_LATER
        return None

    @staticmethod
    def looks_like_jwt(token: str | None) -> bool:
        return token is not None and token.startswith("eyJ") and token.count(".") == 2

    # --- installation tokens ---------------------------------------------------------------

    def mint(self, installation_id: int) -> MintedToken:
        minted = MintedToken(
            f"ghs_{secrets.token_hex(18)}", installation_id, time.time() + self.token_lifetime
        )
        self.tokens[minted.token] = minted
        return minted

    def valid_token(self, token: str | None) -> MintedToken | None:
        """The minted token ``token``, while it is neither expired nor revoked."""
        minted = self.tokens.get(token or "")
        if minted is None or minted.revoked or minted.expires_at <= time.time():
            return None
        return minted

    def revoke(self, token: str) -> None:
        """GitHub stops accepting ``token`` (``DELETE /installation/token``, or an expiry)."""
        self.tokens[token].revoked = True

    def minted_for(self, installation_id: int) -> list[str]:
        """The tokens minted for an installation, oldest first."""
        return [t.token for t in self.tokens.values() if t.installation_id == installation_id]
