"""The `text` format: per page its findings and their fixes, then the totals; for a person."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.rules.evaluate import PageReport
from bot.core.rules.formats.model import OutputFormat
from bot.core.rules.policy import Policy
from bot.core.rules.report import LOWEST, shown, statistics, totals_lines
from bot.core.selection import Skipped

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET = "\033[0m"


def as_text(
    reports: Sequence[PageReport],
    skipped: Sequence[Skipped] = (),
    colour: bool = False,
    minimum: str = LOWEST,
    hint: str = "",
) -> str:
    """Per page with something to show: each finding, and the checklist line that fixes it;
    then the totals, and the ``hint`` (say, `fix_hint`) when there is one."""
    lines = []
    for report in reports:
        findings = shown(report.findings, minimum)
        if not findings:
            continue
        lines.append(f"{report.path} (tier: {report.tier or 'none'})")
        for finding in findings:
            severity = finding.severity
            if colour:
                severity = f"{_COLOURS[severity]}{severity}{_RESET}"
            where = f"  {finding.line or '-'}: "
            lines.append(f"{where}{severity} [{finding.rule}] {finding.message}")
            lines.append(f"{' ' * len(where)}fix: {finding.checklist}")
    return "\n".join([*lines, *totals_lines(reports, skipped, minimum, hint)])


def as_statistics(
    reports: Sequence[PageReport],
    skipped: Sequence[Skipped],
    policy: Policy,
    minimum: str = LOWEST,
    hint: str = "",
) -> str:
    """One line per rule, most frequent first, as ``ruff --statistics`` does, then the totals
    (and the ``hint``)."""
    rows = statistics(reports, policy, minimum)
    width = max((len(str(row["count"])) for row in rows), default=1)
    rule_width = max((len(row["rule"]) for row in rows), default=0)
    lines = [
        f"{row['count']:>{width}}  {row['severity']:<7}  {row['rule']:<{rule_width}}  "
        f"{row['description']}".rstrip()
        for row in rows
    ]
    return "\n".join([*lines, *totals_lines(reports, skipped, minimum, hint)])


FORMAT = OutputFormat(
    "text",
    lambda found: as_text(found.reports, found.skipped, found.colour, found.minimum, found.hint),
    lambda found: as_statistics(
        found.reports, found.skipped, found.policy, found.minimum, found.hint
    ),
)
