"""The `tierbot` command line: one sub-command per module, each imported only when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bot import __version__
from bot.core.config import CONFIG_PATH
from bot.core.failing import CHECK_DEFAULT, CHECK_FAIL_ON
from bot.core.rules.formats import FORMATS
from bot.core.tiers import TIERS
from bot.errors import TierbotError, UsageError


def _lazy(target: str) -> Callable[[argparse.Namespace], int]:
    """A handler named ``module:function``, imported only when its sub-command runs.

    `check` stays light this way, and the entry points (this CLI, ``bot.action``) stay
    independent packages: the parser names a command's module as a console script would.
    """

    def handler(args: argparse.Namespace) -> int:
        module, _, name = target.partition(":")
        run: Callable[[argparse.Namespace], int] = getattr(
            __import__(module, fromlist=[name]), name
        )
        return run(args)

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
    check.add_argument("--format", choices=tuple(FORMATS), default="text")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument(
        "--fail-on",
        choices=CHECK_FAIL_ON,
        default=CHECK_DEFAULT,
        help="exit 1 on errors (the default), on errors or warnings, or never",
    )
    check.add_argument(
        "--severity",
        choices=("error", "warning", "notice"),
        default="notice",
        help="show findings of at least this severity (default: notice, all)",
    )
    check.set_defaults(handler=_lazy("bot.cli.check:run_check"))

    fix = commands.add_parser("fix", help="apply the rules' safe fixes to pattern pages (offline)")
    fix.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    fix.add_argument("--config", help=f"config file (default: {CONFIG_PATH} if present)")
    fix.add_argument("--rules", help="rules file (default: the config's, else bundled)")
    fix.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a page would change"
    )
    fix.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    fix.add_argument(
        "--since",
        metavar="REV",
        help="the pattern pages changed since the branch left REV (e.g. origin/main), "
        "committed or not",
    )
    fix.set_defaults(handler=_lazy("bot.cli.fix:run_fix"))

    review = commands.add_parser("review", help="review a local git range (offline)")
    review.add_argument("--repo", default=".", help="the git checkout (default: .)")
    review.add_argument("--base", required=True, help="the base ref (config and rules read here)")
    review.add_argument("--head", default="HEAD", help="the head ref (default: HEAD)")
    review.add_argument("--format", choices=("markdown", "json"), default="markdown")
    review.add_argument(
        "--full", action="store_true", help="every page of every problem, not the PR comment"
    )
    review.set_defaults(handler=_lazy("bot.cli.review:run_review"))

    pr = commands.add_parser("pr", help="review a live pull request (GITHUB_TOKEN)")
    pr.add_argument("pull_request", metavar="OWNER/REPO#N")
    pr.add_argument(
        "--dry-run", action="store_true", help="print what would be done; write nothing"
    )
    pr.add_argument("--format", choices=("markdown", "json"), default="markdown")
    pr.add_argument("--login", help="the account tierbot posts as (default: github-actions[bot])")
    pr.add_argument("--check-run", action="store_true", help="also report as a check run")
    pr.add_argument(
        "--no-status", action="store_true", help="set no `tierbot` commit status on the head"
    )
    pr.add_argument(
        "--no-suggestions",
        action="store_true",
        help="post no review of one-click suggestions for the safe fixes",
    )
    pr.set_defaults(handler=_lazy("bot.cli.review:run_pr"))

    quarterly = commands.add_parser(
        "quarterly", help="open or update this quarter's review issue (GITHUB_TOKEN)"
    )
    quarterly.add_argument(
        "--repo", default=".", help="the checkout whose pages are read (default: .)"
    )
    quarterly.add_argument(
        "--api", action="store_true", help="read the pages through the GitHub API, no checkout"
    )
    quarterly.add_argument(
        "--github", metavar="OWNER/REPO", help="where the issue is (default: GITHUB_REPOSITORY)"
    )
    quarterly.add_argument("--date", help="YYYY-MM-DD (default: today, UTC)")
    quarterly.add_argument("--quarter", help="e.g. 2026-Q4 (default: the date's quarter)")
    quarterly.add_argument(
        "--dry-run", action="store_true", help="print the issue and the writes; write nothing"
    )
    quarterly.add_argument(
        "--since", metavar="REF", help="compare with this git revision, not the last issue"
    )
    quarterly.add_argument("--format", choices=("markdown", "json"), default="markdown")
    quarterly.add_argument("--app", action="store_true", help="every App installation's repos")
    quarterly.set_defaults(handler=_lazy("bot.cli.quarterly:run_quarterly"))

    dashboard = commands.add_parser(
        "dashboard", help="the library's health as a Markdown page or JSON (offline by default)"
    )
    dashboard.add_argument(
        "--repo", default=".", help="the checkout whose pages are read (default: .)"
    )
    dashboard.add_argument("--output", metavar="FILE", help="write it here (default: print it)")
    dashboard.add_argument("--format", choices=("markdown", "json"), default="markdown")
    dashboard.add_argument("--date", help="YYYY-MM-DD (default: today, UTC)")
    dashboard.add_argument(
        "--github",
        nargs="?",
        const="",
        metavar="OWNER/REPO",
        help="look upstream projects up on GitHub (GITHUB_TOKEN; default: GITHUB_REPOSITORY)",
    )
    dashboard.set_defaults(handler=_lazy("bot.cli.dashboard:run_dashboard"))

    schema = commands.add_parser(
        "schema", help="the JSON Schema of the front matter the rules ask of a tier (offline)"
    )
    chosen = schema.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--tier", choices=TIERS, help="the tier's schema")
    chosen.add_argument(
        "--all", action="store_true", help="one schema for every tier (if/then on the tier)"
    )
    schema.add_argument("--format", choices=("yaml", "json"), default="yaml")
    schema.add_argument("--config", help=f"config file (default: {CONFIG_PATH} if present)")
    schema.add_argument("--rules", help="rules file (default: the config's, else bundled)")
    schema.set_defaults(handler=_lazy("bot.cli.schema:run_schema"))

    init = commands.add_parser("init", help="set up tierbot in a repository (config, workflow…)")
    init.add_argument("--repo", default=".", help="the repository's root (default: .)")
    init.add_argument("--force", action="store_true", help="replace files that exist")
    init.add_argument("--dry-run", action="store_true", help="say what would be written")
    init.add_argument("--config", help=f"config file (default: {CONFIG_PATH} if present)")
    init.add_argument("--rules", help="rules file (default: the config's, else bundled)")
    init.set_defaults(handler=_lazy("bot.cli.init:run_init"))

    new = commands.add_parser("new", help="write a new pattern page from its tier's template")
    new.add_argument("path", metavar="PATH", help="the page to write (never over a file)")
    new.add_argument("--tier", choices=TIERS, required=True)
    new.add_argument("--title", help="the page's title (default: from its file name)")
    new.add_argument("--date", help="last_reviewed (default: today, UTC)")
    new.add_argument("--config", help=f"config file (default: {CONFIG_PATH} if present)")
    new.add_argument("--rules", help="rules file (default: the config's, else bundled)")
    new.set_defaults(handler=_lazy("bot.cli.new:run_new"))

    serve = commands.add_parser(
        "serve", help="run the webhook GitHub App (TIERBOT_WEBHOOK_SECRET; tierbot[app])"
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument("--port", type=int, default=8080, help="the port to listen on")
    serve.set_defaults(handler=_lazy("bot.cli.serve:run_serve"))

    action = commands.add_parser("action", help="run as a GitHub Action step (reads GITHUB_*)")
    action.set_defaults(handler=_lazy("bot.action.run:run_action"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command not in ("check", "fix"):  # which log nothing: spare them the import
        import logging

        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING,
            format="tierbot: %(levelname)s: %(message)s",
        )
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UsageError as error:
        print(f"tierbot: error: {error}", file=sys.stderr)
        return 2
    except TierbotError as error:
        print(f"tierbot: {error}", file=sys.stderr)
        return 1
