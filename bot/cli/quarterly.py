"""`tierbot quarterly`: read the library, plan this quarter's review issue, publish or print it."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from bot.adapters.git import library_source
from bot.cli.dates import given_date
from bot.core.quarterly.body import preview
from bot.core.quarterly.export import plan_json
from bot.core.quarterly.facts import parse_quarter, quarter_of
from bot.core.quarterly.model import Plan, Quarter
from bot.errors import TierbotError, UsageError
from bot.jobs.quarterly.gather import QuarterlyRequest, quarterly_job
from bot.jobs.quarterly.library import library_at
from bot.jobs.quarterly.publish import QuarterlyOutcome
from bot.port.drive import Recorder, dry, dry_async, run_async
from bot.port.drive import run as drive
from bot.port.forge import ACTIONS_LOGIN, AsyncForge, Forge
from bot.port.operations import (
    CommitAsOf,
    LastCommitDates,
    ListComments,
    ListIssues,
    ListPulls,
    Operation,
    describe_operation,
)

log = logging.getLogger(__name__)

NEEDS_GITHUB = (
    "publishing needs the repository (--github OWNER/REPO or GITHUB_REPOSITORY) and a token "
    "(GITHUB_TOKEN); with --dry-run the issue is printed without them"
)
OFFLINE_NOTE = (
    "(No GitHub repository or token: nothing was read from GitHub, so this is the issue as a "
    "first run would create it.)"
)
APP_ONLY = (
    "--app reads every repository of every installation through the API: drop --github and --since"
)
NOT_ENABLED = "`quarterly: {enabled: true}` is not set in its .github/tierbot.yml"


class OfflineForge:
    """No GitHub at all: answers as a repository with no quarterly issue yet would."""

    login = ACTIONS_LOGIN

    def execute(self, op: Operation[Any]) -> Any:
        if isinstance(op, ListIssues | ListComments | ListPulls):  # nor a quarter's pull request
            return ()
        if isinstance(op, LastCommitDates):  # what the checkout could not date stays undated
            return dict.fromkeys(op.paths)
        if isinstance(op, CommitAsOf):  # history the checkout does not hold stays unknown
            return None
        raise UsageError(f"{type(op).__name__} needs GitHub: {NEEDS_GITHUB}")


def run_quarterly(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    """`tierbot quarterly`: exit 0 once the issue is published (or printed)."""
    env = os.environ if env is None else env
    today = given_date(args.date)
    quarter = parse_quarter(args.quarter) if args.quarter else quarter_of(today)
    if args.app:
        return run_app(args, env, QuarterlyTime(quarter, today))
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
        since=args.since,
    )
    plan, outcome = drive(quarterly_job(request, library), execute)
    if args.format == "json":
        made = {
            "published": {"action": outcome.action, "url": outcome.url, "writes": outcome.writes}
        }
        done = {"writes": [describe_operation(op) for op in recorder.writes]}
        print(json.dumps({**plan_json(plan), **(done if args.dry_run else made)}, indent=2))
    elif args.dry_run:
        print("\n".join([*preview(plan, OFFLINE_NOTE if offline else None), *recorder.report()]))
    else:
        print(published(plan, outcome))
    return 0


def published(plan: Plan, outcome: QuarterlyOutcome) -> str:
    """The line saying what a run published."""
    return f"{plan.title}: {outcome.action} {outcome.url or ''} ({outcome.writes} write(s))"


class QuarterlyTime(NamedTuple):
    quarter: Quarter
    today: date


def run_app(args: argparse.Namespace, env: Mapping[str, str], when: QuarterlyTime) -> int:
    """`tierbot quarterly --app`: every repository of every installation of the App.

    Exit 1 when one of them failed; the others are published all the same.
    """
    if args.github or args.since:
        raise UsageError(APP_ONLY)
    from bot.cli.serve import require_app_extra

    require_app_extra("`tierbot quarterly --app`")
    return asyncio.run(_every_repository(args, env, when))


async def _every_repository(
    args: argparse.Namespace, env: Mapping[str, str], when: QuarterlyTime
) -> int:
    import aiohttp

    from bot.adapters.github_app import GitHubApp

    failed = 0
    async with aiohttp.ClientSession() as session:
        app = GitHubApp.from_env(env, session)
        for installation in await app.installations():
            for repository in await app.repositories(installation.id):
                try:
                    forge = await app.forge(installation.id, repository)
                    print(await _one_repository(forge, repository, args, env, when))
                except TierbotError as error:
                    log.error("%s: %s", repository, error)
                    print(f"{repository}: failed: {error}")
                    failed += 1
    return 1 if failed else 0


async def _one_repository(
    forge: AsyncForge,
    repository: str,
    args: argparse.Namespace,
    env: Mapping[str, str],
    when: QuarterlyTime,
) -> str:
    """Publish ``repository``'s quarterly issue, or only log it: a line saying which."""
    library = await run_async(library_at("HEAD", repository), forge.execute)
    publish = library.config.quarterly.enabled and not args.dry_run
    recorder = Recorder()
    execute = forge.execute if publish else dry_async(forge.execute, recorder)
    server = env.get("GITHUB_SERVER_URL") or "https://github.com"
    request = QuarterlyRequest(when.quarter, when.today, forge.login, server, repository)
    plan, outcome = await run_async(quarterly_job(request, library), execute)
    if publish:
        return f"{repository}: {published(plan, outcome)}"
    for line in [*preview(plan, None), *recorder.report()]:
        log.info("%s: %s", repository, line)
    reason = "--dry-run" if args.dry_run else NOT_ENABLED
    return f"{repository}: dry run ({reason}): {len(recorder.writes)} write(s) not made"
