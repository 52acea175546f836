"""The review's fold: one ``<details>`` block for everything that asks nothing of anyone."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.markdown import code
from bot.core.review.model import PageReview
from bot.core.review.sections import PageNames, Rendered
from bot.core.review.tier_lines import moved, tier_label
from bot.core.rules.report import plural

FOLDED_OPEN = "<details><summary>Not blocking: {what}</summary>\n"
FOLDED_CLOSE = "</details>"
FOLD_MORE = "- … and {count} more pages: {where}"


def folded(
    pages: Sequence[PageReview], name: PageNames, base: str, cap: int | None, where: str
) -> Rendered:
    """One ``<details>`` block: a line per page with nothing new or problems on the base
    branch (the first ``cap`` of them)."""
    lines, counts = [], []
    quiet = 0
    for page in sorted(pages, key=lambda page: page.path):
        on_base = [item.finding.rule for item in page.findings if item.state == "existing"]
        shown = page.change.tier_changed or any(f.state != "existing" for f in page.findings)
        if on_base or not shown:
            tier = tier_label(page.change.tier_head)
            line = f"- {name(page.path)}{moved(page, name)} · {tier}"
            lines.append(line + (f" · on {base}: {_rules(on_base)}" if on_base else ""))
            counts.append(len(on_base))
            quiet += not page.tally("new")
    if not lines:
        return Rendered([], [], 0)
    existing, unnamed = sum(counts), 0
    if cap is not None and len(lines) > cap:
        unnamed = sum(counts[cap:])  # the problems on the base branch left unnamed
        lines = [*lines[:cap], FOLD_MORE.format(count=len(lines) - cap, where=where)]
    what = [
        plural(quiet, "page") + " with nothing new" if quiet else "",
        f"{plural(existing, 'problem')} already on {base}" if existing else "",
    ]
    summary = FOLDED_OPEN.format(what=" · ".join(part for part in what if part))
    return Rendered([summary, *lines, FOLDED_CLOSE], [], unnamed)


def _rules(rules: Sequence[str]) -> str:
    """``rule-a``, ``rule-b ×2``: each rule id once, with how often it was found."""
    counted: dict[str, int] = {}
    for rule in rules:
        counted[rule] = counted.get(rule, 0) + 1
    return ", ".join(code(rule + (f" ×{n}" if n > 1 else "")) for rule, n in counted.items())
