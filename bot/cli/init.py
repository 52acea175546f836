"""`tierbot init`: a repository set up for tierbot, never writing over a file that is there."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NamedTuple

from bot import __version__
from bot.adapters.files import load_settings, write_page
from bot.core.setup_files import (
    CONFIG_EXAMPLE,
    WORKFLOW_EXAMPLE,
    SetupFile,
    merge_block,
    setup_files,
)
from bot.resources import bundled_example

#: What is left to a person once the files are written.
NEXT_STEPS = """\
Next: commit them. The workflow needs no secret: each job's token has the permissions it declares.
The quarterly pull request needs "Allow GitHub Actions to create and approve pull requests"
(Settings > Actions > General)."""


class Applied(NamedTuple):
    line: str  # what was done, said in one line
    changed: bool  # the file was (or, in a dry run, would be) written


def run_init(args: argparse.Namespace) -> int:
    root = Path(args.repo)
    policy = load_settings(args.config, args.rules, root).policy
    examples = {name: bundled_example(name) for name in (CONFIG_EXAMPLE, WORKFLOW_EXAMPLE)}
    changed = False
    for wanted in setup_files(examples, policy, __version__):
        applied = _apply(root, wanted, force=args.force, dry_run=args.dry_run)
        print(applied.line)
        changed |= applied.changed
    if changed and not args.dry_run:
        print(NEXT_STEPS)
    return 0


def _apply(root: Path, wanted: SetupFile, *, force: bool, dry_run: bool) -> Applied:
    """Write one file as `init` may."""
    path = root / wanted.path
    existing = path.read_text(encoding="utf-8") if path.is_file() else None
    text = merge_block(existing, wanted.text) if wanted.merged else wanted.text
    if existing == text:
        return Applied(f"{wanted.path}: up to date", changed=False)
    if existing is not None and not wanted.merged and not force:
        return Applied(f"{wanted.path}: exists, left as it is (--force replaces it)", False)
    verb = "would write" if dry_run else "wrote"
    if existing is not None:
        verb = "would update" if dry_run else ("merged into" if wanted.merged else "replaced")
    if not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        if existing is None:
            path.write_text(text, encoding="utf-8")
        else:
            write_page(path, text.encode())
    return Applied(f"{wanted.path}: {verb}", changed=True)
