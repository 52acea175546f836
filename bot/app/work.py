"""What deliveries ask for: a pull request to review; two asks for one pull request, merged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gidgethub import sansio

from bot.app.payload import field as payload_field
from bot.app.payload import optional

Key = tuple[str, int]  # (owner/name lower-cased, pull request number)


@dataclass(frozen=True, slots=True)
class Work:
    """A review of one pull request, asked for by one or more deliveries."""

    installation: int
    repository: str  # OWNER/NAME
    number: int
    head_sha: str | None  # the head it was asked for; None: whatever the head is by then
    deliveries: tuple[str, ...]  # the newest last
    reason: str  # e.g. "pull_request.synchronize"
    requesters: tuple[str, ...] = ()  # users of whom one must have write permission; (): none

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Work:
        """The ``Work`` of ``dataclasses.asdict`` after a JSON round trip (lists for tuples)."""
        tuples = {name: tuple(data[name]) for name in ("deliveries", "requesters")}
        return cls(**data | tuples)

    @property
    def key(self) -> Key:
        return self.repository.lower(), self.number

    @property
    def delivery(self) -> str:
        """The delivery its log lines name: the newest."""
        return self.deliveries[-1]

    def merged(self, newer: Work) -> Work:
        """This queued review and a newer ask for the same pull request, as one review.

        A different head means the pull request moved: whichever head the newer delivery
        names, the head *then* is the one worth reviewing. Anyone's ungated ask lifts the
        permission gate.
        """
        gated = self.requesters and newer.requesters
        return Work(
            self.installation,
            newer.repository,
            self.number,
            self.head_sha if self.head_sha == newer.head_sha else None,
            self.deliveries + newer.deliveries,
            newer.reason,
            tuple(dict.fromkeys(self.requesters + newer.requesters)) if gated else (),
        )


@dataclass
class Intake:
    """What one delivery's handlers ask for; the webhook hands it to the scheduler whole."""

    event: sansio.Event
    works: list[Work] = field(default_factory=list)

    @property
    def name(self) -> str:
        """``event.action``, or the event alone when it has no action."""
        action = optional(self.event.data, "action", str)
        return f"{self.event.event}.{action}" if action else self.event.event

    def review(self, number: int, head_sha: str | None, *, requester: str | None = None) -> None:
        """Ask for a review of pull request ``number`` of the delivery's repository."""
        data: Any = self.event.data
        self.works.append(
            Work(
                payload_field(data, "installation.id", int),
                payload_field(data, "repository.full_name", str),
                number,
                head_sha,
                (self.event.delivery_id,),
                self.name,
                (requester,) if requester else (),
            )
        )
