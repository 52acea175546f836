"""How the review comment reads on real DStudio pull requests, before and after its rewrite.

Each replay (tests/support/replays.py) rebuilds a real DStudio pull request as a base/head
pair of the shared corpus in a temporary git repository whose `origin` is DStudio on GitHub
(so the comment links its lines, as on the real pull request):

* ``tiers-removed``, like 2a233545: 116 pages, 5 gold pages lose their tier, links fixed on
  the other 111 (goal: at most 6,000 characters outside ``<details>``);
* ``links-fixed``, like 9c79ba87: links fixed on 109 pages, no new problem (goal: at most 600);
* ``keys-renamed``, like 2a622afc: the keys tierbot reads spelt with hyphens on 100 pages
  (goal: at most 6,000).

The same ``python -m bot review --format json`` runs on each replay twice: with tierbot as it
was at ``--before`` (by default the commit on main before the comment was rewritten, exported
with ``git archive`` into a temporary directory and run from there) and with this checkout.
Both are run as separate processes from their own directory, so neither imports the other.
For each, the script prints the comment's total length, its length outside ``<details>``, its
checkboxes (``- [ ]`` and ``- [x]`` lines), and how many kinds of new problem (the rule ids
of the review JSON's new findings) the first screen shows, by rule id, by instruction (a
finding's checklist line) or by the title of their own section (`tier-changed`: "Tier
changes"). The first screen is the first 40 lines of 100 characters of the comment as
GitHub renders it (cmark-gfm, a closed ``<details>`` showing its summary only; see
tests/support/rendered.py). It exits 1 when the checkout misses a goal.

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
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from support.git_repo import CORPUS, GitRepo  # noqa: E402
from support.rendered import CHECKBOX, first_screen, seen  # noqa: E402
from support.replays import (  # noqa: E402
    KeysRenamed,
    Replay,
    corpus_library,
    keys_renamed,
    links_fixed,
    tiers_removed,
)

#: main before issue 16 rewrote the comment for readers at scale: the "before" renderer.
#: (588b14c46e09 is main before the comment's first rewrite, for comparison.)
BEFORE = "e97587aa91e5f1074f2faf013e304fa69810f672"
DSTUDIO = "https://github.com/deepaucksharma/DStudio.git"
FOLD = re.compile(r"<details>.*?</details>", re.S)
RANGE = ("--base", "main", "--head", "feature")
#: Kinds of problem the comment shows in a section of their own, under this title.
SECTIONS = {"tier-changed": "Tier changes"}
REPLAYS: dict[str, tuple[Callable[[GitRepo], Replay | KeysRenamed], int]] = {
    "tiers-removed": (tiers_removed, 6_000),  # like 2a233545
    "links-fixed": (links_fixed, 600),  # like 9c79ba87
    "keys-renamed": (keys_renamed, 6_000),  # like 2a622afc
}


class Measure(NamedTuple):
    """One comment's figures."""

    total: int
    outside: int  # characters outside <details>
    checkboxes: int
    kinds_seen: list[str]  # kinds of new problem the first screen shows
    kinds: list[str]  # every kind of new problem in the review

    def row(self) -> str:
        shown = f"{len(self.kinds_seen)} of {len(self.kinds)}"
        return f"{self.total:>8,} {self.outside:>8,} {self.checkboxes:>10,}  {shown:>12}"


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


def review(code: Path, repo: Path) -> dict[str, Any]:
    """`tierbot review --format json` of ``main..feature``, with tierbot from ``code``."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "review", "--repo", str(repo), *RANGE, "--format", "json"],
        cwd=code,  # `-m` puts the working directory first on sys.path
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):  # 1: the review's conclusion is a failure
        raise SystemExit(f"tierbot from {code} failed:\n{done.stderr}")
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def measure(data: dict[str, Any]) -> Measure:
    """The figures of a review's comment; its kinds of new problem from the review itself."""
    text: str = data["comment"]
    instructions: dict[str, set[str]] = {}  # rule id -> the checklist lines of its new findings
    for page in data["files"]:
        for finding in page["findings"]:
            if finding["state"] == "new":
                instructions.setdefault(finding["rule"], set()).add(finding["checklist"])
    screen = first_screen(text)
    shown = [
        rule
        for rule, lines in sorted(instructions.items())
        if any(seen(text, screen) for text in (rule, SECTIONS.get(rule, rule), *lines))
    ]
    checkboxes = len(CHECKBOX.findall(text))
    return Measure(len(text), len(FOLD.sub("", text)), checkboxes, shown, sorted(instructions))


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
            f"{'replay':<13} {'pages':>5}  {'':<6} {'total':>8} {'outside':>8} {'checkboxes':>10}"
            f"  {'first screen':>12}  goal (outside <details>)"
        )
        unseen = []
        for name, (make, goal) in REPLAYS.items():
            repo = corpus_library(GitRepo(Path(scratch) / name))
            repo.git("remote", "add", "origin", DSTUDIO)
            replay = make(repo)
            before, after = measure(review(old, repo.path)), measure(review(REPO, repo.path))
            met = after.outside <= goal
            missed += not met
            print(f"{name:<13} {replay.pages:>5}  {'before':<6} {before.row()}")
            print(f"{'':<13} {'':>5}  {'after':<6} {after.row()}  <= {goal:,}: ", end="")
            print("met" if met else "MISSED")
            hidden = sorted(set(after.kinds) - set(after.kinds_seen))
            if hidden:
                unseen.append(f"  {name}: {', '.join(hidden)}")
        print("first screen: the kinds of new problem it shows (rule id, instruction, section)")
        if unseen:
            print("not on the first screen after:", *unseen, sep="\n")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
