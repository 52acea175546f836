"""The `fail-on` setting, decided once: which findings fail a review, a check, the Action."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.rules.evaluate import PageReport

#: The values of `fail-on` in `.github/tierbot.yml` and in the Action's inputs.
FAIL_ON = ("new-errors", "errors", "warnings", "never")
#: What `tierbot check --fail-on` offers. A check has no base: every finding is new to it,
#: so `new-errors` would only say `errors` again.
CHECK_FAIL_ON = ("errors", "warnings", "never")
#: `tierbot check` and `tierbot fix` exit 1 on errors unless told otherwise.
CHECK_DEFAULT = "errors"

_AT_HEAD = ("new", "existing")
#: Per value: the states of the findings it judges, new first, and the severities that fail.
_JUDGED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "new-errors": (("new",), ("error",)),
    "errors": (_AT_HEAD, ("error",)),
    "warnings": (_AT_HEAD, ("error", "warning")),
    "never": (("new",), ()),
}


def judged_states(fail_on: str) -> tuple[str, ...]:
    """The states of the findings ``fail_on`` judges, new first: those a review annotates."""
    return _JUDGED[fail_on][0]


def failing(fail_on: str, counts: Mapping[tuple[str, str], int]) -> int:
    """How many findings fail under ``fail_on``, of ``counts`` by (state, severity)."""
    states, severities = _JUDGED[fail_on]
    return sum(counts.get((state, severity), 0) for state in states for severity in severities)


def as_new(reports: Iterable[PageReport]) -> Counter[tuple[str, str]]:
    """A check's counts by (state, severity): with no base to compare with, every finding is
    new, so `new-errors` fails on every error as `errors` does."""
    return Counter(("new", finding.severity) for report in reports for finding in report.findings)
