"""Repair one page: apply every fix its findings offer, check again, until none is left."""

from __future__ import annotations

import difflib
from typing import NamedTuple

from bot.core.documents import parse_document, parse_text
from bot.core.fixes import Fix, apply_fixes
from bot.core.rules.evaluate import evaluate
from bot.core.rules.policy import Policy

_BOM = "\ufeff"
#: Fixes of one pass may overlap (one is then left for the next pass); a few passes suffice.
MAX_PASSES = 3


class RepairedPage(NamedTuple):
    """A page's bytes before and after its fixes, what they did, or why it was left alone."""

    path: str
    before: bytes
    after: bytes
    done: tuple[str, ...] = ()  # each applied fix's summary
    problem: str | None = None  # the page could not be read: left untouched

    @property
    def changed(self) -> bool:
        return self.after != self.before


def fixes_of(path: str, text: str, policy: Policy) -> list[Fix] | None:
    """The fixes the findings of ``policy`` offer on a page's text (without its BOM); None
    when the text does not parse."""
    document = parse_text(path, text)
    if document.problem is not None:
        return None
    return [finding.fix for finding in evaluate(document, policy) if finding.fix]


def repair_page(path: str, data: bytes, policy: Policy) -> RepairedPage:
    """Apply every available fix to a page's bytes; an unreadable page is left untouched."""
    problem = parse_document(path, data).problem
    if problem is not None:
        return RepairedPage(path, data, data, problem=f"line {problem.line}: {problem.message}")
    raw = data.decode("utf-8")
    bom = _BOM if raw.startswith(_BOM) else ""
    text = raw.removeprefix(_BOM)
    done: list[str] = []
    fixes = fixes_of(path, text, policy) or []
    for _ in range(MAX_PASSES):
        if not fixes:
            break
        fixed, applied = apply_fixes(text, fixes)
        left = fixes_of(path, fixed, policy)
        # A pass is kept only when the page still parses and has fewer fixes waiting: a fix
        # that did not resolve its finding would otherwise be applied again and again.
        if left is None or len(left) >= len(fixes):
            break
        text, fixes = fixed, left
        done.extend(fix.summary for fix in applied)
    return RepairedPage(path, data, (bom + text).encode("utf-8"), tuple(done))


def unified_diff(page: RepairedPage) -> str:
    """The page's change as a unified diff (``a/`` and ``b/`` paths, like git)."""
    before = page.before.decode("utf-8").splitlines(keepends=True)
    after = page.after.decode("utf-8").splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, f"a/{page.path}", f"b/{page.path}")
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
