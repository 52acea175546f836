"""Publish a review on its pull request: the sticky comment and tier labels, idempotently."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core import markers
from bot.core.config import Config
from bot.core.limits import BODY_LIMIT
from bot.core.review.model import Review
from bot.core.review.ticks import carry_ticks
from bot.errors import AlreadyExists, NotFound, TokenCannotWrite
from bot.jobs.once import create_once
from bot.port.operations import (
    AddLabels,
    CreateComment,
    CreateLabel,
    DeleteComment,
    Job,
    ListComments,
    RemoveLabel,
    UpdateComment,
    ask,
)
from bot.port.results import Comment

log = logging.getLogger(__name__)

CANNOT_WRITE = (
    "The token cannot write to this repository ({detail}); that is expected for pull "
    "requests from forks under `pull_request`. The full report is in the job summary and "
    "the annotations; see the README's `pull_request_target` recipe to get the comment."
)


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """What publishing a review did."""

    comment_url: str | None = None
    writes: int = 0
    cannot_write: str | None = None  # why nothing (more) was written


def own_comments(comments: Iterable[Comment], login: str) -> list[Comment]:
    """tierbot's comments, oldest first: they carry the marker *and* tierbot's identity."""
    found = [c for c in comments if markers.REVIEW in c.body and c.author == login]
    return sorted(found, key=lambda c: c.id)


def find_own_comment(comments: Iterable[Comment], login: str) -> Comment | None:
    """tierbot's sticky comment: the oldest of its own."""
    return next(iter(own_comments(comments, login)), None)


def publish_review(
    number: int,
    review: Review,
    config: Config,
    login: str,
    *,
    comment: bool = True,
    labels: bool = True,
) -> Job[ReviewOutcome]:
    """Make the comment and labels match ``review``; write nothing that is already right.

    The comment is read from GitHub here, in the same run: its ticked items carry over.
    """
    writes = 0
    url = None
    try:
        if comment:
            mine = own_comments((yield from ask(ListComments(number))), login)
            existing = mine[0] if mine else None
            # Two replicas that reviewed one head at the same moment may both have posted:
            # the oldest comment stays, the others go, so the next review always converges.
            for duplicate in mine[1:]:
                writes += yield from _delete(duplicate)
            url = existing.html_url if existing else None
            if existing is None and not review.pages:
                pass  # nothing to say on a pull request that never touched a pattern page
            elif existing is None:
                posted = yield from _post_once(number, review.comment, login)
                url, writes = (posted.html_url if posted else None), writes + 1
            else:  # what the last comment asked and is done now stays, ticked
                body = carry_ticks(review.comment, existing.body, BODY_LIMIT)
                if existing.body != body:
                    yield from ask(UpdateComment(existing.id, body))
                    writes += 1
        if labels:
            writes += yield from _publish_labels(number, review, config)
    except TokenCannotWrite as error:
        message = CANNOT_WRITE.format(detail=error)
        log.warning("%s", message)
        return ReviewOutcome(url, writes, message)
    return ReviewOutcome(url, writes)


def _post_once(number: int, body: str, login: str) -> Job[Comment | None]:
    """Create the comment; after a 5xx, look for it before trying once more."""

    def landed() -> Job[Comment | None]:
        made = find_own_comment((yield from ask(ListComments(number))), login)
        if made is not None and made.body != body:
            made = yield from ask(UpdateComment(made.id, body))
        return made

    return (yield from create_once(CreateComment(number, body), landed))


def _delete(comment: Comment) -> Job[int]:
    try:
        yield from ask(DeleteComment(comment.id))
    except NotFound:  # the other replica deleted it already
        return 0
    log.warning("deleted %s, a second tierbot comment", comment.html_url)
    return 1


def _publish_labels(number: int, review: Review, config: Config) -> Job[int]:
    """Add and remove tierbot's own labels; returns the writes made."""
    writes = 0
    specs = {spec.name: spec for spec in config.labels.values()}
    for name in review.labels_add:
        try:
            yield from ask(CreateLabel(specs[name]))
            writes += 1
        except AlreadyExists:  # the usual case, and just as good
            pass
    if review.labels_add:
        yield from ask(AddLabels(number, review.labels_add))  # adds; never replaces the PR's set
        writes += 1
    for name in review.labels_remove:
        try:
            yield from ask(RemoveLabel(number, name))
            writes += 1
        except NotFound:  # someone removed it already: the state is right
            pass
    return writes
