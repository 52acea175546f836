"""The server's settings, read from the environment when `tierbot serve` starts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from bot.errors import UsageError

N = TypeVar("N", int, float)

NO_SECRET = (
    "set TIERBOT_WEBHOOK_SECRET to the App's webhook secret: without it a delivery from "
    "GitHub cannot be told from a forged one"
)
DEFAULT_WORKERS = 4
DEFAULT_QUEUE_SIZE = 200
DEFAULT_GRACE_SECONDS = 25.0  # Kubernetes waits 30 s between SIGTERM and SIGKILL
DEFAULT_GITHUB_TIMEOUT = 30.0
DEFAULT_READ_TIMEOUT = 5.0  # GitHub sends a whole delivery at once


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """What `tierbot serve` reads from the environment, besides the App's credentials."""

    secret: str
    workers: int = DEFAULT_WORKERS
    queue_size: int = DEFAULT_QUEUE_SIZE
    grace_seconds: float = DEFAULT_GRACE_SECONDS
    github_timeout: float = DEFAULT_GITHUB_TIMEOUT  # seconds for one GitHub request
    read_timeout: float = DEFAULT_READ_TIMEOUT  # seconds for a request's headers, and its body

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ServerConfig:
        """The settings in ``env``; a ``UsageError`` naming the variable that is wrong."""
        secret = env.get("TIERBOT_WEBHOOK_SECRET")
        if not secret:
            raise UsageError(NO_SECRET)
        return cls(
            secret,
            _number(env, "TIERBOT_WORKERS", int, DEFAULT_WORKERS, 1),
            _number(env, "TIERBOT_QUEUE_SIZE", int, DEFAULT_QUEUE_SIZE, 1),
            _number(env, "TIERBOT_GRACE_SECONDS", float, DEFAULT_GRACE_SECONDS, 0),
            _number(env, "TIERBOT_GITHUB_TIMEOUT", float, DEFAULT_GITHUB_TIMEOUT, 0.1),
            _number(env, "TIERBOT_READ_TIMEOUT", float, DEFAULT_READ_TIMEOUT, 0.1),
        )


def _number(env: Mapping[str, str], name: str, kind: Callable[[str], N], default: N, low: N) -> N:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise UsageError(f"{name}: expected a number, got {raw!r}") from None
    if not value >= low:  # NaN is refused too
        raise UsageError(f"{name}: expected at least {low}, got {raw!r}")
    return value
