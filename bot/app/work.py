"""What deliveries ask for: work of a kind, queued once per subject; two asks for one, merged.

A kind of work is a frozen dataclass deriving from ``Work``, in the module of the handlers
that queue it: its fields say what to do, ``job`` does it in the review process with the
installation's forge, and ``key``, ``merged``, ``covers`` and ``replaced_by`` tell the
scheduler which asks are one. It crosses to the review process as JSON naming its class.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from gidgethub import sansio

from bot.app.payload import field as payload_field
from bot.app.payload import optional
from bot.errors import TierbotError
from bot.port.drive import RetryPolicy, run_async
from bot.port.forge import AsyncForge
from bot.port.operations import Job

log = logging.getLogger(__name__)

STOPPED = "%s stopped: %s"


@dataclass(frozen=True, slots=True)
class Work(ABC):
    """Something one or more deliveries ask the workers to do in one repository."""

    installation: int
    repository: str  # OWNER/NAME
    deliveries: tuple[str, ...]  # the newest last
    reason: str  # e.g. "pull_request.synchronize"

    @abstractmethod
    def job(self, login: str) -> Job[str]:
        """The job doing it as ``login``; it returns the outcome's name for the metrics."""

    @property
    def key(self) -> Hashable:
        """What two asks that are one piece of work share: by default, kind and repository."""
        return type(self).__name__, self.repository.lower()

    @property
    def delivery(self) -> str:
        """The delivery its log lines name: the newest."""
        return self.deliveries[-1]

    def merged(self, newer: Work) -> Work:
        """This queued work and a newer ask of the same key, as one: by default, the newer."""
        return dataclasses.replace(newer, deliveries=self.deliveries + newer.deliveries)

    def covers(self, asked: Work) -> bool:
        """Whether this work, running, already does what ``asked`` asks: then it is dropped."""
        return False

    def replaced_by(self, newer: Work) -> bool:
        """Whether ``newer`` drops what this queued ask was for (a superseded ask)."""
        return False

    def __str__(self) -> str:
        return f"{type(self).__name__} of {self.repository}"

    def to_json(self) -> dict[str, Any]:
        kind = type(self)
        return {"kind": f"{kind.__module__}:{kind.__qualname__}", **dataclasses.asdict(self)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Work:
        """The ``Work`` of ``to_json`` after a JSON round trip (lists for tuples)."""
        module, _, name = data["kind"].partition(":")
        kind = getattr(importlib.import_module(module), name)
        if not (isinstance(kind, type) and issubclass(kind, Work)):
            raise TypeError(f"{data['kind']} is no kind of work")
        fields: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in data.items()
            if key != "kind"
        }
        return kind(**fields)


@dataclass
class Intake:
    """What one delivery's handlers queue; the webhook hands it to the scheduler whole."""

    event: sansio.Event
    works: list[Work] = field(default_factory=list)

    @property
    def name(self) -> str:
        """``event.action``, or the event alone when it has no action."""
        action = optional(self.event.data, "action", str)
        return f"{self.event.event}.{action}" if action else self.event.event

    @property
    def installation(self) -> int:
        return payload_field(self.event.data, "installation.id", int)

    @property
    def repository(self) -> str:
        """The delivery's repository, OWNER/NAME."""
        return payload_field(self.event.data, "repository.full_name", str)

    @property
    def origin(self) -> tuple[int, str, tuple[str, ...], str]:
        """The fields every kind of work starts with: installation, repository, deliveries
        (this one), reason (the event's name)."""
        return self.installation, self.repository, (self.event.delivery_id,), self.name

    def queue(self, work: Work) -> None:
        self.works.append(work)


class ForgeSource(Protocol):
    """Where a worker gets the forge of an installation's repository (the App adapter)."""

    async def forge(self, installation: int, repository: str) -> AsyncForge: ...


class InstallationRunner:
    """The review process's runner: a work's job with its installation's repository's forge."""

    def __init__(self, forges: ForgeSource, policy: RetryPolicy = RetryPolicy()) -> None:
        self._forges = forges
        self._policy = policy

    async def __call__(self, work: Work) -> str:
        try:
            forge = await self._forges.forge(work.installation, work.repository)
            return await run_async(work.job(forge.login), forge.execute, self._policy)
        except TierbotError as error:  # a review has ended its check run neutral, if it had one
            log.warning(STOPPED, work, error)
            return "stopped"
