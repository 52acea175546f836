"""`tierbot quarterly`: read the library, plan this quarter's review issue, publish or print it."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.adapters.git import library_source
from bot.core.quarterly.body import preview
from bot.core.quarterly.facts import parse_quarter, quarter_of
from bot.errors import UsageError
from bot.jobs.quarterly.gather import QuarterlyRequest, quarterly_job
from bot.port.drive import Recorder, dry
from bot.port.drive import run as drive
from bot.port.forge import ACTIONS_LOGIN, Forge
from bot.port.operations import ListComments, ListIssues, Operation

NEEDS_GITHUB = (
    "publishing needs the repository (--github OWNER/REPO or GITHUB_REPOSITORY) and a token "
    "(GITHUB_TOKEN); with --dry-run the issue is printed without them"
)
OFFLINE_NOTE = (
    "(No GitHub repository or token: nothing was read from GitHub, so this is the issue as a "
    "first run would create it.)"
)


class OfflineForge:
    """No GitHub at all: answers as a repository with no quarterly issue yet would."""

    login = ACTIONS_LOGIN

    def execute(self, op: Operation) -> Any:
        if isinstance(op, ListIssues | ListComments):
            return ()
        raise UsageError(f"{type(op).__name__} needs GitHub: {NEEDS_GITHUB}")


def run(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    """`tierbot quarterly`: exit 0 once the issue is published (or printed)."""
    env = os.environ if env is None else env
    today = _date(args.date) if args.date else datetime.now(UTC).date()
    quarter = parse_quarter(args.quarter) if args.quarter else quarter_of(today)
    repository = args.github or env.get("GITHUB_REPOSITORY") or None
    token = env.get("GITHUB_TOKEN")
    offline = not (repository and token)
    if offline and not (args.dry_run and not args.api):
        raise UsageError(NEEDS_GITHUB)
    forge: Forge
    if offline:
        forge = OfflineForge()
    else:
        from bot.adapters.pygithub import forge_from_env  # PyGithub only when GitHub is asked

        forge = forge_from_env(env, token or "", repository or "")
    executor, library = (forge, None) if args.api else library_source(Path(args.repo), forge)
    recorder = Recorder()
    execute = dry(executor.execute, recorder) if args.dry_run else executor.execute
    request = QuarterlyRequest(
        quarter,
        today,
        forge.login,
        env.get("GITHUB_SERVER_URL") or "https://github.com",
        repository,
        offline,
    )
    plan, outcome = drive(quarterly_job(request, library), execute)
    if args.dry_run:
        print("\n".join([*preview(plan, OFFLINE_NOTE if offline else None), *recorder.report()]))
    else:
        print(f"{plan.title}: {outcome.action} {outcome.url or ''} ({outcome.writes} write(s))")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date: expected YYYY-MM-DD, got {text!r}") from None
