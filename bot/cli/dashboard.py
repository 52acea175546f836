"""`tierbot dashboard`: the library's health as a Markdown page for its site, or as JSON."""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from bot.adapters.git import is_checkout, library_source, remote_url
from bot.cli.dates import given_date
from bot.cli.quarterly import OfflineForge
from bot.core.links import Links, github_remote
from bot.core.quarterly.dashboard import dashboard_json, measure
from bot.core.quarterly.dashboard_page import render_dashboard
from bot.core.quarterly.facts import quarter_of
from bot.errors import UsageError
from bot.jobs.quarterly.dashboard import DashboardRequest, dashboard_job
from bot.port.drive import run as drive
from bot.port.forge import Forge

log = logging.getLogger(__name__)

NEEDS_REPOSITORY = (
    "--github looks upstream projects up on GitHub: name the repository (--github OWNER/REPO "
    "or GITHUB_REPOSITORY) and give a token (GITHUB_TOKEN)"
)


def run_dashboard(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    """`tierbot dashboard`: print the dashboard, or write it to ``--output`` when it changed."""
    env = os.environ if env is None else env
    today = given_date(args.date)
    root = Path(args.repo)
    forge: Forge = OfflineForge()
    links = _links_of(root)
    if args.github is not None:  # `--github` alone: the repository the environment names
        repository = args.github or env.get("GITHUB_REPOSITORY") or ""
        if not repository:
            raise UsageError(NEEDS_REPOSITORY)
        from bot.adapters.pygithub import forge_from_env  # PyGithub only when GitHub is asked

        forge = forge_from_env(env, env.get("GITHUB_TOKEN") or "", repository)
        links = Links(env.get("GITHUB_SERVER_URL") or "https://github.com", repository)
    executor, library = library_source(root, forge)
    request = DashboardRequest(quarter_of(today), today, look_up=args.github is not None)
    facts = drive(dashboard_job(request, library), executor.execute)
    measured = measure(facts)
    links = links._replace(ref=facts.sha or "HEAD")
    if args.format == "json":
        text = json.dumps(dashboard_json(facts, measured), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_dashboard(facts, measured, links)
    if args.output is None:
        print(text, end="")
    else:
        print(_written(Path(args.output), text))
    return 0


def _links_of(root: Path) -> Links:
    """Pages and commits linked on GitHub when the checkout's remote is there; else not."""
    remote = remote_url(root) if root.is_dir() and is_checkout(root) else None
    return github_remote(remote) if remote else Links()


def _written(path: Path, text: str) -> str:
    """Write ``text`` to ``path`` unless it says so already; the line saying which."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return f"{path}: up to date"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    log.info("wrote %s (%d characters)", path, len(text))
    return f"{path}: written"
