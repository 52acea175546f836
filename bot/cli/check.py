"""`tierbot check`: the pattern pages of the working tree against the rules, offline and fast.

Nothing on this path imports the port or a network library.
"""

from __future__ import annotations

import argparse
import sys

from bot.adapters.files import check_paths, collect, load_settings
from bot.core.rules import report


def run(args: argparse.Namespace) -> int:
    config, policy = load_settings(args.config, args.rules)
    reports = check_paths(collect(args.paths or ["."], config), policy)
    if args.format == "json":
        output = report.as_json(reports)
    elif args.format == "github":
        output = report.as_annotations(reports)
    elif args.format == "sarif":
        output = report.as_sarif(reports, policy)
    else:
        output = report.as_text(reports, colour=sys.stdout.isatty())
    if output:
        print(output)
    return 1 if any(r.tally("error") for r in reports) else 0
