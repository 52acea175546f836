"""The `json` format: the findings, the skipped files and the totals, for a program."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.core.rules.evaluate import PageReport
from bot.core.rules.formats.model import OutputFormat
from bot.core.rules.policy import Policy
from bot.core.rules.report import LOWEST, finding_json, shown, skip_counts, statistics, summary
from bot.core.selection import Skipped


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


FORMAT = OutputFormat(
    "json",
    lambda found: as_json(found.reports, found.skipped, found.minimum),
    lambda found: statistics_json(found.reports, found.skipped, found.policy, found.minimum),
)
