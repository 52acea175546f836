"""What one pull request's reviews write and read with one `tierbot serve` and with two.

Each scenario runs in a fresh fake GitHub (tests/support/fake_github/, real HTTP on
127.0.0.1) that adds ``--delay`` (50 ms) to every answer, with `tierbot serve` replicas as
subprocesses. A pull request adds ``--pages`` (15) pattern pages, each with new findings
(annotations on their lines); then:

- **same delivery**: its `pull_request.opened` delivery goes to every replica at once, as a
  redelivery or a retrying proxy would send it;
- **a push**: once that is reviewed, a push, and the eight deliveries GitHub sends for it
  dealt in turn to the replicas (two of them ask for a review of the new head).

For one replica and for two, the script prints the GitHub requests made (the App's JWT calls
apart), the comments, the `tierbot` check runs on the head and the annotations the head's
newest run holds, counting any shown twice, and the runs left in progress anywhere. Goal: two
replicas leave what one leaves (one comment, each annotation once, nothing in progress) with
the writes of one; two more (a run created and ended skipped) when both replicas create the
head's run at the same moment, which GitHub's API cannot prevent.

    python benchmarks/replica_writes.py [--pages 15] [--delay 0.05]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.app_server import AppServer, SlowGitHub, wait_until_reviewed  # noqa: E402
from support.app_site import (  # noqa: E402
    BROKEN_PAGE,
    AppSite,
    Pull,
    annotations_shown,
    pages,
)
from support.deliveries import Delivery  # noqa: E402

Deal = Callable[[AppSite, Pull], list[Delivery]]
WAIT = 120.0  # seconds any one scenario may take


def same_delivery(site: AppSite, pull: Pull) -> list[Delivery]:
    return [site.opened(pull)]


def a_push(site: AppSite, pull: Pull) -> list[Delivery]:
    before = pull.head
    site.push(pull, {"README.md": "# Patterns, moved\n"})
    return site.push_deliveries(pull, before)


def measure(count: int, replicas: int, delay: float, deal: Deal) -> dict[str, int]:
    """Run one scenario; what GitHub holds and was asked afterwards."""
    with SlowGitHub() as github, contextlib.ExitStack() as stack:
        github.deprioritize()
        state = github.state
        site = AppSite(state)
        pull = site.open_pull({"README.md": "# Patterns\n"}, pages(count, BROKEN_PAGE))
        servers = [stack.enter_context(AppServer(github).start()) for _ in range(replicas)]
        state.delay = delay
        if deal is a_push:  # the pull request is reviewed first; the push's reviews counted
            settle(servers, site, pull, [site.opened(pull)])
        state.clear_log()
        sent = deal(site, pull)
        settle(servers, site, pull, sent * replicas if deal is same_delivery else sent)
        for server in servers:
            server.stop()
    runs = site.check_runs(pull.head)
    shown = annotations_shown(runs[-1])
    apart = [r for r in state.log if not r.path.startswith("/app")]
    return {
        "reads": sum(1 for r in state.reads() if not r.path.startswith("/app")),
        "writes": sum(site.landed_writes().values()),
        "requests": len(apart),
        "comments": len(site.bot_comments(pull)),
        "runs on the head": len(runs),
        "annotations": sum(shown.values()),
        "shown twice": sum(n - 1 for n in shown.values()),
        "in progress": len(site.in_progress()),
    }


def settle(servers: list[AppServer], site: AppSite, pull: Pull, sent: list[Delivery]) -> None:
    """Deal ``sent`` to the servers in turn; wait for a completed run and idle servers."""
    for n, delivery in enumerate(sent):
        servers[n % len(servers)].deliver(delivery)
    wait_until_reviewed(servers, lambda: site.completed(pull.head), "a completed run", WAIT)


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the fake, when serve stops
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=15, help="new pages with findings")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds added per request")
    args = parser.parse_args(argv)
    print(f"{args.pages} new pages with findings, {args.delay * 1000:.0f} ms/request\n")
    failed = False
    for name, deal in (("same delivery", same_delivery), ("a push", a_push)):
        one = measure(args.pages, 1, args.delay, deal)
        two = measure(args.pages, 2, args.delay, deal)
        if name == "same delivery":
            print("| scenario | replicas | " + " | ".join(one) + " |")
            print("|---|--:|" + "--:|" * len(one))
        for replicas, got in ((1, one), (2, two)):
            print(f"| {name} | {replicas} | " + " | ".join(str(v) for v in got.values()) + " |")
        same = all(two[k] == one[k] for k in ("comments", "annotations", "in progress"))
        surplus = two["runs on the head"] - one["runs on the head"]  # created at one moment
        failed |= (
            not same or two["shown twice"] != 0 or two["writes"] != one["writes"] + 2 * surplus
        )
    print("\n(a second run on the head: two reviews created one at the same moment; the older")
    print("ends skipped, holding nothing: its create and end are two writes more)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
