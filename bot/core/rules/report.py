"""Render `tierbot check` results: text, statistics, JSON, workflow-command annotations, SARIF."""

from __future__ import annotations

import json
import shlex
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from bot import __version__
from bot.core.rules.evaluate import Finding, PageReport
from bot.core.rules.policy import SEVERITIES, Policy
from bot.core.selection import EXCLUDE, REDIRECT, TYPE, Skipped
from bot.core.tiers import TIERS

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET = "\033[0m"
_ANNOTATION_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
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
    """``1 page``, ``2 pages``."""
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


def as_json(
    reports: Sequence[PageReport], skipped: Sequence[Skipped] = (), minimum: str = LOWEST
) -> str:
    files = [
        {
            "path": report.path,
            "tier": report.tier,
            "findings": [finding_json(finding) for finding in shown(report.findings, minimum)],
        }
        for report in reports
    ]
    document = {
        "version": 1,
        "files": files,
        "skipped": [skip._asdict() for skip in skipped],
        "summary": summary(reports),
    }
    return json.dumps(document, indent=2)


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


def statistics_json(
    reports: Sequence[PageReport],
    skipped: Sequence[Skipped],
    policy: Policy,
    minimum: str = LOWEST,
) -> str:
    data = {
        "version": 1,
        "statistics": statistics(reports, policy, minimum),
        "skipped": skip_counts(skipped),
        "summary": summary(reports),
    }
    return json.dumps(data, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding) -> str:
    """One workflow command, e.g. ``::error file=a.md,line=3,title=tier-missing::...``."""
    properties = [f"file={_escape_property(path)}"]
    if finding.line:
        properties.append(f"line={finding.line}")
    properties.append(f"title={_escape_property(finding.rule)}")
    level = _ANNOTATION_LEVEL[finding.severity]
    return f"::{level} {','.join(properties)}::{_escape_data(finding.message)}"


def as_annotations(reports: Iterable[PageReport], minimum: str = LOWEST) -> str:
    return "\n".join(
        annotation(report.path, finding)
        for report in reports
        for finding in shown(report.findings, minimum)
    )


def as_sarif(reports: Sequence[PageReport], policy: Policy, minimum: str = LOWEST) -> str:
    rules = [
        {
            "id": rule.id,
            "name": "".join(part.title() for part in rule.id.split("-")),
            "shortDescription": {"text": rule.description or rule.message},
            "fullDescription": {"text": rule.checklist},
            "help": {"text": rule.checklist},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        }
        for rule in policy.rules
    ]
    index = {rule.id: position for position, rule in enumerate(policy.rules)}
    results = []
    for report in reports:
        for finding in shown(report.findings, minimum):
            location: dict[str, Any] = {"artifactLocation": {"uri": report.path}}
            if finding.line:
                location["region"] = {"startLine": finding.line}
            result: dict[str, Any] = {
                "ruleId": finding.rule,
                "level": _SARIF_LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": location}],
            }
            if finding.rule in index:
                result["ruleIndex"] = index[finding.rule]
            if finding.spelling:  # the hyphenated key the page has for the rule's field
                result["properties"] = {"spelling": finding.spelling}
            results.append(result)
    driver = {
        "name": "tierbot",
        "version": __version__,
        "rules": rules,
    }
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(sarif, indent=2)
