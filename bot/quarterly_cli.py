"""`tierbot quarterly` and the Action's schedule path: read the library, plan, publish or print."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot import port
from bot.errors import UsageError
from bot.port import ListComments, ListIssues, Operation, Recorder, describe, dry
from bot.quarterly import Plan
from bot.quarterly_facts import parse_quarter, quarter_of
from bot.quarterly_publish import Outcome
from bot.quarterly_source import Checkout, Remote, Request, quarterly_job

ACTIONS_LOGIN = "github-actions[bot]"
NEEDS_GITHUB = (
    "publishing needs the repository (--github OWNER/REPO or GITHUB_REPOSITORY) and a token "
    "(GITHUB_TOKEN); with --dry-run the issue is printed without them"
)
OFFLINE_NOTE = (
    "(No GitHub repository or token: nothing was read from GitHub, so this is the issue as a "
    "first run would create it.)"
)


def run(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    """`tierbot quarterly`: exit 0 once the issue is published (or printed)."""
    env = os.environ if env is None else env
    today = _date(args.date) if args.date else datetime.now(UTC).date()
    quarter = parse_quarter(args.quarter) if args.quarter else quarter_of(today)
    repository = args.github or env.get("GITHUB_REPOSITORY") or None
    token = env.get("GITHUB_TOKEN")
    source = Remote() if args.api else Checkout(Path(args.repo))
    recorder = Recorder()
    offline = not (repository and token)
    if offline and not (args.dry_run and not args.api):
        raise UsageError(NEEDS_GITHUB)
    if offline:
        execute: Callable[[Operation], Any] = dry(_offline, recorder)
        login = ACTIONS_LOGIN
    else:
        forge = _forge(token or "", repository or "", env)
        execute = dry(forge.execute, recorder) if args.dry_run else forge.execute
        login = forge.login
    request = Request(
        quarter,
        today,
        login,
        env.get("GITHUB_SERVER_URL") or "https://github.com",
        repository,
        offline,
    )
    plan, outcome = run_job(source, request, execute)
    if args.dry_run:
        print_dry_run(plan, recorder, offline)
    else:
        print(f"{plan.title}: {outcome.action} {outcome.url or ''} ({outcome.writes} write(s))")
    return 0


def run_in_action(
    workspace: Path,
    quarter: str | None,
    dry_run: bool,
    forge: Any,
    env: Mapping[str, str],
    write_outputs: Callable[[str | None, Mapping[str, str]], None],
) -> int:
    """The Action on `schedule` / `workflow_dispatch`: pages from the checkout, none via the API."""
    today = datetime.now(UTC).date()
    recorder = Recorder()
    request = Request(
        parse_quarter(quarter) if quarter else quarter_of(today),
        today,
        forge.login,
        env.get("GITHUB_SERVER_URL") or "https://github.com",
        env.get("GITHUB_REPOSITORY") or None,
    )
    execute = dry(forge.execute, recorder) if dry_run else forge.execute
    plan, outcome = run_job(Checkout(workspace, api_fallback=False), request, execute)
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(plan.body + "\n")
    if dry_run:
        print_dry_run(plan, recorder, offline=False)
    errors = sum(item.kind == "errors" for item in plan.items)
    write_outputs(
        env.get("GITHUB_OUTPUT"),
        {
            "conclusion": "success",
            "tiers": ",".join(t for t in ("gold", "silver", "bronze") if plan.counts.get(t)),
            "new-errors": "0",
            "errors": str(errors),
            "warnings": "0",
            "comment-url": "",
            "issue-url": outcome.url or "",
        },
    )
    print(f"tierbot: {plan.title}: {outcome.action} {outcome.url or ''}".rstrip())
    return 0


def run_job(
    source: Checkout | Remote, request: Request, execute: Callable[[Operation], Any]
) -> tuple[Plan, Outcome]:
    return port.run(quarterly_job(source, request), execute)


def print_dry_run(plan: Plan, recorder: Recorder, offline: bool) -> None:
    """The issue as it would read, then every write the run would have made."""
    print(f"Title: {plan.title}")
    print(f"Labels: {', '.join(plan.labels)}")
    print(f"Assignees: {', '.join(plan.assignees) or 'none'}")
    if offline:
        print(OFFLINE_NOTE)
    print()
    print(plan.body)
    print(f"Dry run: {len(recorder.writes)} write(s) not made:")
    for op in recorder.writes:
        print(f"  {describe(op)}")


def _offline(op: Operation) -> Any:
    """Reads answered as for a repository with no quarterly issue yet."""
    if isinstance(op, ListIssues | ListComments):
        return ()
    raise UsageError(f"{type(op).__name__} needs GitHub: {NEEDS_GITHUB}")


def _forge(token: str, repository: str, env: Mapping[str, str]) -> Any:
    from bot.adapters.pygithub import PyGithubForge

    return PyGithubForge(
        token,
        repository,
        api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
        graphql_url=env.get("GITHUB_GRAPHQL_URL") or None,
        login=env.get("TIERBOT_LOGIN") or ACTIONS_LOGIN,
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date: expected YYYY-MM-DD, got {text!r}") from None
