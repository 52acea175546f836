"""What `tierbot check`'s output formats share: totals, findings shown, skips, statistics."""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.rules.evaluate import Finding, PageReport
from bot.core.rules.policy import SEVERITIES, Policy
from bot.core.selection import EXCLUDE, REDIRECT, TYPE, Skipped
from bot.core.tiers import TIERS

#: The lowest severity: ``--severity notice``, the default, shows every finding.
LOWEST = SEVERITIES[-1]


def summary(reports: Sequence[PageReport]) -> dict[str, Any]:
    """Counts over every finding, whatever ``--severity`` shows."""
    counts = Counter(finding.severity for report in reports for finding in report.findings)
    tiers = Counter(report.tier or "none" for report in reports)
    return {
        "files": len(reports),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "notices": counts["notice"],
        "tiers": {tier: tiers[tier] for tier in (*TIERS, "none")},
    }


def shown(findings: Iterable[Finding], minimum: str = LOWEST) -> list[Finding]:
    """The findings of at least ``minimum`` severity, in line order (a page is read top down)."""
    rank = SEVERITIES.index
    return sorted(
        (f for f in findings if rank(f.severity) <= rank(minimum)),
        key=lambda f: (f.line or 0, rank(f.severity), f.rule),
    )


def plural(count: int, word: str) -> str:
    """``1 page``, ``2 pages``: every count tierbot writes for people, in every output."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "line": finding.line,
        "field": finding.field,
        "checklist": finding.checklist,
        "spelling": finding.spelling,
    }


def fix_hint(reports: Sequence[PageReport], given: Sequence[str], options: Sequence[str]) -> str:
    """``2 problems can be fixed with `tierbot fix docs` ``: how many findings carry a fix, and
    the command (its ``options``, then the paths ``given``, or the pages to fix when they are
    fewer); empty when none does."""
    count = sum(finding.fix is not None for report in reports for finding in report.findings)
    if not count:
        return ""
    pages = [report.path for report in reports if any(f.fix for f in report.findings)]
    paths = pages if given and len(pages) < len(given) else given
    command = shlex.join(["tierbot", "fix", *options, *paths])
    return f"{plural(count, 'problem')} can be fixed with `{command}`"


def totals_lines(
    reports: Sequence[PageReport],
    skipped: Sequence[Skipped],
    minimum: str = LOWEST,
    hint: str = "",
) -> list[str]:
    """The summary line, what ``--severity`` hides, the skipped files with their reasons, and
    the ``hint`` when there is one."""
    totals = summary(reports)
    line = (
        f"{plural(totals['files'], 'page')} checked: {plural(totals['errors'], 'error')}, "
        f"{plural(totals['warnings'], 'warning')}, {plural(totals['notices'], 'notice')}"
    )
    hidden = SEVERITIES[SEVERITIES.index(minimum) + 1 :]
    if hidden:
        names = " and ".join(f"{severity}s" for severity in hidden)
        line += f" ({names} not shown: --severity {minimum})"
    return [line, *([skipped_line(skipped)] if skipped else []), *([hint] if hint else [])]


def skipped_line(skipped: Sequence[Skipped]) -> str:
    """``15 skipped: type guide 2, exam 1; redirect redirect_to 1; exclude **/index.md 11``."""
    groups = [
        f"{reason} " + ", ".join(f"{detail} {count}" for detail, count in counts.items())
        for reason, counts in skip_counts(skipped).items()
    ]
    return f"{len(skipped)} skipped: " + "; ".join(groups)


def skip_counts(skipped: Sequence[Skipped]) -> dict[str, dict[str, int]]:
    """Skipped files per reason (types, redirects, globs), then per type, what redirects them
    (`redirect_to` or mkdocs.yml) or glob, most first."""
    counts: dict[str, dict[str, int]] = {}
    for reason in (TYPE, REDIRECT, EXCLUDE):
        found = Counter(skip.detail for skip in skipped if skip.reason == reason)
        if found:
            counts[reason] = dict(_most_first(found))
    return counts


def _most_first(counts: Counter[Any]) -> list[tuple[Any, int]]:
    """A counter's items, the largest count first, ties in key order."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def statistics(
    reports: Sequence[PageReport], policy: Policy, minimum: str = LOWEST
) -> list[dict[str, Any]]:
    """How many findings each rule has (of the ones shown), most first, then by rule id."""
    counts = Counter(
        (finding.rule, finding.severity)
        for report in reports
        for finding in shown(report.findings, minimum)
    )
    rows = []
    for (rule_id, severity), count in _most_first(counts):
        rule = policy.by_id(rule_id)
        description = (rule.description or rule.message) if rule else ""
        rows.append(
            {"rule": rule_id, "severity": severity, "count": count, "description": description}
        )
    return rows
