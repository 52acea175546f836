"""The review's tier changes as Markdown lines: pages changed alike on one line, with the
problem the change causes and, for a promotion the gate holds, whose approval it needs."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core import markers
from bot.core.config import PromotionsConfig
from bot.core.markdown import code, code_list, message
from bot.core.review.gate import promotions_of
from bot.core.review.model import PageReview
from bot.core.review.sections import (
    MORE,
    NO_BOX,
    OPEN_BOX,
    SEVERITY_EMOJI,
    TIER_CHANGED,
    Detail,
    PageNames,
    Rendered,
    is_carried,
)
from bot.core.rules.policy import SEVERITIES
from bot.core.tiers import TIER_EMOJI

TIER_CHANGE = "{box}{emoji}{change}: {pages}{gated}{carried}"
#: After the pages of a promotion the promotion gate holds.
GATED = " — needs approval from {who}"
NEW_PAGE = "new page"  # a tier change's base when the page is new: only a gated one is said
CARRIED = " — **{instruction}** {rules}"
MOVED = " (moved from {page})"


def tier_label(tier: str | None) -> str:
    return f"{TIER_EMOJI[tier]} {tier}" if tier else "none"


def tier_changes(
    pages: Sequence[PageReview],
    name: PageNames,
    detail: Detail,
    boxes: bool,
    gate: PromotionsConfig,
) -> Rendered:
    """``🏆 gold → none: a.md, b.md — Add `excellence_tier` …``: pages changed alike, once;
    a box when a rule makes the change block the merge or a problem rides on it; whose
    approval a promotion waits for when the promotion gate holds it, a new page's included."""
    found: dict[tuple[str, str, str, tuple[str, ...]], list[PageReview]] = {}
    for page in sorted(pages, key=lambda page: page.path):
        if not (page.change.tier_changed or promotions_of([page.change], gate)):
            continue
        new = [i for i in page.findings if i.state == "new"]
        blocking = [
            i.finding.severity
            for i in new
            if i.finding.severity != "notice"
            and (i.check == TIER_CHANGED or is_carried(page, i.finding))
        ]
        worst = min(blocking, key=SEVERITIES.index) if blocking else ""
        carried = tuple(
            dict.fromkeys(
                f"{i.finding.checklist}\0{i.finding.rule}"
                for i in new
                if is_carried(page, i.finding)
            )
        )
        base = NEW_PAGE if page.change.status == "added" else tier_label(page.change.tier_base)
        change = f"{base} → {tier_label(page.change.tier_head)}"
        found.setdefault((worst, change, page.change.status, carried), []).append(page)
    lines, keys, unnamed = [], [], 0
    for (worst, change, _, carried), changed in found.items():
        shown = changed if detail.pages is None or detail.per_page else changed[: detail.pages]
        names = ", ".join(_page(page, name, detail) for page in shown)
        if len(shown) < len(changed):
            names = f"{names}{MORE.format(count=len(changed) - len(shown))}"
            unnamed += len(changed) - len(shown)
        said = "".join(
            CARRIED.format(instruction=message(text), rules=code(rule))
            for text, rule in (item.split("\0") for item in carried)
        )
        gated = (
            GATED.format(who=code_list(gate.approvers))
            if promotions_of([changed[0].change], gate)
            else ""
        )
        box = OPEN_BOX if boxes and worst else NO_BOX
        lines.append(
            TIER_CHANGE.format(
                box=box,
                emoji=f"{SEVERITY_EMOJI[worst]} " if worst else "",
                change=change,
                pages=names,
                gated=gated,
                carried=said,
            )
        )
        if box == OPEN_BOX:
            keys.append(markers.short_key(change, *carried))
    return Rendered(lines, keys, unnamed)


def _page(page: PageReview, name: PageNames, detail: Detail) -> str:
    """A page of a tier change: linked to the page at head, and where it moved from."""
    url = name.head.blob(page.path) if detail.links else None
    shown = f"[{name(page.path)}]({url})" if url else name(page.path)
    return shown + moved(page, name)


def moved(page: PageReview, name: PageNames) -> str:
    """Where the page came from, said after its name."""
    moved = page.change.previous_path
    return MOVED.format(page=name(moved)) if moved else ""
