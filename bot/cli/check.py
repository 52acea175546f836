"""`tierbot check`: the pattern pages of the working tree against the rules, offline and fast.

Nothing on this path imports the port or a network library.
"""

from __future__ import annotations

import argparse
import sys

from bot.adapters.files import check_paths, collect, load_settings
from bot.core.rules import report
from bot.core.rules.evaluate import PageReport
from bot.errors import UsageError


def run_check(args: argparse.Namespace) -> int:
    if args.statistics and args.format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json")
    settings = load_settings(args.config, args.rules)
    paths, excluded = collect(args.paths or ["."], settings.config)
    checked = check_paths(paths, settings)
    skipped = sorted([*excluded, *checked.skipped], key=lambda skip: skip.path)
    reports, minimum = checked.reports, args.severity
    if args.statistics and args.format == "json":
        output = report.statistics_json(reports, skipped, settings.policy, minimum)
    elif args.statistics:
        output = report.as_statistics(
            reports, skipped, settings.policy, minimum, _hint(args, reports)
        )
    elif args.format == "json":
        output = report.as_json(reports, skipped, minimum)
    elif args.format == "github":
        output = report.as_annotations(reports, minimum)
    elif args.format == "sarif":
        output = report.as_sarif(reports, settings.policy, minimum)
    else:
        hint = _hint(args, reports)
        output = report.as_text(reports, skipped, sys.stdout.isatty(), minimum, hint)
    if output:
        print(output)
    return 1 if any(r.tally("error") for r in reports) else 0


def _hint(args: argparse.Namespace, reports: list[PageReport]) -> str:
    """The `tierbot fix` command for the findings that carry a fix, with check's settings."""
    options = [
        f"--{name}={value}" for name in ("config", "rules") if (value := getattr(args, name))
    ]
    return report.fix_hint(reports, args.paths, options)
