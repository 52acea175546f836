"""What a ticked box of the quarterly issue costs in GitHub API requests, with and without
the dashboard page (`quarterly.dashboard`) the quarter's pull request refreshes.

The library is the shared corpus's pattern pages (`../shared/corpus` next to this repository,
or `--corpus DIR`) on the fake GitHub of the tests (tests/support/fake_github/, real HTTP on
127.0.0.1, `--delay` added to every answer, roughly a round trip to api.github.com). Its
history is one commit, so no earlier quarter is read: a library with a year of history adds
a tree listing and a page query for each of three earlier quarters, and a comparison.

For each setting the script runs the job the App and the Action share (`apply_box_edits`),
in-process: a first tick (the branch and the pull request are made), a second (a commit is
added), then the same edit again (a redelivery: it should write nothing). It prints the
reads and writes of each, and the wall time.

    python benchmarks/tick_requests.py [--corpus DIR] [--delay 0.03]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.fake_github import FakeGitHubServer  # noqa: E402
from support.quarterly_boxes import DASHBOARD_CONFIG, LABEL, anew, body, seed  # noqa: E402

from bot.adapters.pygithub import PyGithubForge  # noqa: E402
from bot.core.quarterly.model import page_key  # noqa: E402
from bot.core.quarterly.reviewed import BoxEdit, reviewer  # noqa: E402
from bot.jobs.quarterly.box_edits import apply_box_edits  # noqa: E402
from bot.port.drive import run  # noqa: E402
from bot.port.forge import ACTIONS_LOGIN  # noqa: E402

FULL_NAME = "acme/patterns"
CORPUS = REPO.parent / "shared" / "corpus" / "dstudio-9a0cc0b2"
LIBRARY = "docs/pattern-library"


def library(corpus: Path) -> dict[str, str]:
    """The corpus's pattern pages, by their path in the repository."""
    root = corpus / LIBRARY
    return {
        f"{LIBRARY}/{path.relative_to(root).as_posix()}": path.read_text("utf-8")
        for path in sorted(root.rglob("*.md"))
    }


def measure(pages: dict[str, str], dashboard: bool, delay: float) -> list[tuple[str, ...]]:
    """(step, reads, writes, seconds) of a first tick, a second, and a redelivery."""
    rows = []
    with FakeGitHubServer() as server:
        state = server.state
        state.add_repo(FULL_NAME)
        number = seed(state, FULL_NAME, ACTIONS_LOGIN, pages)
        if dashboard:
            anew(state, FULL_NAME, number, DASHBOARD_CONFIG)
        state.delay = delay
        forge = PyGithubForge(
            "ghs_test", FULL_NAME, api_url=server.url, graphql_url=server.graphql_url
        )
        first, second = [path for path, text in pages.items() if "excellence_tier:" in text][:2]
        steps = [
            ("first tick", {first}, first),
            ("second tick", {first, second}, second),
            ("again", {first, second}, second),  # the same edit delivered again
        ]
        for step, ticked, fresh in steps:
            state.issue(FULL_NAME, number).body = body(ticked, pages)
            edit = BoxEdit("ana", reviewer("ana", None), (page_key(fresh),))
            job = apply_box_edits(number, LABEL, "main", [edit], forge.login, date(2026, 11, 26))
            state.clear_log()
            started = time.perf_counter()
            run(job, forge.execute)
            took = time.perf_counter() - started
            reads, writes = len(state.reads()), len(state.writes())
            rows.append((step, str(reads), str(writes), f"{took:.2f}"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--delay", type=float, default=0.03, help="seconds added per answer")
    args = parser.parse_args()
    pages = library(args.corpus)
    if not pages:
        parser.error(f"no pattern pages under {args.corpus / LIBRARY}")
    print(f"{len(pages)} pages, {args.delay * 1000:.0f} ms a request")
    print(f"{'dashboard':<10} {'step':<12} {'reads':>5} {'writes':>6} {'seconds':>7}")
    for dashboard in (False, True):
        for step, reads, writes, took in measure(pages, dashboard, args.delay):
            print(f"{'yes' if dashboard else 'no':<10} {step:<12} {reads:>5} {writes:>6} {took:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
