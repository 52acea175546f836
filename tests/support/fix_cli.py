"""`tierbot fix` run as a contributor runs it, in a directory; the pages it leaves there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def tierbot(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``tierbot *argv`` in its own process, in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every Markdown file under ``root``, by its path relative to it."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def fixed_pages(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The pages a `tierbot fix` run says it fixed (or, with --check, would fix), in order."""
    lines = result.stdout.splitlines()
    return [
        line.rpartition(": ")[0] for line in lines if line.endswith((": fixed:", ": would fix:"))
    ]
