"""Render `tierbot check` results: text, JSON, workflow-command annotations and SARIF."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from bot import __version__
from bot.core.rules.evaluate import Finding, PageReport
from bot.core.rules.policy import Policy
from bot.core.tiers import TIERS

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET = "\033[0m"
_ANNOTATION_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def summary(reports: Sequence[PageReport]) -> dict[str, Any]:
    counts = Counter(finding.severity for report in reports for finding in report.findings)
    tiers = Counter(report.tier or "none" for report in reports)
    return {
        "files": len(reports),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "notices": counts["notice"],
        "tiers": {tier: tiers[tier] for tier in (*TIERS, "none")},
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "line": finding.line,
        "field": finding.field,
        "checklist": finding.checklist,
    }


def as_json(reports: Sequence[PageReport]) -> str:
    files = [
        {
            "path": report.path,
            "tier": report.tier,
            "findings": [finding_json(finding) for finding in report.findings],
        }
        for report in reports
    ]
    return json.dumps({"version": 1, "files": files, "summary": summary(reports)}, indent=2)


def as_text(reports: Sequence[PageReport], colour: bool = False) -> str:
    lines = []
    for report in reports:
        if not report.findings:
            continue
        lines.append(f"{report.path} (tier: {report.tier or 'none'})")
        for finding in report.findings:
            severity = finding.severity
            if colour:
                severity = f"{_COLOURS[severity]}{severity}{_RESET}"
            lines.append(f"  {finding.line or '-'}: {severity} [{finding.rule}] {finding.message}")
    totals = summary(reports)
    lines.append(
        f"{totals['files']} pages checked: {totals['errors']} errors, "
        f"{totals['warnings']} warnings, {totals['notices']} notices"
    )
    return "\n".join(lines)


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


def as_annotations(reports: Iterable[PageReport]) -> str:
    return "\n".join(
        annotation(report.path, finding) for report in reports for finding in report.findings
    )


def as_sarif(reports: Sequence[PageReport], policy: Policy) -> str:
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
        for finding in report.findings:
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
