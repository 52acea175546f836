"""The repository's README, and its sections, for tests that keep it in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def readme_section(title: str, text: str | None = None) -> str:
    """The text of the README's ``## title`` section, up to the next ``## `` heading or the end."""
    text = README.read_text(encoding="utf-8") if text is None else text
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README has no `## {title}` section"
    return match.group(1)
