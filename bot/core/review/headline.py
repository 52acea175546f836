"""A review's verdict in one line: the comment's headline, the check run's title, the summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.core.review.model import PageReview
from bot.core.rules.report import plural
from bot.core.tiers import promotes

#: Characters of the comment's headline, its `### ❌ tierbot: ` heading included.
HEADLINE_LIMIT = 120
HEADLINE = {
    "failure": "### ❌ tierbot: {verdict}",
    "success": "### ✅ tierbot: {verdict}",
    "neutral": "### tierbot: {verdict}",
}
NO_PAGES = "No pattern pages changed"
SEPARATOR = " · "
#: The kinds of tier change, in the order the headline counts them.
TIER_CHANGES = ("tier removed", "demotion", "promotion", "first tier")


def tier_change(base: str | None, head: str | None) -> str:
    """What a change of tier is: a first tier, a tier removed, a promotion or a demotion."""
    if base is None:
        return "first tier"
    if head is None:
        return "tier removed"
    return "promotion" if promotes(base, head) else "demotion"


def verdict(pages: Sequence[PageReview], counts: Counter[tuple[str, str]]) -> str:
    """The counts that decide, e.g. ``5 new errors on 5 of 116 pages · 5 tiers removed``;
    short enough for the headline whatever the change, never a list of paths."""
    if not pages:
        return NO_PAGES
    problems = [
        plural(counts[("new", severity)], f"new {severity}")
        for severity in ("error", "warning")
        if counts[("new", severity)]
    ]
    if problems:
        hit = sum(bool(page.tally("new", "error") + page.tally("new", "warning")) for page in pages)
        said = f"{', '.join(problems)} on {hit} of {plural(len(pages), 'page')}"
    else:
        said = f"no new problems on {plural(len(pages), 'page')}"
    fixed = sum(count for (state, _), count in counts.items() if state == "fixed")
    extra = [f"{fixed} fixed"] if fixed else []
    kinds = Counter(
        tier_change(page.change.tier_base, page.change.tier_head)
        for page in pages
        if page.change.tier_changed
    )
    changes = [_tier_changes(kind, kinds[kind]) for kind in TIER_CHANGES if kinds[kind]]
    text = SEPARATOR.join([said, *extra, *changes])
    if len(text) > HEADLINE_LIMIT - len(HEADLINE["failure"].format(verdict="")):
        # Every kind of tier change at once: they are counted together.
        text = SEPARATOR.join([said, *extra, plural(kinds.total(), "tier change")])
    return text


def _tier_changes(kind: str, number: int) -> str:
    if kind == "tier removed":
        return plural(number, "tier") + " removed"
    return plural(number, kind)
