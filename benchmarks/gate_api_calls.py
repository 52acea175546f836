"""What the promotion gate adds to `tierbot pr`'s GitHub API requests, step by step.

One pull request promotes one page silver → gold under `promotions: {approvers: [lead,
acme/maintainers]}`, in the fake GitHub of the tests (real HTTP on 127.0.0.1); a twin in
another repository has the gate off. After each step (the same on both) `tierbot pr` runs
in-process on both, and the script prints the gated run's reads and writes and what it makes
beyond its twin's. The gate's expected cost on top of the review:

    reads   1 (reviews, one page) + 1 (the pull request again, for a head that moved)
          + 1 (the newest `tierbot/promotion` status; the ungated twin reads it too, to find
            one left from before, so the difference does not show it)
          + 1 a team per approving reviewer who is no approver by login (until one says active)
          + 1 a distinct commit an approver approved at, other than the head (a compare)
    writes  1 when the status says something new, else 0

    python benchmarks/gate_api_calls.py
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.fake_github import FakeGitHub, FakeGitHubServer  # noqa: E402
from support.promotions import BASE, CONFIG, CONFIG_PATH, HEAD, LEAD, OTHER, TEAM  # noqa: E402

from bot.cli.main import main  # noqa: E402

GATED, UNGATED = "acme/patterns", "acme/ungated"  # the same pull request, gate on and off


def run_pr(state: FakeGitHub, full_name: str, number: int) -> tuple[int, int]:
    """One `tierbot pr`: its reads and writes."""
    state.clear_log()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["pr", f"{full_name}#{number}"])
    return len(state.reads()), len(state.writes())


def seed(state: FakeGitHub, full_name: str, config: str) -> int:
    """The promotion's pull request in ``full_name``, its base config ``config``."""
    state.add_repo(full_name)
    base = state.add_commit(full_name, {**BASE, CONFIG_PATH: config}, branch="main")
    return state.add_pull(full_name, base, state.add_commit(full_name, dict(HEAD), parent=base))


def steps(state: FakeGitHub, full_name: str, number: int) -> dict[str, Callable[[], object]]:
    """What happens to the pull request before each run, by name."""
    pull = state.issue(full_name, number).pull
    assert pull is not None

    def push() -> None:
        pull.head_sha = state.add_commit(full_name, {OTHER: "# notes\n"}, parent=pull.head_sha)

    def approve(login: str) -> Callable[[], int]:
        return lambda: state.add_review(full_name, number, login, "APPROVED")

    return {
        "opened: pending": lambda: None,
        "rerun": lambda: None,
        "a stranger approves": approve("stranger"),
        "a team member approves": approve("ana"),
        "the approver by login approves": approve(LEAD),
        "a push beside the page": push,
    }


def main_() -> int:
    with FakeGitHubServer() as server:
        state = server.state
        os.environ.update(
            GITHUB_TOKEN="ghs_benchmark",
            GITHUB_API_URL=server.url,
            GITHUB_GRAPHQL_URL=server.graphql_url,
        )
        state.add_team_member(TEAM, "ana")
        gated, ungated = seed(state, GATED, CONFIG), seed(state, UNGATED, "promotions: {}\n")
        on, off = steps(state, GATED, gated), steps(state, UNGATED, ungated)
        print("| step | reads | writes | the gate's reads | the gate's writes |")
        print("|---|--:|--:|--:|--:|")
        for name in on:
            on[name](), off[name]()
            reads, writes = run_pr(state, GATED, gated)
            base_reads, base_writes = run_pr(state, UNGATED, ungated)
            print(
                f"| {name} | {reads} | {writes} | {reads - base_reads} | {writes - base_writes} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main_())
