"""What an output format of `tierbot check` is given, and what it is: its renderers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from bot.core.rules.evaluate import PageReport
from bot.core.rules.policy import Policy
from bot.core.rules.report import LOWEST
from bot.core.selection import Skipped


class CheckResults(NamedTuple):
    """One run of `tierbot check`: what it found and skipped, and how to show it."""

    reports: Sequence[PageReport]
    skipped: Sequence[Skipped]
    policy: Policy
    minimum: str = LOWEST  # the lowest severity shown (``--severity``)
    hint: str = ""  # the `tierbot fix` command for the findings that carry a fix, if any
    colour: bool = False  # a terminal: severities in colour, where a format has colour


class OutputFormat(NamedTuple):
    """A ``--format``: its name, its rendering, and its ``--statistics`` rendering, if any."""

    name: str
    render: Callable[[CheckResults], str]
    statistics: Callable[[CheckResults], str] | None = None
