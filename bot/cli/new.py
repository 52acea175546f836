"""`tierbot new`: a new pattern page from its tier's template, never over an existing file."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.adapters.files import create_file, load_settings
from bot.cli.dates import given_date
from bot.core.rules.report import plural
from bot.core.rules.template import new_page
from bot.errors import UsageError


def run_new(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.exists():
        raise UsageError(f"{path} exists: tierbot new never overwrites a file")
    policy = load_settings(args.config, args.rules).policy
    title = args.title or path.stem.replace("-", " ").replace("_", " ").title()
    today = given_date(args.date)
    page = new_page(path.as_posix(), policy, args.tier, title, today)
    if not create_file(path, page.text.encode()):
        raise UsageError(f"{path} exists: tierbot new never overwrites a file")
    asks = plural(len(page.placeholders), "placeholder")
    print(f"wrote {path.as_posix()} ({args.tier}): {asks} to fill in")
    for ask in page.placeholders:
        print(f"  {ask.line}: {ask.field}: {ask.checklist}")
    return 0
