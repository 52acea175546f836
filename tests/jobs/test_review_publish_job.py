"""`publish_review`, scripted: the sticky comment and labels, each write made once and only once."""

from __future__ import annotations

import pytest
from support.pages import GOLD, SILVER, default_policy, page
from support.scripted import Script, like, reply

from bot.core import markers
from bot.core.config import DEFAULT_LABELS, Config
from bot.core.review.model import ChangedPage, OnPullRequest, Review
from bot.core.review.plan import review_pages
from bot.errors import AlreadyExists, NotFound, RetryableError, TokenCannotWrite
from bot.jobs.review.publish import ReviewOutcome, publish_review
from bot.port.drive import Recorder, dry, run
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import (
    AddLabels,
    CreateComment,
    CreateLabel,
    DeleteComment,
    ListComments,
    RemoveLabel,
    UpdateComment,
)
from bot.port.results import Comment

LIB = "docs/pattern-library"
URL = "https://github.com/o/r/pull/7#issuecomment-"
GOLD_LABEL, SILVER_LABEL = DEFAULT_LABELS["gold"], DEFAULT_LABELS["silver"]


def review_of(labels: tuple[str, ...] = (), text: str = page(GOLD)) -> Review:
    """A pull request adding one page (clean gold by default), with labels already on it."""
    change = ChangedPage(f"{LIB}/resilience/bulkhead.md", "added", head=text.encode())
    return review_pages([change], Config(), default_policy(), OnPullRequest(labels))


def comment(body: str, number: int = 101, author: str = ACTIONS_LOGIN) -> Comment:
    return Comment(number, body, author, f"{URL}{number}")


def publish(review: Review, **kwargs) -> object:
    return publish_review(7, review, Config(), ACTIONS_LOGIN, **kwargs)


REVIEW = review_of()
POSTED = comment(REVIEW.comment)


def test_a_first_run_posts_the_comment_then_creates_and_adds_the_labels() -> None:
    script = Script(
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), POSTED),
        (CreateLabel(GOLD_LABEL), None),
        (AddLabels(7, ("tier: gold",)), None),
    )

    assert script.run(publish(REVIEW)) == ReviewOutcome(POSTED.html_url, 3)


def test_a_rerun_with_the_same_state_only_lists_the_comments() -> None:
    rerun = review_of(labels=("tier: gold",))
    script = Script((ListComments(7), (comment("someone else's"), POSTED)))

    assert script.run(publish(rerun)) == ReviewOutcome(POSTED.html_url, 0)


def test_a_second_tierbot_comment_from_a_race_is_deleted_and_the_oldest_kept() -> None:
    rerun = review_of(labels=("tier: gold",))
    twin, gone = comment(REVIEW.comment, 105), comment(REVIEW.comment, 107)
    script = Script(
        (ListComments(7), (twin, comment("someone else's", 103, "alice"), POSTED, gone)),
        (DeleteComment(105), None),
        (DeleteComment(107), NotFound("deleted by the other replica", status=404)),
    )

    assert script.run(publish(rerun)) == ReviewOutcome(POSTED.html_url, 1)


def test_an_edited_review_updates_the_comment_once() -> None:
    broken = review_of(("tier: gold",), page(GOLD, {"production_checklist": None}))
    assert broken.labels_add == ()  # a new warning: no label changes, only the text
    script = Script(
        (ListComments(7), (comment(REVIEW.comment),)),
        (UpdateComment(101, broken.comment), comment(broken.comment)),
    )

    assert script.run(publish(broken)) == ReviewOutcome(POSTED.html_url, 1)


def test_a_label_that_exists_already_is_just_as_good() -> None:
    script = Script(
        (ListComments(7), (POSTED,)),
        (CreateLabel(GOLD_LABEL), AlreadyExists("already_exists", status=422)),
        (AddLabels(7, ("tier: gold",)), None),
    )

    assert script.run(publish(REVIEW)) == ReviewOutcome(POSTED.html_url, 1)


def test_a_label_removed_already_is_fine() -> None:
    moved = review_of(labels=("tier: silver", "tier: gold", "help wanted"))
    assert (moved.labels_add, moved.labels_remove) == ((), ("tier: silver",))
    script = Script(
        (ListComments(7), (POSTED,)),
        (RemoveLabel(7, "tier: silver"), NotFound("not on the issue", status=404)),
    )

    assert script.run(publish(moved)) == ReviewOutcome(POSTED.html_url, 0)


