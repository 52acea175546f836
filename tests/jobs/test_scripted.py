"""The scripted executor itself: it fails the test on a wrong, an extra or a missing operation."""

from __future__ import annotations

import pytest
from support.scripted import Script, like, reply

from bot.errors import NotFound
from bot.port.operations import CreateComment, Job, ListComments, ListIssues

Failed = pytest.fail.Exception


def lister(*numbers: int) -> Job[list]:
    """A job listing the comments of each issue; a NotFound becomes None."""
    found = []
    for number in numbers:
        try:
            found.append((yield ListComments(number)))
        except NotFound:
            found.append(None)
    return found


def test_results_and_exceptions_are_answered_in_order() -> None:
    script = Script((ListComments(1), ("a",)), (ListComments(2), NotFound("gone")))

    assert script.run(lister(1, 2)) == [("a",), None]
    assert script.executed == [ListComments(1), ListComments(2)]


def test_an_operation_other_than_the_expected_one_fails_at_once() -> None:
    script = Script((ListComments(1), ()), (ListComments(3), ()))

    with pytest.raises(Failed, match=r"operation 2:\n  expected ListComments\(issue_number=3\)"):
        script.run(lister(1, 2))
    assert script.executed == [ListComments(1)]


def test_a_mismatch_names_the_field_and_where_a_text_parts() -> None:
    def job() -> Job[object]:
        return (yield CreateComment(7, "the long body, as posted"))

    with pytest.raises(
        Failed, match=r"field body differs from character 13: ' as sent' != ', as posted'"
    ):
        Script((CreateComment(7, "the long body as sent"), None)).run(job())


def test_an_operation_after_the_last_step_fails() -> None:
    with pytest.raises(Failed, match=r"operation 2 was not expected: ListComments\(issue_number=2"):
        Script((ListComments(1), ())).run(lister(1, 2))


def test_steps_left_over_fail() -> None:
    script = Script((ListComments(1), ()), (ListIssues("x"), ()))

    with pytest.raises(Failed, match=r"1 operation\(s\) never executed:\n  ListIssues\(label='x'"):
        script.run(lister(1))


def test_a_failure_cannot_be_swallowed_by_the_job() -> None:
    def greedy() -> Job[str]:
        try:
            yield ListComments(9)
        except Exception:
            return "swallowed"
        return "answered"

    with pytest.raises(Failed):
        Script((ListComments(1), ())).run(greedy())


def test_like_matches_some_fields_and_reply_answers_from_the_operation() -> None:
    def job() -> Job[str]:
        return (yield CreateComment(7, "a long body"))

    script = Script((like(CreateComment, issue_number=7), reply(lambda op: op.body.upper())))
    assert script.run(job()) == "A LONG BODY"

    with pytest.raises(Failed, match=r"expected like\(CreateComment, issue_number=8\)"):
        Script((like(CreateComment, issue_number=8), None)).run(job())
    with pytest.raises(AssertionError, match="no field 'number'"):
        like(CreateComment, number=7)


def test_a_reply_may_raise() -> None:
    def missing(op: ListComments) -> None:
        raise NotFound(f"no issue {op.issue_number}")

    assert Script((ListComments(4), reply(missing))).run(lister(4)) == [None]
