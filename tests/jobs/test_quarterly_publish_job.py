"""`publish_quarterly`, scripted: the lock-label protocol, reruns, duplicates, earlier quarters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from support.pages import DROP, GOLD, SILVER, default_policy, page
from support.scripted import Script

from bot.core import markers
from bot.core.config import LabelSpec, QuarterlyConfig
from bot.core.quarterly.facts import read_pages
from bot.core.quarterly.model import Links, Quarter
from bot.core.quarterly.parts import merge_ticks, split_body
from bot.core.quarterly.plan import plan_quarter
from bot.errors import AlreadyExists, NotFound, RetryableError
from bot.jobs.quarterly.publish import (
    DUPLICATE_COMMENT,
    SUPERSEDED_COMMENT,
    UNUSED_PART,
    QuarterlyOutcome,
    Timing,
    publish_quarterly,
)
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import (
    AddLabels,
    CreateComment,
    CreateIssue,
    CreateLabel,
    DeleteLabel,
    ListComments,
    ListIssues,
    UpdateComment,
    UpdateIssue,
)
from bot.port.results import Comment, Issue

LIB = "docs/pattern-library"
Q1, Q2 = Quarter(2025, 1), Quarter(2025, 2)
LABEL = "tierbot: quarterly-review"
LOCK = "tierbot-lock: 2025-Q2"
LOCK_SPEC = LabelSpec(LOCK, "EDEDED", "tierbot is creating this quarter's review issue")
TIMING = Timing(poll_seconds=0.5, polls=3)
PAGES = read_pages(
    {
        f"{LIB}/a.md": page(GOLD).encode(),
        f"{LIB}/b.md": page(SILVER, {"last_updated": DROP}).encode(),  # undated: one item
    },
    default_policy(),
)
PLAN = plan_quarter(
    PAGES, date(2025, 6, 1), QuarterlyConfig(), Q2, sha="a" * 40, links=Links(repository="o/r")
)
#: A body over GitHub's limit: the issue's body and one continuation comment, which holds
#: the last section whole.
FILLER = "".join(f"\nFiller line {n:05}." for n in range(3250))
LONG = PLAN._replace(body=PLAN.body + "\n### Filler\n" + FILLER)


def parts_of(plan=PLAN) -> list[str]:
    """What the job writes for a plan on a new issue: the body, then the continuations."""
    return split_body(merge_ticks("", plan.body), plan.quarter)


(BODY,) = parts_of(PLAN)
LONG_BODY, LONG_PART = parts_of(LONG)


def issue(number: int = 5, body: str = BODY, labels=(LABEL,), state: str = "open") -> Issue:
    return Issue(number, PLAN.title, body, state, f"https://github.com/o/r/issues/{number}", labels)


def note(body: str, number: int = 900, author: str = ACTIONS_LOGIN) -> Comment:
    return Comment(number, body, author, f"https://github.com/o/r/issues/5#issuecomment-{number}")


def publish(plan=PLAN, issues=(), **kwargs) -> object:
    return publish_quarterly(plan, ACTIONS_LOGIN, issues, timing=TIMING, **kwargs)


def test_a_first_run_takes_the_lock_creates_the_issue_and_its_continuation() -> None:
    script = Script(
        (CreateLabel(LOCK_SPEC), None),
        (ListIssues(LABEL, "all"), ()),
        (CreateIssue(PLAN.title, LONG_BODY, (LABEL, LOCK), ()), issue(body=LONG_BODY)),
        (CreateComment(5, LONG_PART), note(LONG_PART)),
        (DeleteLabel(LOCK), None),
        (ListIssues(LABEL, "all"), (issue(body=LONG_BODY),)),  # the safety net's look
        (ListComments(5), (note(LONG_PART),)),  # the sync finds everything right
        (ListIssues(LABEL, "all"), (issue(body=LONG_BODY),)),  # earlier quarters: none
    )

    outcome = script.run(publish(LONG))

    assert outcome == QuarterlyOutcome("created", 5, issue().html_url, 4)
    assert markers.part_marker(LONG_PART) == ("2025-Q2", 2)
    assert script.waits == []


@pytest.mark.parametrize(
    "seen", [(), (issue(labels=(LABEL, LOCK)),)], ids=["no-issue-yet", "issue-wearing-the-lock"]
)
def test_a_run_that_meets_the_lock_polls_then_carries_on_as_a_rerun(seen) -> None:
    script = Script(
        (CreateLabel(LOCK_SPEC), AlreadyExists("already_exists", status=422)),
        (ListIssues(LABEL, "all"), ()),
        (ListIssues(LABEL, "all"), (issue(labels=(LABEL, LOCK)),)),  # created, still locked
        (ListIssues(LABEL, "all"), (issue(),)),  # the lock came off
        (ListComments(5), ()),
        (ListIssues(LABEL, "all"), (issue(),)),
    )

    outcome = script.run(publish(issues=seen))

    assert outcome == QuarterlyOutcome("unchanged", 5, issue().html_url, 0)
    assert script.waits == [0.5, 0.5, 0.5]  # one Sleep before each look; none reached the script


def test_a_lock_that_outlives_the_polls_is_taken_over() -> None:
    script = Script(
        (CreateLabel(LOCK_SPEC), AlreadyExists("already_exists", status=422)),
        *[(ListIssues(LABEL, "all"), ())] * TIMING.polls,
        (ListIssues(LABEL, "all"), ()),
        (CreateIssue(PLAN.title, BODY, (LABEL, LOCK), ()), issue(labels=(LABEL, LOCK))),
        (DeleteLabel(LOCK), NotFound("no such label", status=404)),  # deleted by another run
        (ListIssues(LABEL, "all"), (issue(),)),
        (ListComments(5), ()),
        (ListIssues(LABEL, "all"), (issue(),)),
    )

    outcome = script.run(publish())

    assert (outcome.action, outcome.number) == ("created", 5)
    assert outcome.writes == 1  # the issue: the lock label was another run's, and so its removal
    assert script.waits == [0.5] * TIMING.polls


def test_the_lock_holder_that_finds_the_issue_made_already_creates_nothing() -> None:
    script = Script(
        (CreateLabel(LOCK_SPEC), None),
        (ListIssues(LABEL, "all"), (issue(),)),  # made between our first look and the lock
        (DeleteLabel(LOCK), None),
        (ListComments(5), ()),
        (ListIssues(LABEL, "all"), (issue(),)),
    )

    assert script.run(publish()) == QuarterlyOutcome("unchanged", 5, issue().html_url, 2)


def test_an_issue_created_despite_a_5xx_is_found_not_created_twice() -> None:
    script = Script(
        (CreateLabel(LOCK_SPEC), None),
        (ListIssues(LABEL, "all"), ()),
        (CreateIssue(PLAN.title, BODY, (LABEL, LOCK), ()), RetryableError("502", status=502)),
        (ListIssues(LABEL, "all"), (issue(labels=(LABEL, LOCK)),)),
        (DeleteLabel(LOCK), None),
        (ListIssues(LABEL, "all"), (issue(),)),
        (ListComments(5), ()),
        (ListIssues(LABEL, "all"), (issue(),)),
    )

    assert script.run(publish()) == QuarterlyOutcome("created", 5, issue().html_url, 3)
    assert script.waits == []


def test_an_issue_not_created_after_a_5xx_releases_the_lock_and_fails() -> None:
    script = Script(
        (CreateLabel(LOCK_SPEC), None),
        (ListIssues(LABEL, "all"), ()),
        (CreateIssue(PLAN.title, BODY, (LABEL, LOCK), ()), RetryableError("503", status=503)),
        (ListIssues(LABEL, "all"), ()),
        (DeleteLabel(LOCK), None),
    )

    with pytest.raises(RetryableError, match="503"):
        script.run(publish())
    script.assert_done()


def test_an_unchanged_rerun_writes_nothing() -> None:
    script = Script((ListComments(5), ()), (ListIssues(LABEL, "all"), (issue(),)))

    assert script.run(publish(issues=(issue(),))) == QuarterlyOutcome(
        "unchanged", 5, issue().html_url, 0
    )


def test_a_tick_counts_in_the_progress_once_and_browser_line_ends_are_no_change() -> None:
    assert BODY.count("- [ ] ") == 1 and "**0 of 1 reviewed**" in BODY
    ticked = BODY.replace("- [ ] ", "- [x] ").replace("\n", "\r\n")
    counted = BODY.replace("- [ ] ", "- [x] ").replace("**0 of 1 reviewed**", "**1 of 1 reviewed**")
    script = Script(
        (ListComments(5), ()),
        (UpdateIssue(5, body=counted), issue(body=counted)),
        (ListIssues(LABEL, "all"), (issue(body=counted),)),
    )

    assert script.run(publish(issues=(issue(body=ticked),))).writes == 1

    edited = counted.replace("\n", "\r\n")
    script = Script((ListComments(5), ()), (ListIssues(LABEL, "all"), (issue(body=edited),)))
    outcome = script.run(publish(issues=(issue(body=edited),)))
    assert (outcome.action, outcome.writes) == ("unchanged", 0)


def test_a_changed_plan_rewrites_the_body_and_adds_a_missing_label() -> None:
    plan = PLAN._replace(labels=(LABEL, "docs"))
    old = issue(body=BODY.replace("computed at", "worked out at"))
    script = Script(
        (ListComments(5), ()),
        (UpdateIssue(5, body=BODY), issue()),
        (AddLabels(5, ("docs",)), None),
        (ListIssues(LABEL, "all"), (issue(),)),
    )

    assert script.run(publish(plan, (old,))) == QuarterlyOutcome("updated", 5, old.html_url, 2)


def test_a_shrunk_body_retires_its_continuation_comment() -> None:
    script = Script(
        (ListComments(5), (note(LONG_PART),)),
        (UpdateIssue(5, body=BODY), issue()),
        (UpdateComment(900, UNUSED_PART), note(UNUSED_PART)),
        (ListIssues(LABEL, "all"), (issue(),)),
    )

    outcome = script.run(publish(issues=(issue(body=LONG_BODY),)))

    assert (outcome.action, outcome.writes) == ("updated", 2)


def test_a_closed_issue_is_left_alone() -> None:
    closed = issue(state="closed")
    script = Script((ListIssues(LABEL, "all"), (closed,)))

    assert script.run(publish(issues=(closed,))) == QuarterlyOutcome(
        "closed", 5, closed.html_url, 0
    )


def test_a_duplicate_is_closed_and_its_marker_rewritten() -> None:
    twin = issue(6)
    rewritten = markers.replace_issue_marker(
        BODY, markers.QUARTERLY_DUPLICATE.format(quarter="2025-Q2", number=5)
    )
    script = Script(
        (CreateComment(6, DUPLICATE_COMMENT.format(number=5)), note("")),
        (UpdateIssue(6, body=rewritten, state="closed", state_reason="duplicate"), twin),
        (ListComments(5), ()),
        (ListIssues(LABEL, "all"), (issue(), twin)),
    )

    outcome = script.run(publish(issues=(twin, issue())))

    assert (outcome.action, outcome.number, outcome.writes) == ("unchanged", 5, 2)
    assert markers.issue_marker(rewritten) is None  # found by no later run


# --- earlier quarters ------------------------------------------------------------------------

SUPERSEDED = markers.SUPERSEDED.format(quarter="2025-Q2")
Q1_ISSUE = issue(3, markers.QUARTERLY_ISSUE.format(quarter="2025-Q1", sha="c" * 40) + "\nOld.")


@pytest.mark.parametrize(
    ("comments", "said"),
    [
        ((), True),
        ((note(f"{SUPERSEDED}\nby another hand", author="mallory"),), True),
        ((note(f"{SUPERSEDED}\nSuperseded."),), False),  # said by an earlier, cut-short run
    ],
    ids=["first-time", "marker-by-someone-else", "already-said"],
)
def test_an_earlier_quarters_issue_is_closed_with_a_link(comments, said: bool) -> None:
    text = SUPERSEDED_COMMENT.format(marker=SUPERSEDED, quarter="2025-Q2", number=5)
    script = Script(
        (ListComments(5), ()),
        (ListIssues(LABEL, "all"), (Q1_ISSUE, issue())),
        (ListComments(3), comments),
        *([(CreateComment(3, text), note(text))] if said else []),
        (UpdateIssue(3, state="closed", state_reason="completed"), Q1_ISSUE),
    )

    outcome = script.run(publish(issues=(Q1_ISSUE, issue())))

    assert (outcome.action, outcome.closed, outcome.writes) == ("unchanged", (3,), 1 + said)


def test_closed_earlier_issues_and_close_previous_false_touch_nothing() -> None:
    closed_q1 = replace(Q1_ISSUE, state="closed")
    script = Script((ListComments(5), ()), (ListIssues(LABEL, "all"), (closed_q1, issue())))
    assert script.run(publish(issues=(issue(),))).closed == ()

    script = Script((ListComments(5), ()))
    outcome = script.run(publish(issues=(Q1_ISSUE, issue()), close_previous=False))
    assert (outcome.action, outcome.closed) == ("unchanged", ())
