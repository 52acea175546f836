"""`fail-on` decided once (bot/core/failing.py), for a review, a check and the Action's check."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.core.failing import CHECK_FAIL_ON, FAIL_ON, as_new, failing, judged_states
from bot.core.rules.evaluate import Finding, PageReport

#: A review's counts by (state, severity): one new warning, two existing errors, fixed ones.
REVIEWED = Counter({("new", "warning"): 1, ("existing", "error"): 2, ("fixed", "error"): 5})


@pytest.mark.parametrize(
    ("fail_on", "failed"),
    [("new-errors", 0), ("errors", 2), ("warnings", 3), ("never", 0)],
)
def test_a_review_fails_on_what_fail_on_counts_and_never_on_fixed(fail_on, failed) -> None:
    assert failing(fail_on, REVIEWED) == failed
    assert failing(fail_on, REVIEWED + Counter({("new", "error"): 1})) == failed + (
        fail_on != "never"
    )


def finding(severity: str) -> Finding:
    return Finding("r", severity, "m", 1, None, "c")


@pytest.mark.parametrize(
    ("fail_on", "failed"),
    [("new-errors", 1), ("errors", 1), ("warnings", 3), ("never", 0)],
)
def test_a_check_counts_every_finding_new(fail_on: str, failed: int) -> None:
    reports = [
        PageReport("a.md", "gold", (finding("error"), finding("warning"))),
        PageReport("b.md", None, (finding("warning"), finding("notice"))),
    ]
    assert failing(fail_on, as_new(reports)) == failed


def test_check_offers_every_value_but_new_errors_and_a_review_annotates_what_it_judges():
    assert set(FAIL_ON) - set(CHECK_FAIL_ON) == {"new-errors"}
    assert [judged_states(value) for value in FAIL_ON] == [
        ("new",),
        ("new", "existing"),
        ("new", "existing"),
        ("new",),
    ]
