"""The repository's README, and its sections, for tests that keep it in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: A line of an example that stands for lines of the real output left out.
OMITTED = "# …\n"


def readme_section(title: str, text: str | None = None) -> str:
    """The text of the README's ``## title`` section, up to the next ``## `` heading or the
    end (a ``## `` line inside a fenced block, such as an example issue's, is no heading)."""
    text = README.read_text(encoding="utf-8") if text is None else text
    lines: list[str] | None = None
    fence = ""
    for line in text.splitlines(keepends=True):
        opens = re.match(r"(`{3,})", line)
        if fence and line.rstrip() == fence:
            fence = ""
        elif not fence and opens:
            fence = opens[1]
        elif not fence and line.startswith("## "):
            if lines is not None:
                break
            lines = [] if line == f"## {title}\n" else None
            continue
        if lines is not None:
            lines.append(line)
    assert lines is not None, f"README has no `## {title}` section"
    return "".join(lines)


def is_excerpt(shown: str, real: str) -> bool:
    """Whether the example ``shown`` is the ``real`` output, whole lines of it left out only
    where ``shown`` has an ``OMITTED`` line (without one, the two are the same)."""
    gaps = "(?:.*\n)*?"  # any whole lines
    return re.fullmatch(gaps.join(map(re.escape, shown.split(OMITTED))), real) is not None
