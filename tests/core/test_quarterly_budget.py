"""The quarterly budget (pure): the rotation, a quarter's choice kept, owners and assignees,
parts that break between sections, and a dry run showing the parts."""

from __future__ import annotations

from datetime import date

from support.pages import GOLD, default_policy, page

from bot.core.config import QuarterlyConfig
from bot.core.quarterly.body import PART_RULE, preview
from bot.core.quarterly.due import due_items
from bot.core.quarterly.facts import page_facts
from bot.core.quarterly.model import Links, Quarter, page_key
from bot.core.quarterly.owners import assignees, owners_of
from bot.core.quarterly.parts import merge_ticks, split_body
from bot.core.quarterly.plan import plan_quarter
from bot.core.quarterly.rotation import choose, covered_by, listed_keys, rotation_of

LIB = "docs/pattern-library"
TODAY = date(2026, 11, 26)
Q4 = Quarter(2026, 4)


def stale_pages(count: int) -> list:
    """``count`` (at most 16) overdue pages, p00 the oldest."""
    return [
        page_facts(
            f"{LIB}/p{n:02}.md",
            page(GOLD, {"last_updated": f"20{10 + n:02}-01-01"}).encode(),
            default_policy(),
        )
        for n in range(count)
    ]


def due(count: int) -> list:
    return due_items(stale_pages(count), QuarterlyConfig(), TODAY, {}, {})


def test_the_least_recently_listed_come_first_then_by_priority() -> None:
    items = due(6)
    keys = [item.key for item in items]
    earlier = rotation_of(
        [(Quarter(2026, 2), " ".join(f"<!-- tierbot:item {k} -->" for k in keys[:2]))]
    )
    assert [i.path[-6:] for i in choose(items, 3, Q4, earlier)] == ["p02.md", "p03.md", "p04.md"]
    # Everyone listed once: the longest ago again, the oldest first among equals.
    every = rotation_of(
        [
            (Quarter(2026, 2), f"<!-- tierbot:item {keys[4]} -->"),
            (Quarter(2026, 3), "".join(f"<!-- tierbot:resolved {k} -->" for k in keys[:4])),
            (Quarter(2026, 3), f"<!-- tierbot:item {keys[5]} -->"),  # a duplicate issue
        ]
    )
    assert [i.path[-6:] for i in choose(items, 2, Q4, every)] == ["p00.md", "p04.md"]
    assert choose(items, 0, Q4, every) == items  # no limit


def test_a_quarters_choice_is_kept_and_counts_its_resolved_pages() -> None:
    items = due(6)
    mine = rotation_of(
        [
            (
                Q4,
                f"- [x] a <!-- tierbot:item {items[3].key} -->\n"
                f"- ✅ b <!-- tierbot:resolved {page_key('gone.md')} -->",
            )
        ]
    )
    assert [i.key for i in choose(items, 2, Q4, mine)] == [items[3].key]  # no top-up
    assert [i.key for i in choose(items, 3, Q4, mine)] == [items[0].key, items[3].key]
    assert listed_keys("- [ ] x <!-- tierbot:item 0123456789ab -->") == {"0123456789ab"}


def test_the_rotation_says_when_it_covers_the_rest() -> None:
    assert covered_by(Q4, 130, 25) == Quarter(2028, 2)
    assert covered_by(Q4, 1, 25) == Quarter(2027, 1)


def test_owners_follow_githubs_codeowners_rules_and_at_most_ten_are_assigned() -> None:
    text = "* @all\n/docs/ @docs\ndocs/b.md\ndocs/c.md @c @org/team c@example.com\n"
    owners = owners_of(text, ["docs/a.md", "docs/b.md", "docs/c.md", "x.md"])
    assert owners == {
        "docs/a.md": ("@docs",),
        "docs/c.md": ("@c", "@org/team", "c@example.com"),
        "x.md": ("@all",),
    }
    assert owners_of("[unclosed @x\n", ["a.md"]) == {}  # a file GitHub cannot read: no owners
    items = [item._replace(owners=(f"@u{n}", "@org/t", "@u0")) for n, item in enumerate(due(12))]
    assert assignees(items) == ("u0", "u1", "u10", "u11", "u2", "u3", "u4", "u5", "u6", "u7")


def test_parts_break_between_sections_and_the_dry_run_shows_them() -> None:
    body = "<!-- tierbot:quarterly 2026-Q4 sha=none -->\n## Head\n\n" + "".join(
        f"### Section {s}\n\n" + "".join(f"- line {s}.{n:05}\n" for n in range(2200)) + "\n"
        for s in range(3)
    )
    parts = split_body(body, Q4)
    assert len(parts) == 3
    for index, part in enumerate(parts):
        assert f"### Section {index}\n" in part and part.count("### ") == 1  # whole, alone
    plan = plan_quarter(stale_pages(3), TODAY, QuarterlyConfig(), Q4, sha=None, links=Links())
    long = plan._replace(body=body)
    shown = "\n".join(preview(long))
    assert shown.count(PART_RULE.format(index=3, count=3)) == 1
    assert all(part in shown for part in split_body(merge_ticks("", body), Q4))
