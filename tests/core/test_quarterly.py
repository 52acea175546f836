"""The quarterly review's pure planner: quarters, attention items, changes, ticks, parts, health."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from support.pages import BRONZE, DROP, GOLD, SILVER, body, default_policy, page

from bot.core.config import Config, HealthConfig, QuarterlyConfig
from bot.core.limits import BODY_LIMIT, size
from bot.core.markers import issue_marker, part_marker
from bot.core.quarterly.due import due_items
from bot.core.quarterly.facts import (
    changes_between,
    page_facts,
    parse_quarter,
    quarter_of,
    rotate,
    tier_counts,
)
from bot.core.quarterly.health import demotions, lookup_order, score, targets
from bot.core.quarterly.model import (
    HealthReport,
    Links,
    Previous,
    Quarter,
    RepositoryHealth,
    as_date,
)
from bot.core.quarterly.parts import join_parts, merge_ticks, split_body
from bot.core.quarterly.plan import plan_quarter
from bot.errors import UsageError

LIB = "docs/pattern-library"
TODAY = date(2025, 6, 1)
Q2 = Quarter(2025, 2)
SETTINGS = QuarterlyConfig()


def facts(path: str, text: str):
    return page_facts(f"{LIB}/{path}", text.encode(), default_policy())


def due(pages, settings: QuarterlyConfig = SETTINGS, today: date = TODAY):
    return due_items(pages, settings, today, {}, {})


def kinds(text: str, settings: QuarterlyConfig = SETTINGS, today: date = TODAY) -> list[str]:
    return [kind for item in due([facts("p.md", text)], settings, today) for kind in item.kinds]


NO_LINKS = Links()
SILVER_BANNER = '!!! info "🥈 Silver Tier Pattern"'


def plan(pages, previous=None, health=None, settings=SETTINGS, links=NO_LINKS):
    return plan_quarter(
        pages, TODAY, settings, Q2, sha="a" * 40, links=links, previous=previous, health=health
    )


# --- quarters and dates --------------------------------------------------------------------------


def test_quarter_arithmetic() -> None:
    assert quarter_of(date(2026, 11, 26)) == Quarter(2026, 4)
    assert quarter_of(date(2026, 1, 1)).id == "2026-Q1"
    assert quarter_of(date(2026, 3, 31)).id == "2026-Q1"
    assert quarter_of(date(2026, 4, 1)).id == "2026-Q2"
    assert parse_quarter(" 2026-Q4 ") == Quarter(2026, 4)
    assert Quarter(2025, 4) < Quarter(2026, 1) < Quarter(2026, 2)
    assert Quarter(2026, 4).ordinal == 2026 * 4 + 4
    for bad in ("2026-Q5", "2026Q1", "Q1-2026", ""):
        with pytest.raises(UsageError):
            parse_quarter(bad)


def test_assignees_rotate_by_quarter_and_reruns_keep_them() -> None:
    rota = ("ana", "bo", "cy")
    picked = [rotate(rota, Quarter(2026, q))[0] for q in (1, 2, 3, 4)]
    assert sorted(set(picked)) == ["ana", "bo", "cy"] and picked[0] != picked[1]
    assert rotate(rota, Quarter(2026, 2)) == rotate(rota, Quarter(2026, 2))
    assert rotate((), Quarter(2026, 1)) == ()


def test_review_dates_take_yaml_dates_datetimes_and_strings() -> None:
    assert as_date(date(2025, 1, 2)) == date(2025, 1, 2)
    assert as_date(datetime(2025, 1, 2, 13, 0)) == date(2025, 1, 2)
    assert as_date("2025-01-02") == date(2025, 1, 2)
    assert as_date("2025-01-02T10:00:00+02:00") == date(2025, 1, 2)
    for junk in ("last spring", "2025-13-01", "2025-01", 20250102, None, ["2025-01-02"]):
        assert as_date(junk) is None


# --- attention -----------------------------------------------------------------------------------


def test_a_clean_fresh_page_needs_nothing() -> None:
    assert kinds(page(GOLD)) == []
    assert kinds(page(SILVER, {"last_updated": "2025-03-01"})) == []
    assert kinds(page(BRONZE)) == []


def test_staleness_uses_last_reviewed_then_last_updated() -> None:
    assert kinds(page(GOLD, {"last_updated": "2024-01-01"})) == ["stale"]
    fresh = {"last_updated": "2020-01-01", "last_reviewed": "2025-05-01"}
    assert kinds(page(GOLD, fresh)) == []
    assert kinds(page(GOLD, {"last_updated": "'not a date'"})) == ["stale"]
    assert kinds(page(GOLD, {"last_updated": DROP})) == ["stale"]
    assert (
        kinds(page(GOLD, {"last_updated": "2024-01-01"}), QuarterlyConfig(max_age_days=600)) == []
    )
    # Exactly the limit is not over it.
    assert kinds(page(GOLD, {"last_updated": "2024-06-02"})) == []


def test_each_kind_of_attention() -> None:
    assert kinds(page(GOLD, {"excellence_tier": DROP})) == ["errors"]  # tier-missing says it
    assert kinds(page(GOLD, {"excellence_tier": "platinum"})) == ["errors"]  # so does tier-invalid
    assert kinds(page(GOLD, text=body(SILVER_BANNER))) == ["banner"]
    assert kinds(page(BRONZE, {"modern_alternatives": ""})) == ["errors"]
    one = "\n  - {company: A, implementation: B, scale: C}"
    assert kinds(page(GOLD, {"modern_examples": one})) == ["gold"]
    assert kinds(page(GOLD, {"modern_examples": one}), QuarterlyConfig(min_modern_examples=1)) == []


def test_a_failing_rule_names_the_problem_and_its_fix_once() -> None:
    # No modern_examples fails the error rule gold-modern-examples: the contradiction is not
    # said again; the line says what to do, the rule and what is wrong, as the review does.
    [item] = due([facts("g.md", page(GOLD, {"modern_examples": "", "last_updated": "2020-01-01"}))])
    assert item.kinds == ("errors", "stale")
    assert item.reasons[0].detail == (
        "❌ **Add a `modern_examples` list: at least 2 entries, each with company, "
        "implementation and scale.** `gold-modern-examples` — Gold pattern without "
        "`modern_examples` (it is empty)."
    )
    assert item.dated == "🕰️ last reviewed 2020-01-01, 1978 days ago"
    # A broken front matter is only that: no tier, banner or contradiction on top.
    [broken] = due([facts("b.md", "no front matter\n")])
    assert broken.kinds == ("errors", "stale") and "`front-matter`" in broken.reasons[0].detail


def test_one_item_per_page_in_priority_order_and_archived_pages_left_out() -> None:
    pages = [
        facts("z-stale.md", page(GOLD, {"last_updated": "2020-01-01"})),
        facts("y-staler.md", page(GOLD, {"last_updated": "2019-01-01"})),
        facts("a-gold.md", page(GOLD, {"modern_examples": "\n  - {company: A}"})),
        facts("m-banner.md", page(GOLD, {"last_updated": "2001-01-01"}, text=body(SILVER_BANNER))),
        facts("broken.md", "---\n[1, 2]\n---\n"),
        facts("archive/old.md", page(GOLD, {"last_updated": "2001-01-01"})),
    ]
    found = [(i.path.rsplit("/", 1)[1], i.kinds) for i in due(pages)]
    assert found == [
        ("broken.md", ("errors", "stale")),
        ("m-banner.md", ("banner", "stale")),  # contradictions, the oldest first
        ("a-gold.md", ("gold",)),
        ("y-staler.md", ("stale",)),
        ("z-stale.md", ("stale",)),
    ]


def test_item_keys_are_stable_per_page_whatever_it_needs() -> None:
    one = due([facts("p.md", page(GOLD, {"last_updated": "2020-01-01"}))])
    two = due([facts("p.md", page(GOLD, {"last_updated": "2021-01-01", "excellence_tier": DROP}))])
    assert one[0].key == two[0].key and one[0].kinds != two[0].kinds
    assert re.fullmatch(r"[0-9a-f]{12}", one[0].key)


# --- since last review ---------------------------------------------------------------------------


def test_changes_between_two_inventories() -> None:
    before = {
        "d/kept.md": "gold",
        "d/up.md": "silver",
        "d/down.md": "gold",
        "d/gone.md": "bronze",
        "d/old.md": "bronze",
        "d/untiered.md": None,
    }
    after = {
        "d/kept.md": "gold",
        "d/up.md": "gold",
        "d/down.md": "bronze",
        "d/archive/old.md": "bronze",
        "d/new.md": "silver",
        "d/untiered.md": "gold",  # getting a tier is not a promotion
    }
    changes = changes_between(before, after)
    assert changes.added == ("d/new.md",)
    assert changes.removed == ("d/gone.md",)
    assert changes.archived == (("d/old.md", "d/archive/old.md"),)
    assert changes.promoted == (("d/up.md", "silver", "gold"),)
    assert changes.demoted == (("d/down.md", "gold", "bronze"),)
    assert changes_between(after, after).empty


def test_tier_counts() -> None:
    counts = tier_counts({"a.md": "gold", "b.md": None, "archive/c.md": "gold", "d.md": "gold"})
    assert counts == {"gold": 2, "silver": 0, "bronze": 0, "none": 1, "archived": 1}


# --- the plan and its body -----------------------------------------------------------------------


def test_plan_title_labels_marker_and_links() -> None:
    settings = QuarterlyConfig(labels=("review", "docs"), assignees=("ana", "bo"))
    links = Links("https://ghe.example.com/", "octo/patterns", "a" * 40)
    result = plan(
        [facts("x (1).md", page(GOLD, {"last_updated": "2001-01-01"}))], None, None, settings, links
    )
    assert result.title == "Pattern review 2025-Q2"
    assert result.labels == ("review", "docs") and len(result.assignees) == 1
    assert result.body.splitlines()[0] == f"<!-- tierbot:quarterly 2025-Q2 sha={'a' * 40} -->"
    assert issue_marker(result.body) == ("2025-Q2", "a" * 40)
    url = f"https://ghe.example.com/octo/patterns/blob/{'a' * 40}/{LIB}/x%20%281%29.md"
    assert f"[`x (1).md`]({url}) · 🏆 gold · 🕰️ last reviewed 2001-01-01, " in result.body
    assert "pages under `docs/pattern-library/`" in result.body
    assert "- [ ] " in result.body and "<details><summary>🏆 gold (1)</summary>" in result.body


def test_page_text_is_escaped_in_the_body() -> None:
    evil = page(GOLD, {"excellence_tier": "'@admin <img src=x>'"})
    result = plan([facts("evil.md", evil)])
    assert "@admin" not in result.body and "<img" not in result.body
    assert "is `@\u200badmin <\u200bimg src=x>`; it must be" in result.body  # in a code span


def test_summary_counts_and_change_since_last_quarter() -> None:
    pages = [facts("a.md", page(GOLD)), facts("b.md", page(SILVER, {"last_updated": DROP}))]
    previous = Previous(Quarter(2025, 1), 7, "b" * 40, {f"{LIB}/a.md": "silver"})
    result = plan(pages, previous)
    assert "| Tier | Pages | In this review | Overdue | Failing | Since 2025-Q1 |" in result.body
    assert "| 🏆 gold | 1 | 0 | 0 | 0 | +1 |" in result.body
    assert "| 🥈 silver | 1 | 1 | 1 | 0 | 0 |" in result.body
    assert "| **active pages** | 2 | 1 | 1 | 0 | +1 |" in result.body
    assert "Since the 2025-Q1 review (#7)" in result.body
    assert "**Promoted (1)**" in result.body and "**Added (1)**" in result.body
    first = plan(pages)
    assert "| 🏆 gold | 1 | 0 | 0 | 0 |\n" in first.body and "first quarterly review" in first.body
    unread = plan(pages, Previous(Quarter(2025, 1), 7, "b" * 40, None))
    assert "which could not be read" in unread.body


# --- ticks ---------------------------------------------------------------------------------------


def _tick(text: str, key: str) -> str:
    return re.sub(rf"(?m)^- \[ \](.*{key} -->)$", r"- [x]\1", text)


def test_merge_ticks_keeps_ticks_and_moves_what_no_longer_applies() -> None:
    stale = {"last_updated": "2001-01-01"}
    a, b, c = (facts(n, page(GOLD, stale)) for n in ("a.md", "b.md", "c.md"))
    first = plan([a, b, c])
    keys = [item.key for item in first.items]
    person = _tick(_tick(first.body, keys[0]), keys[1]).replace("\n", "\r\n")
    fixed = plan([a, facts("b.md", page(GOLD)), facts("c.md", page(GOLD))])
    merged = merge_ticks(person, fixed.body)
    assert re.search(rf"(?m)^- \[x\] .*{keys[0]} -->$", merged)  # ticked, still applies
    resolved = merged.split("### Resolved since this issue opened (2)")[1]
    assert f"resolved {keys[1]}" in resolved and f"resolved {keys[2]}" in resolved
    assert f"item {keys[1]}" not in merged
    # Idempotent, and a resolved item that applies again comes back unticked.
    assert merge_ticks(merged, fixed.body) == merged
    again = merge_ticks(merged, first.body)
    assert re.search(rf"(?m)^- \[ \] .*{keys[1]} -->$", again)
    assert "Resolved since" not in again.split("### Since last review")[0].replace(
        "*Resolved since this issue opened*", ""
    )


def test_merge_ticks_with_nothing_old_is_the_new_body() -> None:
    body_ = plan([facts("a.md", page(GOLD, {"last_updated": "2001-01-01"}))]).body
    assert merge_ticks("", body_) == body_


# --- parts ---------------------------------------------------------------------------------------


def test_split_body_keeps_every_line_under_the_limit_and_details_balanced() -> None:
    pages = [facts(f"p{n:04}.md", page(GOLD, {"last_updated": "2001-01-01"})) for n in range(1500)]
    whole = plan(pages, links=Links("https://github.com", "o/r", "a" * 40)).body
    parts = split_body(whole, Q2)
    assert len(parts) >= 3
    assert all(len(part) < BODY_LIMIT for part in parts)
    assert issue_marker(parts[0]) == ("2025-Q2", "a" * 40)
    assert [part_marker(p) for p in parts[1:]] == [("2025-Q2", n) for n in range(2, len(parts) + 1)]
    for part in parts:
        assert part.count("<details>") == part.count("</details>")
    original = [line for line in whole.splitlines() if line.startswith("- ")]
    rejoined = [
        line for line in join_parts(parts[0], parts[1:]).splitlines() if line.startswith("- ")
    ]
    assert rejoined == original
    assert split_body(plan(pages[:3]).body, Q2)[1:] == []


# --- health --------------------------------------------------------------------------------------


def repo(stars: int, pushed: str | None, archived: bool = False) -> RepositoryHealth:
    return RepositoryHealth("o/r", stars, pushed, archived)


def test_health_score_thresholds() -> None:
    day = date(2026, 1, 1)
    assert score(repo(10_000, "2025-12-20T00:00:00Z"), day) == 70
    assert score(repo(9_999, "2025-11-01T00:00:00Z"), day) == 30 + 20
    assert score(repo(1_000, "2025-03-01T00:00:00Z"), day) == 30 + 10
    assert score(repo(100, "2024-01-01T00:00:00Z"), day) == 20
    assert score(repo(99, None), day) == 10
    assert score(repo(50_000, "2025-12-31T00:00:00Z", archived=True), day) == 40


def test_health_targets_come_from_front_matter_and_config() -> None:
    with_repos = page(GOLD, {"health": "\n  repos: [netflix/hystrix, 'not a repo']"})
    pages = [
        facts("a.md", with_repos),
        facts("b.md", page(SILVER)),
        facts("archive/c.md", with_repos),
    ]
    wanted = targets(pages, {f"{LIB}/b.md": ("resilience4j/resilience4j",)})
    assert wanted == {
        f"{LIB}/a.md": ("netflix/hystrix",),
        f"{LIB}/b.md": ("resilience4j/resilience4j",),
    }
    tiers = {f"{LIB}/a.md": "silver", f"{LIB}/b.md": "gold"}
    assert lookup_order(wanted, tiers) == ["resilience4j/resilience4j", "netflix/hystrix"]


def test_gold_pages_on_archived_or_idle_projects_are_demotion_candidates() -> None:
    day = date(2026, 1, 1)
    report = HealthReport(
        {"g1.md": ("a/x",), "g2.md": ("a/x", "b/y"), "g3.md": ("c/z",), "s.md": ("a/x",)},
        {
            "a/x": repo(5, "2025-12-01T00:00:00Z", archived=True),
            "b/y": repo(5, "2025-12-01T00:00:00Z"),
            "c/z": repo(5000, "2024-06-01T00:00:00Z"),
        },
    )
    tiers = {"g1.md": "gold", "g2.md": "gold", "g3.md": "gold", "s.md": "silver"}
    assert list(demotions(report, tiers, day)) == ["g1.md", "g3.md"]
    # A project not looked up (skipped or unknown) clears nobody and condemns nobody.
    partial = HealthReport({"g1.md": ("a/x", "d/w")}, {"a/x": repo(1, None, archived=True)})
    assert demotions(partial, tiers, day) == {}


def test_health_section_in_the_plan() -> None:
    config = Config(quarterly=QuarterlyConfig(health=HealthConfig({f"{LIB}/a.md": ("a/x",)})))
    pages = [facts("a.md", page(GOLD))]
    wanted = targets(pages, config.quarterly.health.repos)
    report = HealthReport(wanted, {}, ("a/x",), "at most 0 requests a run")
    result = plan(pages, health=report)
    assert "1 repository not looked up (at most 0 requests a run): `a/x`" in result.body
    assert "not looked up" in result.body and result.items == ()
    assert "No page names upstream projects" in plan(pages).body


def test_the_corpus_when_every_page_is_overdue(corpus) -> None:
    """The acceptance's first half: at most `budget` page lines, no page twice, no section
    split, under GitHub's limit, and a summary whose numbers are not the page counts."""
    from bot.adapters.files import library_in

    library = library_in(corpus)
    result = plan_quarter(
        library.pages,
        date(2026, 11, 26),
        library.config.quarterly,
        Quarter(2026, 4),
        sha=None,
        links=Links("https://github.com", "deepaucksharma/DStudio", "HEAD"),
    )
    assert result.counts["gold"] == 44 and result.counts["silver"] == 57  # one gold: a module
    active = sum(result.counts[t] for t in ("gold", "silver", "bronze", "none"))
    assert len(result.items) + len(result.waiting) == active  # every page is due
    lines = [line for line in result.body.splitlines() if line.startswith("- [ ] ")]
    assert len(lines) == len(result.items) == 25
    assert len({item.path for item in result.items}) == 25
    for item in result.items:  # each page on one line, and on no other box
        assert sum(f"/{item.path})" in line for line in lines) == 1
    assert [len(p) for p in split_body(merge_ticks("", result.body), result.quarter)] == [
        len(result.body) + len("<!-- tierbot:quarterly-parts 1 -->\n")
    ]
    assert size(result.body) < BODY_LIMIT
    rows = re.findall(r"(?m)^\| (?:🏆|🥈|🥉|❔|\*\*)[^|]*((?:\| [^|]* )+)\|$", result.body)
    numbers = [[cell.strip() for cell in row.split("|")[1:]] for row in rows]
    assert len(numbers) == 5 and all(len(set(row)) > 1 for row in numbers)
    assert any("banner" in item.kinds for item in (*result.items, *result.waiting))
