"""Post the fixes of new findings as one pull request review of ```suggestion comments."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core import markers
from bot.core.review import suggestions
from bot.core.review.suggestions import SuggestedEdit
from bot.errors import ForgeError, TokenCannotWrite
from bot.jobs.once import create_once
from bot.port.operations import CreateReview, Job, ListReviewComments, ask

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SuggestionOutcome:
    """What posting suggestions did: the review's URL, the comments in it, or why none."""

    review_url: str | None = None
    posted: int = 0
    cannot_write: str | None = None
    problem: str | None = None  # GitHub refused them for another reason


def post_suggestions(
    number: int,
    head_sha: str,
    edits: Sequence[SuggestedEdit],
    login: str,
) -> Job[SuggestionOutcome]:
    """One review with a suggestion per edit not suggested before; else nothing.

    A fingerprint that already has tierbot's comment gets none again, whether or not that
    comment is outdated now: the contributor has seen it.
    """
    if not edits:
        return SuggestionOutcome()

    def done() -> Job[frozenset[str]]:
        found = yield from ask(ListReviewComments(number))
        return markers.suggestion_fingerprints(c.body for c in found if c.author == login)

    drafts = suggestions.drafts(edits, (yield from done()))
    if not drafts:
        return SuggestionOutcome()
    review = CreateReview(number, head_sha, suggestions.review_body(len(drafts)), drafts)

    def landed() -> Job[str | None]:
        posted = yield from done()
        # Landed after all: "" (the review's URL is not in its comments), None: not there.
        return "" if {draft.fingerprint for draft in drafts} <= posted else None

    try:
        url = yield from create_once(review, landed)
    except TokenCannotWrite as error:
        log.warning("no suggestions posted: the token cannot write (%s)", error)
        return SuggestionOutcome(cannot_write=str(error))
    except ForgeError as error:
        if error.status != 422:  # no answer, or retries ran out: the run stops and says so
            raise
        # GitHub refused the lines (its diff disagrees): the comment has it all anyway.
        log.warning("no suggestions posted: %s", error)
        return SuggestionOutcome(problem=str(error))
    return SuggestionOutcome(url or None, len(drafts))
