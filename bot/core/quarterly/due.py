"""What each page needs this quarter (pure): every reason on one line, the most important first.

A failing error rule is said with the rules' own texts (what to do, the rule, what is wrong),
as the pull request review says it; a contradiction of the tier or a date is said here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from bot.core.config import QuarterlyConfig
from bot.core.markdown import code, message
from bot.core.quarterly.model import KINDS, Item, PageFacts, Reason
from bot.core.rules.evaluate import Finding
from bot.core.rules.kinds import is_empty
from bot.core.tiers import REVIEW_FIELDS, TIER_FIELD, TIERS

#: The front-matter field a contradiction speaks for: an error rule on it says it instead.
KIND_FIELDS = {"no-tier": TIER_FIELD, "bronze": "modern_alternatives", "gold": "modern_examples"}
_HYPHENATED_DATES = tuple(name.replace("_", "-") for name in REVIEW_FIELDS)

FAILS = "❌ **{instruction}** {rule} — {message}"
FAILS_AGAIN = "❌ {rule}, fixed as above"
NO_TIER = "🏷️ no {field}: give it one of {tiers}"
BAD_TIER = "🏷️ {value} is not one of {tiers}"
BANNER = "🚩 the banner says {banner}, the front matter {tier}: make them agree"
BRONZE = "🥉 no {field}: name what replaced it"
GOLD = "🏆 {count} of {wanted} {field}: add who runs it in production"
REVIEWED = "last reviewed {day}, {age}"
CHANGED = "last changed {day} (from git), {age}"
UNDATED = "no {fields} date, and no commit that dates it"
MISSPELT = " (the page has {wrong}: rename it to {right})"
OVERDUE = "🕰️ "


def due_items(
    pages: Iterable[PageFacts],
    quarterly: QuarterlyConfig,
    today: date,
    demotions: Mapping[str, Reason],
    owners: Mapping[str, tuple[str, ...]],
) -> list[Item]:
    """One item per active page that needs a review, in priority order."""
    found = []
    for page in pages:
        if page.archived:
            continue
        reasons = _reasons(page, quarterly, demotions.get(page.path))
        overdue = _overdue(page, quarterly.max_age_days, today)
        if overdue:
            reasons.append(Reason("stale", ""))
        if reasons:
            dated = (OVERDUE if overdue else "") + dated_phrase(page, today)
            found.append(
                Item(
                    page.path,
                    page.tier,
                    tuple(sorted(reasons, key=lambda r: KINDS.index(r.kind))),
                    dated,
                    page.reviewed or page.committed,
                    owners.get(page.path, ()),
                )
            )
    return sorted(found, key=lambda item: item.priority)


def _reasons(page: PageFacts, quarterly: QuarterlyConfig, demotion: Reason | None) -> list[Reason]:
    """The page's failing error rules, then what contradicts its tier (but not twice)."""
    failing: dict[tuple[str, str], Finding] = {}
    for finding in page.findings:
        if finding.severity == "error":
            failing.setdefault((finding.rule, finding.checklist), finding)
    said = {finding.field for finding in failing.values()}
    reasons = [
        Reason(
            "errors",
            FAILS.format(
                instruction=message(f.checklist), rule=code(f.rule), message=message(f.message)
            ),
            FAILS_AGAIN.format(rule=code(f.rule)),
        )
        for f in failing.values()
    ]
    contradictions = _contradictions(page, quarterly)
    if demotion is not None:
        contradictions.append(demotion)
    reasons += [r for r in contradictions if KIND_FIELDS.get(r.kind, "") not in said]
    return reasons


def _contradictions(page: PageFacts, quarterly: QuarterlyConfig) -> list[Reason]:
    meta = page.meta
    if meta is None:
        return []
    found = []
    tiers = ", ".join(TIERS)
    if page.tier is None:
        raw = page.raw_tier
        detail = (
            NO_TIER.format(field=code(TIER_FIELD), tiers=tiers)
            if is_empty(raw)
            else BAD_TIER.format(value=code(f"{TIER_FIELD}: {raw}"), tiers=tiers)
        )
        found.append(Reason("no-tier", detail))
    if page.tier and page.banner and page.banner != page.tier:
        found.append(Reason("banner", BANNER.format(banner=page.banner, tier=page.tier)))
    if page.tier == "bronze" and is_empty(meta.get("modern_alternatives")):
        found.append(Reason("bronze", BRONZE.format(field=code("modern_alternatives"))))
    examples = meta.get("modern_examples")
    count = len(examples) if isinstance(examples, list) else 0
    if page.tier == "gold" and count < quarterly.min_modern_examples:
        wanted = quarterly.min_modern_examples
        field = code("modern_examples")
        found.append(Reason("gold", GOLD.format(count=count, wanted=wanted, field=field)))
    return found


def _overdue(page: PageFacts, max_age_days: int, today: date) -> bool:
    """Older than ``max_age_days`` by its front-matter date, else by its last commit; a page
    neither dates is overdue too (it may be the oldest of all)."""
    when = page.reviewed or page.committed
    return when is None or (today - when).days > max_age_days


def dated_phrase(page: PageFacts, today: date) -> str:
    """When the page was last reviewed (or changed, from git), and how long ago."""
    reviewed, committed = page.reviewed, page.committed
    if reviewed is not None:
        text = REVIEWED.format(day=reviewed.isoformat(), age=_ago(today, reviewed))
    elif committed is not None:
        text = CHANGED.format(day=committed.isoformat(), age=_ago(today, committed))
    else:
        text = UNDATED.format(fields=" or ".join(map(code, REVIEW_FIELDS)))
    misspelt = next((key for key in _HYPHENATED_DATES if key in (page.meta or {})), None)
    if misspelt:
        text += MISSPELT.format(wrong=code(misspelt), right=code(misspelt.replace("-", "_")))
    return text


def _ago(today: date, day: date) -> str:
    days = (today - day).days
    if days <= 0:
        return "today" if days == 0 else "in the future"
    return f"{days} day{'s' if days != 1 else ''} ago"