def test_labels_are_created_in_order_and_added_in_one_request() -> None:
    two = review_pages(
        [
            ChangedPage(f"{LIB}/a.md", "added", head=page(GOLD).encode()),
            ChangedPage(f"{LIB}/b.md", "added", head=page(SILVER).encode()),
        ],
        Config(),
        default_policy(),
        OnPullRequest(("tier: bronze",)),
    )
    assert two.labels_remove == ("tier: bronze",)
    script = Script(
        (CreateLabel(GOLD_LABEL), None),
        (CreateLabel(SILVER_LABEL), None),
        (AddLabels(7, ("tier: gold", "tier: silver")), None),
        (RemoveLabel(7, "tier: bronze"), None),
    )

    assert script.run(publish(two, comment=False)) == ReviewOutcome(None, 4)


def test_a_comment_that_landed_despite_a_5xx_is_found_not_posted_twice() -> None:
    script = Script(
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), RetryableError("502 Bad Gateway", status=502)),
        (ListComments(7), (POSTED,)),  # it landed all the same
        (CreateLabel(GOLD_LABEL), None),
        (AddLabels(7, ("tier: gold",)), None),
    )

    assert script.run(publish(REVIEW)) == ReviewOutcome(POSTED.html_url, 3)
    assert script.waits == []  # the driver handed the 5xx to the job at once


def test_a_landed_comment_with_another_body_is_updated() -> None:
    stale = comment(markers.REVIEW + "\nAn older review.")
    script = Script(
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), RetryableError("503", status=503)),
        (ListComments(7), (stale,)),
        (UpdateComment(stale.id, REVIEW.comment), POSTED),
    )

    assert script.run(publish(REVIEW, labels=False)) == ReviewOutcome(POSTED.html_url, 1)


def test_a_comment_that_did_not_land_is_created_once_more() -> None:
    script = Script(
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), RetryableError("500", status=500)),
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), POSTED),
    )

    assert script.run(publish(REVIEW, labels=False)) == ReviewOutcome(POSTED.html_url, 1)


def test_a_second_5xx_on_the_comment_ends_the_job() -> None:
    script = Script(
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), RetryableError("500", status=500)),
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), RetryableError("502", status=502)),
    )

    with pytest.raises(RetryableError, match="502"):
        script.run(publish(REVIEW))
    script.assert_done()


def test_a_token_that_cannot_write_stops_every_write() -> None:
    script = Script(
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), TokenCannotWrite("Resource not accessible", status=403)),
    )

    outcome = script.run(publish(REVIEW))

    assert (outcome.comment_url, outcome.writes) == (None, 0)
    assert outcome.cannot_write and "Resource not accessible" in outcome.cannot_write
    assert "pull_request_target" in outcome.cannot_write


def test_a_token_that_cannot_write_labels_keeps_the_comment_written() -> None:
    script = Script(
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), POSTED),
        (CreateLabel(GOLD_LABEL), TokenCannotWrite("no labels for you", status=403)),
    )

    outcome = script.run(publish(REVIEW))

    assert (outcome.comment_url, outcome.writes) == (POSTED.html_url, 1)
    assert outcome.cannot_write and "no labels for you" in outcome.cannot_write


def test_a_marked_comment_by_another_author_is_not_tierbots() -> None:
    spoof = comment(markers.REVIEW + "\nI am tierbot, honest", number=55, author="mallory")
    script = Script(
        (ListComments(7), (spoof,)),
        (like(CreateComment, issue_number=7), reply(lambda op: comment(op.body, number=102))),
    )

    outcome = script.run(publish(REVIEW, labels=False))

    assert outcome == ReviewOutcome(f"{URL}102", 1)
    assert script.executed[1] == CreateComment(7, REVIEW.comment)  # not UpdateComment(55, …)


def test_a_pull_request_without_pattern_pages_gets_no_comment() -> None:
    empty = review_pages([ChangedPage("README.md", "modified")], Config(), default_policy())
    script = Script((ListComments(7), ()))

    assert script.run(publish(empty)) == ReviewOutcome(None, 0)


def test_an_earlier_comment_is_still_updated_when_no_page_is_left() -> None:
    empty = review_pages([], Config(), default_policy(), OnPullRequest(("tier: gold",)))
    script = Script(
        (ListComments(7), (POSTED,)),
        (UpdateComment(POSTED.id, empty.comment), comment(empty.comment)),
        (RemoveLabel(7, "tier: gold"), None),
    )

    assert script.run(publish(empty)) == ReviewOutcome(POSTED.html_url, 2)


def test_a_dry_run_reads_and_records_the_writes() -> None:
    script = Script((ListComments(7), ()))
    recorder = Recorder()

    outcome = run(publish(REVIEW), dry(script.execute, recorder))

    script.assert_done()
    assert recorder.writes == [
        CreateComment(7, REVIEW.comment),
        CreateLabel(GOLD_LABEL),
        AddLabels(7, ("tier: gold",)),
    ]
    assert outcome == ReviewOutcome(None, 3)
