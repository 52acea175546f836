"""How many GitHub API requests `tierbot pr OWNER/REPO#N` makes, next to a reasoned minimum.

For pull requests changing 1, 10, 100, 400 and 3,000 pattern pages, each in a fresh fake GitHub
(tests/support/fake_github/, real HTTP on 127.0.0.1), the script seeds a repository whose base has
a `.github/tierbot.yml` and N clean gold pages, and whose head removes `modern_examples` from
every one of them (each page is read at base and at head; two labels are new). It then runs
`tierbot pr` in-process twice: the first run posts, the rerun should write nothing. Requests
are counted from the fake's log (GraphQL queries are reads); the fake adds 30 ms to every
answer, roughly a round trip to api.github.com, so the wall time shows what the count costs.

The minimum for a first run on N modified pages, R = ceil(N / 100), Q = ceil(N / 250):

    reads   1       GET the pull request (base and head SHAs, labels, changed-file count)
          + R       list its changed files, 100 a page (GitHub's maximum)
          + 1       the config at the base SHA (it decides which files are pattern pages,
                    so it cannot share a query with the pages; +1 when it names a rules file)
          + 1       the merge base (GET compare/BASE...HEAD)
          + 2Q      GraphQL: 250 pages a query (github_graphql.GRAPHQL_BATCH), at the base and
                    at head (one query could take both, `object(expression: "SHA:path")`
                    takes any revision per alias, but the job reads each revision once)
          + 1       list the PR's comments, to find tierbot's sticky one (one page)
          + 1       the head's newest `tierbot` commit status (one page)
    writes  1       create the comment
          + 2       create the two labels with their colours (absent from a fresh repository;
                    AddLabels alone would create them grey)
          + 1       add both labels to the pull request in one request
          + 1       the `tierbot` commit status on the head
    rerun   the same reads; 0 writes (the comment, labels and status are already right)

With ``--settings owner`` the config is the owner's instead (`acme/.github`, no config in the
repository): +2 reads, its default branch (GET commits/HEAD) and its file (GraphQL). With
``--settings none`` there is no config anywhere: +1 read, the 404 saying `acme/.github` is not
there.

    python benchmarks/review_api_calls.py [--sizes 1 10 100 400 3000] [--delay 0.03]
                                          [--settings own|owner|none]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.fake_github import FakeGitHubServer  # noqa: E402

from bot.cli.main import main  # noqa: E402

FULL_NAME = "acme/patterns"
PAGE = (REPO / "examples/docs/pattern-library/resilience/circuit-breaker.md").read_text("utf-8")
CONFIG = "fail-on: new-errors\n"


def broken(text: str) -> str:
    """The page without its `modern_examples` block: one new error, two new labels."""
    start = text.index("modern_examples:")
    end = text.index("production_checklist:")
    return text[:start] + text[end:]


#: Reads the owner's settings add, by where the config is.
OWNER_READS = {"own": 0, "owner": 2, "none": 1}


def minimum(pages: int, settings: str = "own") -> tuple[int, int]:
    listed, queries = math.ceil(pages / 100), math.ceil(pages / 250)
    reads = 1 + listed + 1 + 1 + 2 * queries + 1 + 1 + OWNER_READS[settings]
    return reads, 1 + 2 + 1 + 1


def measure(pages: int, delay: float, settings: str = "own") -> dict[str, float]:
    with FakeGitHubServer() as server:
        state = server.state
        state.add_repo(FULL_NAME)
        paths = [f"docs/pattern-library/generated/page-{n:03}.md" for n in range(pages)]
        config = {".github/tierbot.yml": CONFIG}
        if settings == "owner":
            state.add_repo("acme/.github")
            state.add_commit("acme/.github", config, branch="main")
        own = config if settings == "own" else {}
        base = state.add_commit(FULL_NAME, {**own, **dict.fromkeys(paths, PAGE)}, branch="main")
        head = state.add_commit(FULL_NAME, dict.fromkeys(paths, broken(PAGE)), parent=base)
        number = state.add_pull(FULL_NAME, base, head)
        os.environ.update(
            GITHUB_TOKEN="ghs_benchmark",
            GITHUB_API_URL=server.url,
            GITHUB_GRAPHQL_URL=server.graphql_url,
        )
        state.delay = delay
        results: dict[str, float] = {}
        for run in ("first", "rerun"):
            state.clear_log()
            started = time.perf_counter()
            # The report and what was written (stderr) are not the figures: kept out of them.
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                code = main(["pr", f"{FULL_NAME}#{number}"])
            results[f"{run}_seconds"] = time.perf_counter() - started
            results[f"{run}_reads"] = len(state.reads())
            results[f"{run}_writes"] = len(state.writes())
            if code != 1:
                raise SystemExit(f"tierbot pr exited {code}, expected 1 (new errors)")
        if len(state.comments(FULL_NAME, number)) != 1:
            raise SystemExit("expected exactly one comment")
        return results


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 400, 3000])
    parser.add_argument("--delay", type=float, default=0.03, help="seconds added per request")
    parser.add_argument("--settings", choices=sorted(OWNER_READS), default="own")
    args = parser.parse_args(argv)
    print(
        f"tierbot pr against the fake GitHub, {args.delay * 1000:.0f} ms added per request, "
        f"settings: {args.settings}\n"
    )
    print(
        "| pages | reads | budget | writes | total | minimum (r+w) | wall s | rerun r | rerun w |"
    )
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for pages in args.sizes:
        got = measure(pages, args.delay, args.settings)
        low_reads, low_writes = minimum(pages, args.settings)
        print(
            f"| {pages} | {got['first_reads']:.0f} "
            f"| {math.ceil(2 * pages / 100) + 10 + OWNER_READS[args.settings]} "
            f"| {got['first_writes']:.0f} "
            f"| {got['first_reads'] + got['first_writes']:.0f} "
            f"| {low_reads + low_writes} ({low_reads}+{low_writes}) "
            f"| {got['first_seconds']:.2f} | {got['rerun_reads']:.0f} "
            f"| {got['rerun_writes']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main_())
