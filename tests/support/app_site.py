"""A pattern library on the fake GitHub with the App installed, for `tierbot serve` tests.

site = AppSite(github.state)                     # the App "tierbot-test", one installation
pull = site.open_pull({PAGE: GOOD}, {PAGE: BAD})
server.deliver(site.opened(pull))
site.push(pull, {PAGE: GOOD})                     # a new head; then deliver site.pushed(pull)
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from . import deliveries
from .deliveries import Delivery
from .fake_github import FakeGitHub
from .git_repo import EXAMPLES, drop_key

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
GOLD_PAGE = (EXAMPLES / BREAKER).read_text(encoding="utf-8")
BROKEN_PAGE = drop_key(GOLD_PAGE, "modern_examples")  # one new error: labels tier + needs
SLUG = "tierbot-test"
BOT = f"{SLUG}[bot]"


def pages(count: int, text: str) -> dict[str, str]:
    """``count`` copies of a page under the library."""
    return {f"{LIB}/generated/page-{n:03}.md": text for n in range(count)}


@dataclass
class Pull:
    number: int
    base: str
    head: str


class AppSite:
    """One repository of one installation of the fake's App."""

    def __init__(self, state: FakeGitHub, full_name: str = "acme/patterns") -> None:
        self.state, self.full_name = state, full_name
        app = state.app or state.add_app(SLUG)
        state.add_repo(full_name)
        self.installation = app.add_installation(full_name.split("/")[0], [full_name])

    # --- seeding ----------------------------------------------------------------------------

    def grant(self, full_name: str) -> None:
        """Install the App on another repository of the owner as well."""
        assert self.state.app is not None
        with self.state.lock:
            self.state.app.installations[self.installation].repositories.append(full_name)

    def open_pull(self, base: dict[str, str], head: dict[str, str | None], **kwargs: Any) -> Pull:
        base_sha = self.state.add_commit(self.full_name, base, branch="main")
        head_sha = self.state.add_commit(self.full_name, head, parent=base_sha, branch="feature")
        return Pull(
            self.state.add_pull(self.full_name, base_sha, head_sha, **kwargs), base_sha, head_sha
        )

    def push(self, pull: Pull, files: dict[str, str | None]) -> str:
        """A new commit on the pull request's branch: its head moves there."""
        with self.state.lock:
            info = self.state.issue(self.full_name, pull.number).pull
            assert info is not None
            pull.head = info.head_sha = self.state.add_commit(
                self.full_name, files, parent=pull.head
            )
        return pull.head

    # --- deliveries -------------------------------------------------------------------------

    def opened(self, pull: Pull, action: str = "opened", **fields: Any) -> Delivery:
        return deliveries.pull_request(
            self.full_name,
            pull.number,
            pull.base,
            pull.head,
            installation_id=self.installation,
            action=action,
            **fields,
        )

    def pushed(self, pull: Pull, before: str) -> Delivery:
        return self.opened(pull, before=before)

    def push_deliveries(self, pull: Pull, before: str) -> list[Delivery]:
        """The eight deliveries GitHub sends an App like tierbot after a push to ``pull``.

        Two ask for a review of the head; the others are tierbot's own run, labels and
        comment coming back, and a title edit.
        """
        named, installation = {pull.number: pull.base}, self.installation
        run = functools.partial(deliveries.check_run, self.full_name, pull.head, named)
        suite = deliveries.check_suite(
            self.full_name, pull.head, named, installation_id=installation, action="requested"
        )
        edited = json.loads(self.opened(pull, "edited").body)
        edited["changes"] = {"title": {"from": "WIP"}}
        return [
            self.pushed(pull, before),
            suite,
            run(installation_id=installation, action="created"),
            self.opened(pull, "labeled"),
            self.comment(pull, "<!-- tierbot:review -->", BOT),
            run(installation_id=installation, action="completed"),
            self.opened(pull, "unlabeled"),
            deliveries.delivery("pull_request", edited),
        ]

    def review(self, pull: Pull, reviewer: str, state: str = "APPROVED") -> Delivery:
        """``reviewer`` reviews the pull request at its head on the fake; the delivery of it."""
        review_id = self.state.add_review(self.full_name, pull.number, reviewer, state)
        return deliveries.pull_request_review(
            self.full_name,
            pull.number,
            pull.base,
            pull.head,
            installation_id=self.installation,
            reviewer=reviewer,
            state=state,
            review_id=review_id,
        )

    def comment(self, pull: Pull, body: str, author: str) -> Delivery:
        return deliveries.issue_comment(
            self.full_name, pull.number, body, author=author, installation_id=self.installation
        )

    # --- reading back -------------------------------------------------------------------------

    def bot_comments(self, pull: Pull) -> list[str]:
        return [c.body for c in self.state.comments(self.full_name, pull.number) if c.user == BOT]

    def labels(self, pull: Pull) -> set[str]:
        return set(self.state.issue_labels(self.full_name, pull.number))

    def check_runs(self, head: str | None = None) -> list[dict[str, Any]]:
        with self.state.lock:
            runs = self.state.repo(self.full_name).check_runs.values()
            return [dict(r) for r in runs if head is None or r["head_sha"] == head]

    def completed(self, head: str) -> list[dict[str, Any]]:
        return [r for r in self.check_runs(head) if r.get("status") == "completed"]

    def in_progress(self) -> list[dict[str, Any]]:
        """The check runs of every head not completed."""
        return [r for r in self.check_runs() if r.get("status") != "completed"]

    def landed_writes(self) -> Counter[tuple[str, str]]:
        """The writes to the repository GitHub took since the log was cleared, by method and
        path under the repository (numbers as N)."""
        prefix = f"/repos/{self.full_name}"
        return Counter(
            (r.method, re.sub(r"/\d+", "/N", r.path.removeprefix(prefix)))
            for r in self.state.landed_writes()
            if r.path.startswith(prefix + "/")
        )


def annotations_shown(run: dict[str, Any]) -> Counter[str]:
    """How many times a run shows each annotation (GitHub appends every update's)."""
    return Counter(json.dumps(note, sort_keys=True) for note in run.get("annotations", ()))
