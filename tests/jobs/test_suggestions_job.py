"""post_suggestions: one review for the new suggestions, none for those already posted."""

from __future__ import annotations

from support.scripted import Script, like

from bot.core.review.suggestions import SuggestedEdit, fingerprint
from bot.errors import RetryableError, TokenCannotWrite
from bot.jobs.review.suggestions import SuggestionOutcome, post_suggestions
from bot.port.operations import CreateReview, ListReviewComments
from bot.port.results import ReviewComment

LOGIN = "github-actions[bot]"
PRINT = fingerprint("p.md", "key-spelling", "modern_alternatives")
EDIT = SuggestedEdit(
    "p.md", 3, 3, ("modern_alternatives: [x]",), PRINT, "key-spelling", "Spelling."
)
OTHER = SuggestedEdit("p.md", 9, 9, ("x",), fingerprint("p.md", "r", None), "r", "Other.")
URL = "https://github.com/o/r/pull/7#pullrequestreview-1"


def _ours(fingerprint_: str, author: str = LOGIN) -> ReviewComment:
    return ReviewComment(1, f"<!-- tierbot:suggestion {fingerprint_} -->\n", author, "p.md", 3)


def test_one_review_with_every_new_suggestion() -> None:
    script = Script(
        (ListReviewComments(7), (_ours(OTHER.fingerprint),)),
        (like(CreateReview, number=7, commit_id="h1"), URL),
    )
    outcome = script.run(post_suggestions(7, "h1", [EDIT, OTHER], LOGIN))
    assert outcome == SuggestionOutcome(URL, 1)
    review = script.executed[-1]
    assert [draft.fingerprint for draft in review.comments] == [PRINT]


def test_a_rerun_posts_nothing() -> None:
    script = Script((ListReviewComments(7), (_ours(PRINT),)))
    assert script.run(post_suggestions(7, "h1", [EDIT], LOGIN)) == SuggestionOutcome()


def test_someone_elses_marker_does_not_count() -> None:
    script = Script(
        (ListReviewComments(7), (_ours(PRINT, author="mallory"),)),
        (like(CreateReview, number=7), URL),
    )
    assert script.run(post_suggestions(7, "h1", [EDIT], LOGIN)).posted == 1


def test_no_edit_no_request() -> None:
    assert Script().run(post_suggestions(7, "h1", [], LOGIN)) == SuggestionOutcome()


def test_a_5xx_after_the_review_landed_is_not_posted_twice() -> None:
    script = Script(
        (ListReviewComments(7), ()),
        (like(CreateReview, number=7), RetryableError("502", status=502)),
        (ListReviewComments(7), (_ours(PRINT),)),
    )
    assert script.run(post_suggestions(7, "h1", [EDIT], LOGIN)).posted == 1


def test_a_read_only_token_posts_nothing_and_says_why() -> None:
    script = Script(
        (ListReviewComments(7), ()),
        (like(CreateReview, number=7), TokenCannotWrite("Resource not accessible")),
    )
    outcome = script.run(post_suggestions(7, "h1", [EDIT], LOGIN))
    assert outcome.posted == 0 and "not accessible" in (outcome.cannot_write or "")
