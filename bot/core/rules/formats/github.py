"""The `github` format: a GitHub Actions workflow command per finding, an annotation in a run."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.rules.evaluate import Finding, PageReport
from bot.core.rules.formats.model import OutputFormat
from bot.core.rules.report import LOWEST, shown

_ANNOTATION_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}


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


FORMAT = OutputFormat("github", lambda found: as_annotations(found.reports, found.minimum))
