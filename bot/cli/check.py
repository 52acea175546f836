"""`tierbot check`: the pattern pages of the working tree against the rules, offline and fast.

Nothing on this path imports the port or a network library.
"""

from __future__ import annotations

import argparse
import sys

from bot.adapters.files import check_paths, collect, load_settings
from bot.core.failing import as_new, failing
from bot.core.rules import report
from bot.core.rules.evaluate import PageReport
from bot.core.rules.formats import FORMATS
from bot.core.rules.formats.model import CheckResults
from bot.errors import UsageError


def run_check(args: argparse.Namespace) -> int:
    chosen = FORMATS[args.format]
    render = chosen.statistics if args.statistics else chosen.render
    if render is None:
        counted = " or ".join(name for name, found in FORMATS.items() if found.statistics)
        raise UsageError(f"--statistics works with --format {counted}")
    settings = load_settings(args.config, args.rules)
    paths, excluded = collect(args.paths or ["."], settings.config)
    checked = check_paths(paths, settings)
    skipped = sorted([*excluded, *checked.skipped], key=lambda skip: skip.path)
    reports = checked.reports
    hint, colour = _hint(args, reports), sys.stdout.isatty()
    output = render(CheckResults(reports, skipped, settings.policy, args.severity, hint, colour))
    if output:
        print(output)
    return 1 if failing(args.fail_on, as_new(reports)) else 0


def _hint(args: argparse.Namespace, reports: list[PageReport]) -> str:
    """The `tierbot fix` command for the findings that carry a fix, with check's settings."""
    options = [
        f"--{name}={value}" for name in ("config", "rules") if (value := getattr(args, name))
    ]
    return report.fix_hint(reports, args.paths, options)
