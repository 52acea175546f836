"""The `tierbot` command line: one sub-command per job, heavy imports only where needed."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import __version__
from bot.config import CONFIG_PATH, Config, load_config
from bot.errors import TierbotError, UsageError
from bot.rules import Policy, load_policy

log = logging.getLogger("tierbot")


def load_settings(
    config_file: str | None, rules_file: str | None, root: Path = Path(".")
) -> tuple[Config, Policy]:
    """The config (explicit file, else the repository's if any) and its policy."""
    if config_file:
        config_path = Path(config_file)
        if not config_path.is_file():
            raise UsageError(f"{config_path}: no such config file")
        # Paths inside the config are relative to the repository that holds `.github/`.
        if config_path.parent.name == ".github":
            root = config_path.parent.parent
    else:
        config_path = root / CONFIG_PATH
        config_path = config_path if config_path.is_file() else None
    config = load_config(config_path)
    rules_path = Path(rules_file) if rules_file else (root / config.rules if config.rules else None)
    return config, load_policy(rules_path).with_severities(config.severity)


def cmd_check(args: argparse.Namespace) -> int:
    from bot import report
    from bot.check import check_paths, collect

    config, policy = load_settings(args.config, args.rules)
    paths = collect(args.paths or ["."], config)
    reports = check_paths(paths, policy)
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
    return 1 if any(r.count("error") for r in reports) else 0


def _lazy(target: str) -> Callable[[argparse.Namespace], int]:
    """A handler imported only when its sub-command runs (keeps `check` light)."""

    def handler(args: argparse.Namespace) -> int:
        import importlib

        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module), name)(args)

    return handler


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tierbot", description="Review pattern pages against their excellence-tier rules."
    )
    parser.add_argument("--version", action="version", version=f"tierbot {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="check pattern pages (offline, fast)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    check.add_argument("--config", help=f"config file (default: {CONFIG_PATH} if present)")
    check.add_argument("--rules", help="rules file (default: the config's, else bundled)")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    check.set_defaults(handler=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="tierbot: %(levelname)s: %(message)s",
    )
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"tierbot: error: {error}", file=sys.stderr)
        return 2
    except TierbotError as error:
        print(f"tierbot: {error}", file=sys.stderr)
        return 1
