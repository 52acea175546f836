"""A quarterly issue whose boxes people tick, and the quarter's branch and pull request read
back from the fake GitHub: what the App's and the Action's tick tests share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from bot.core.markers import ITEM, QUARTERLY_ISSUE
from bot.core.quarterly.model import page_key

from .fake_github import FakeGitHub, FakeGitHubServer

LIB = "docs/pattern-library"
LABEL = "tierbot: quarterly-review"
BRANCH = "tierbot/quarterly-2026-Q4"
PAGES = {  # CRLF with a comment, a BOM with a flow mapping, a comment line
    f"{LIB}/a.md": "---\r\nexcellence_tier: gold\r\nlast_reviewed: 2024-01-01 # old\r\n"
    "---\r\nA\r\n",
    f"{LIB}/b.md": "\ufeff---\n{excellence_tier: silver, title: B}\n---\nB\n",
    f"{LIB}/c.md": "---\nexcellence_tier: bronze\n# keep me\n---\nC\n",
}
ROLES = [("ana", "write"), ("bo", "maintain"), ("rea", "read")]
DASHBOARD = "docs/reference/pattern-health-dashboard.md"
#: The settings that have the quarter's pull request carry the dashboard page.
DASHBOARD_CONFIG = {".github/tierbot.yml": f"quarterly:\n  dashboard: {DASHBOARD}\n"}


def body(ticked: set[str], pages: Iterable[str] = PAGES) -> str:
    """The 2026-Q4 issue listing ``pages``, the boxes of ``ticked`` ones ticked."""
    lines = [QUARTERLY_ISSUE.format(quarter="2026-Q4", sha="a" * 40), "## review", ""]
    for path in pages:
        mark = "x" if path in ticked else " "
        lines.append(f"- [{mark}] `{path}` {ITEM.format(key=page_key(path))}")
    return "\n".join(lines) + "\n"


def seed(state: FakeGitHub, repo: str, author: str, pages: Mapping[str, str] = PAGES) -> int:
    """The pages on main, a writer, a maintainer and a reader, and the issue by ``author``."""
    state.add_commit(repo, dict(pages), branch="main")
    for login, role in ROLES:
        state.add_collaborator(repo, login, role)
    issue = body(set(), pages)
    return state.add_issue(repo, "Pattern review 2026-Q4", issue, user=author, labels=[LABEL])


def anew(state: FakeGitHub, repo: str, number: int, files: dict[str, str]) -> None:
    """A new start: ``files`` committed on main, no box ticked, no branch, no pull open."""
    for pull in open_pulls(state, repo):
        state.issue(repo, pull).state = "closed"
    state.add_commit(repo, files, parent=state.repo(repo).branches.get("main"), branch="main")
    state.repo(repo).branches.pop(BRANCH, None)  # deleted on merge, as GitHub can
    state.issue(repo, number).body = body(set())


def branch_changes(state: FakeGitHub, repo: str) -> list[tuple[str, list[str]]]:
    """(message, changed files) of each commit the quarter's branch has over main, oldest
    first; none while the branch is not on main."""
    record = state.repo(repo)
    sha, found = record.branches.get(BRANCH), []
    while sha is not None and sha != record.branches["main"]:
        parent = record.parents[sha]
        if parent is None:
            return []
        files, before = record.commits[sha], record.commits[parent]
        found.append((record.messages[sha], sorted(p for p in files if files[p] != before.get(p))))
        sha = parent
    return found[::-1]


def branch_commits(state: FakeGitHub, repo: str) -> list[tuple[str, str]]:
    """(message, the page it sets `last_reviewed` on) of each commit of the quarter's branch."""
    return [
        (message, next(path for path in changed if path.startswith(LIB)))
        for message, changed in branch_changes(state, repo)
    ]


def dashboard_at(server: FakeGitHubServer, repo: str, sha: str, day: date) -> str:
    """The page `tierbot dashboard` counts on ``day`` at commit ``sha`` of ``repo``, read
    through the fake GitHub's API as a run of the command there would."""
    from bot.adapters.pygithub import PyGithubForge
    from bot.core.links import Links
    from bot.core.quarterly.dashboard import measure
    from bot.core.quarterly.dashboard_page import render_dashboard
    from bot.core.quarterly.facts import quarter_of
    from bot.jobs.quarterly.dashboard import DashboardRequest, dashboard_job
    from bot.jobs.quarterly.library import library_at
    from bot.port.drive import run

    forge = PyGithubForge(
        "ghs_test", repo, api_url=server.url, graphql_url=server.graphql_url, write_spacing=0
    )
    library = run(library_at(sha), forge.execute)
    facts = run(dashboard_job(DashboardRequest(quarter_of(day), day), library), forge.execute)
    return render_dashboard(facts, measure(facts), Links(repository=repo, ref=sha))


def open_pulls(state: FakeGitHub, repo: str) -> list[int]:
    return [n for n, i in state.repo(repo).issues.items() if i.pull and i.state == "open"]


def branch_files(state: FakeGitHub, repo: str) -> dict[str, bytes]:
    record = state.repo(repo)
    return record.commits[record.branches[BRANCH]]
