"""The fault matrix's totals (tests/jobs/test_fault_matrix.py), printed after the session."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fault_matrix: a case of the fault matrix")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    totals: Counter[tuple[str, str]] = Counter()
    for outcome, reports in terminalreporter.stats.items():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "fault_matrix":
                    totals[value, outcome] += 1
    if not totals:
        return
    cases = sum(totals.values())
    passed = {kind: totals[kind, "passed"] for kind in ("done", "stop")}
    failed = cases - sum(passed.values())
    terminalreporter.write_line(
        f"fault matrix: {cases} cases: {passed['done']} completed with a fault-free run's "
        f"writes, {passed['stop']} stopped naming the operation (a rerun then completed); "
        f"{failed} failed"
    )
