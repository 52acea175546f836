"""The `sarif` format: SARIF 2.1.0, a result per finding and every rule, for code scanning."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot import __version__
from bot.core.rules.evaluate import PageReport
from bot.core.rules.formats.model import OutputFormat
from bot.core.rules.policy import Policy
from bot.core.rules.report import LOWEST, shown

_SARIF_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


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


FORMAT = OutputFormat("sarif", lambda found: as_sarif(found.reports, found.policy, found.minimum))
