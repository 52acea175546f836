"""`tierbot fix`: apply the rules' safe fixes to the pattern pages, then check them again.

Like `check`, nothing on this path imports a network library, nor the port but with
``--since`` (which reads git through its adapter).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.adapters.files import (
    check_paths,
    collect,
    display_path,
    load_settings,
    read_page,
    write_page,
)
from bot.core.config import Config
from bot.core.failing import CHECK_DEFAULT, as_new, failing
from bot.core.rules.formats.text import as_text
from bot.core.rules.repair import RepairedPage, repair_page, unified_diff
from bot.core.rules.report import plural
from bot.errors import UsageError


def run_fix(args: argparse.Namespace) -> int:
    settings = load_settings(args.config, args.rules)
    found = _pages(args, settings.config)
    # The pages `check` reads: not those that declare another `type` or are redirects.
    skipped = {skip.path for skip in check_paths(found, settings).skipped}
    paths = [path for path in found if display_path(path) not in skipped]
    dry = args.check or args.diff
    # With --diff, stdout is the diff alone (for `git apply`); the rest goes to stderr.
    say = sys.stderr if args.diff else sys.stdout
    changed = fixes = unwritten = 0
    for path in paths:
        shown = display_path(path)
        try:
            page = repair_page(shown, read_page(path), settings.policy)
        except OSError as error:
            print(f"{shown}: left untouched: cannot read it: {error.strerror or error}", file=say)
            continue
        if page.problem:
            print(f"{shown}: left untouched: {page.problem}", file=say)
        if not page.changed:
            continue
        _list(page, dry, say)
        if args.diff:
            print(unified_diff(page), end="")
        elif not dry:
            try:
                write_page(path, page.after)
            except OSError as error:
                print(f"{shown}: not written: {error.strerror or error}", file=say)
                unwritten += 1
                continue
        changed += 1
        fixes += len(page.done)
    verb = "would fix" if dry else "fixed"
    print(
        f"{verb} {plural(fixes, 'problem')} in {changed} of {plural(len(paths), 'page')}", file=say
    )
    if dry:
        return 1 if args.check and changed else 0
    reports = check_paths(paths, settings).reports
    print(as_text(reports, [], sys.stdout.isatty()))
    return 1 if unwritten or failing(CHECK_DEFAULT, as_new(reports)) else 0


def _pages(args: argparse.Namespace, config: Config) -> list[Path]:
    """The files named, the pattern pages under the directories named, or (``--since``) those
    the branch changed."""
    if args.since is None:
        return collect(args.paths or ["."], config)[0]
    if args.paths:
        raise UsageError("--since takes the pages from git: name no PATH with it")
    from bot.adapters.branch import changed_since  # git only when asked

    top, changed = changed_since(Path.cwd(), args.since, config)
    return [top / path for path in changed]


def _list(page: RepairedPage, dry: bool, out: TextIO) -> None:
    print(f"{page.path}: {'would fix' if dry else 'fixed'}:", file=out)
    for summary in page.done:
        print(f"  {summary}", file=out)
