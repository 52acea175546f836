"""A quarterly issue whose boxes people tick, and the quarter's branch and pull request read
back from the fake GitHub: what the App's and the Action's tick tests share."""

from __future__ import annotations

from bot.core.markers import ITEM, QUARTERLY_ISSUE
from bot.core.quarterly.model import page_key

from .fake_github import FakeGitHub

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


def body(ticked: set[str]) -> str:
    """The 2026-Q4 issue with the boxes of ``ticked`` pages ticked."""
    lines = [QUARTERLY_ISSUE.format(quarter="2026-Q4", sha="a" * 40), "## review", ""]
    for path in PAGES:
        mark = "x" if path in ticked else " "
        lines.append(f"- [{mark}] `{path}` {ITEM.format(key=page_key(path))}")
    return "\n".join(lines) + "\n"


def seed(state: FakeGitHub, repo: str, author: str) -> int:
    """The pages on main, a writer, a maintainer and a reader, and the issue by ``author``."""
    state.add_commit(repo, dict(PAGES), branch="main")
    for login, role in ROLES:
        state.add_collaborator(repo, login, role)
    return state.add_issue(repo, "Pattern review 2026-Q4", body(set()), user=author, labels=[LABEL])


def branch_commits(state: FakeGitHub, repo: str) -> list[tuple[str, str]]:
    """(message, changed page) of each commit the quarter's branch has over main, oldest
    first; none while the branch is not on main."""
    record = state.repo(repo)
    sha, found = record.branches.get(BRANCH), []
    while sha is not None and sha != record.branches["main"]:
        parent = record.parents[sha]
        if parent is None:
            return []
        files, before = record.commits[sha], record.commits[parent]
        changed = [p for p in files if files[p] != before.get(p)]
        found.append((record.messages[sha], changed[0]))
        sha = parent
    return found[::-1]


def open_pulls(state: FakeGitHub, repo: str) -> list[int]:
    return [n for n, i in state.repo(repo).issues.items() if i.pull and i.state == "open"]


def branch_files(state: FakeGitHub, repo: str) -> dict[str, bytes]:
    record = state.repo(repo)
    return record.commits[record.branches[BRANCH]]
