"""How long the review comment is on real DStudio pull requests, before and after its rewrite.

Each replay (tests/support/replays.py) rebuilds a real DStudio pull request as a base/head
pair of the shared corpus in a temporary git repository whose `origin` is DStudio on GitHub
(so the comment links its lines, as on the real pull request):

* ``tiers-removed``, like 2a233545: 116 pages, 5 gold pages lose their tier, links fixed on
  the other 111 (goal: at most 6,000 characters outside ``<details>``);
* ``links-fixed``, like 9c79ba87: links fixed on 109 pages, no new problem (goal: at most 600).

The same ``python -m bot review --format json`` runs on each replay twice: with tierbot as it
was at ``--before`` (by default the commit on main before the comment was rewritten, exported
with ``git archive`` into a temporary directory and run from there) and with this checkout.
Both are run as separate processes from their own directory, so neither imports the other.
The script prints the comment's total length and its length outside ``<details>`` for both,
and exits 1 when the rewrite misses a goal.

    python benchmarks/comment_size.py [--before REV]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from support.git_repo import CORPUS, GitRepo  # noqa: E402
from support.replays import Replay, corpus_library, links_fixed, tiers_removed  # noqa: E402

#: main just before the comment was rewritten: the renderer measured as "before".
BEFORE = "588b14c46e09739a53f1b36cb45efb64a2137a7d"
DSTUDIO = "https://github.com/deepaucksharma/DStudio.git"
FOLD = re.compile(r"<details>.*?</details>", re.S)
RANGE = ("--base", "main", "--head", "feature")
REPLAYS: dict[str, tuple[Callable[[GitRepo], Replay], int]] = {
    "tiers-removed": (tiers_removed, 6_000),  # like 2a233545
    "links-fixed": (links_fixed, 600),  # like 9c79ba87
}


def export(revision: str, into: Path) -> Path:
    """tierbot's package and bundled rules at ``revision``, unpacked into ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, "bot", "rules"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def comment(code: Path, repo: Path) -> str:
    """The comment `tierbot review` prints for ``main..feature``, with tierbot from ``code``."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "review", "--repo", str(repo), *RANGE, "--format", "json"],
        cwd=code,  # `-m` puts the working directory first on sys.path
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):  # 1: the review's conclusion is a failure
        raise SystemExit(f"tierbot from {code} failed:\n{done.stderr}")
    text: str = json.loads(done.stdout)["comment"]
    return text


def sizes(text: str) -> tuple[int, int]:
    """(total length, length outside ``<details>``)."""
    return len(text), len(FOLD.sub("", text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the revision measured as before")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"the shared corpus is absent ({CORPUS}): nothing to replay", file=sys.stderr)
        return 2
    missed = 0
    with tempfile.TemporaryDirectory() as scratch:
        old = export(args.before, Path(scratch) / "before")
        print(f"before: {args.before[:12]}, after: this checkout ({REPO})")
        print(
            f"{'replay':<14} {'pages':>5}  {'before total':>12} {'outside':>8}"
            f"  {'after total':>11} {'outside':>8}  goal (outside <details>)"
        )
        for name, (make, goal) in REPLAYS.items():
            repo = corpus_library(GitRepo(Path(scratch) / name))
            repo.git("remote", "add", "origin", DSTUDIO)
            replay = make(repo)
            before = sizes(comment(old, repo.path))
            after = sizes(comment(REPO, repo.path))
            met = after[1] <= goal
            missed += not met
            print(
                f"{name:<14} {replay.pages:>5}  {before[0]:>12,} {before[1]:>8,}"
                f"  {after[0]:>11,} {after[1]:>8,}  <= {goal:,}: {'met' if met else 'MISSED'}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
