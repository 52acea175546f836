"""The check kinds whose findings can carry a fix: an exact edit certain to be right.

Registered on import by ``bot.core.rules`` (the package), beside the kinds of ``kinds``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bot.core.fixes import Edit, Fix, content_end, front_entries, line_end, newline_at, replace_once
from bot.core.rules.kinds import Context, Hit, Param, is_empty, kind
from bot.core.rules.shapes import year_month_text
from bot.core.tiers import TIERS, first_tier_banner

_YEAR_MONTH = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")
_SINGLE_DIGIT_MONTH = re.compile(r"(\d{4})-([1-9])")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _check_banners(name: str, value: Any) -> None:
    """``{tier: '!!! kind "title"'}``, each banner naming its own tier."""
    if not isinstance(value, dict) or not value or set(value) - set(TIERS):
        raise ValueError(f"`{name}` must map some of {', '.join(TIERS)} to a banner line")
    for tier, banner in value.items():
        found = first_tier_banner(banner) if isinstance(banner, str) else None
        if found is None or found[0] != tier or found[1].group(0) != banner:
            raise ValueError(
                f'`{name}.{tier}` must be one line `!!! kind "title"` whose title names {tier}'
            )


#: Without banners, the tier-banner kinds still find, but offer no fix.
_banners = Param(required=False, validate=_check_banners)


@kind("tier-banner", params={"banners": _banners}, placeholders=("banner", "tier"))
def tier_banner(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    """The first tier banner names another tier; the fix writes the rules' banner instead."""
    found = first_tier_banner(context.document.body)
    if found and context.tier and found[0] != context.tier:
        document, match = context.document, found[1]
        offset = len(document.text) - len(document.body)
        line = document.body_line + document.body.count("\n", 0, match.start())
        wanted = params.get("banners", {}).get(context.tier)
        fix = None
        if wanted:
            edit = Edit(offset + match.start(), offset + match.end(), wanted)
            fix = Fix(f"tier banner on line {line} set to `{wanted}`", (edit,))
        yield Hit(line, {"banner": found[0], "tier": context.tier}, fix=fix)


@kind("tier-banner-missing", params={"banners": _banners}, placeholders=("tier", "banner"))
def tier_banner_missing(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    """No banner names a tier; the fix inserts the rules' banner under the page's title."""
    document = context.document
    if not context.tier or first_tier_banner(document.body):
        return
    wanted = params.get("banners", {}).get(context.tier)
    heading = _first_heading(document.body)
    body_start = len(document.text) - len(document.body)
    # After the title line, else after the closing `---` of the front matter.
    anchor = body_start + heading if heading is not None else body_start - 1
    line = document.text.count("\n", 0, anchor) + 1
    fix = None
    if wanted:
        text, newline = document.text, newline_at(document.text, anchor)
        at = content_end(text, anchor)
        following = text[line_end(text, anchor) :]
        after = newline if following and following.split("\n", 1)[0].strip() else ""
        edit = Edit(at, at, f"{newline}{newline}{wanted}{after}")
        fix = Fix(f"tier banner `{wanted}` added after line {line}", (edit,))
    values = {"tier": context.tier, "banner": wanted or f"a {context.tier} tier banner"}
    yield Hit(line if heading is not None else None, values, fix=fix)


def _first_heading(body: str) -> int | None:
    """The offset of the body's first `# ` heading line outside fenced code, if any."""
    fence = None
    offset = 0
    for line in body.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * 3
        elif fence is not None and line.lstrip(" ").startswith(fence):
            fence = None
        elif fence is None and line.startswith("# "):
            return offset
        offset += len(line)
    return None


@kind(
    "year-month",
    params={"field": True},
    placeholders=("value",),
    schema=lambda params: year_month_text(params["field"]),
)
def year_month(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    """When present, the field is YYYY or YYYY-MM; the fix pads a one-digit month."""
    name = params["field"]
    value = context.meta.get(name)
    if is_empty(value) or _YEAR_MONTH.fullmatch(str(value)):
        return
    fix = None
    single = _SINGLE_DIGIT_MONTH.fullmatch(str(value))
    entry = front_entries(context.document).get(name) if single else None
    if single and entry:
        padded = f"{single.group(1)}-0{single.group(2)}"
        text = context.document.text
        edit = replace_once(text, entry.value_start, entry.value_end, str(value), padded)
        fix = Fix(f"`{name}: {value}` written `{padded}`", (edit,)) if edit else None
    yield Hit(context.document.line_of(name), {"value": value}, fix=fix)
