"""The quarterly review's pure planner: quarters, attention items, changes, ticks, parts, health."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from support.pages import BRONZE, DROP, GOLD, SILVER, body, default_policy, page

from bot.core.config import Config, HealthConfig, QuarterlyConfig
from bot.core.limits import BODY_LIMIT
from bot.core.markers import issue_marker, part_marker
from bot.core.quarterly.facts import (
    attention,
    changes_between,
    page_facts,
    parse_quarter,
    quarter_of,
    rotate,
    tier_counts,
)
from bot.core.quarterly.health import demotion_items, lookup_order, score, targets
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


def kinds(text: str, settings: QuarterlyConfig = SETTINGS, today: date = TODAY) -> list[str]:
    return [item.kind for item in attention([facts("p.md", text)], settings, today)]


NO_LINKS = Links()


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
    assert kinds(page(GOLD, {"excellence_tier": DROP})) == ["no-tier"]
    assert kinds(page(GOLD, {"excellence_tier": "platinum"})) == ["no-tier"]
    assert kinds(page(GOLD, text=body('!!! info "🥈 Silver Tier Pattern"'))) == ["banner"]
    assert kinds(page(BRONZE, {"modern_alternatives": ""})) == ["bronze"]
    one = "\n  - {company: A, implementation: B, scale: C}"
    assert kinds(page(GOLD, {"modern_examples": one})) == ["gold"]
    assert kinds(page(GOLD, {"modern_examples": one}), QuarterlyConfig(min_modern_examples=1)) == []


def test_error_rules_not_repeated_by_a_more_specific_item() -> None:
    # No modern_examples fails the error rule gold-modern-examples: the gold item says it all.
    assert kinds(page(GOLD, {"modern_examples": ""})) == ["gold"]
    # A broken front matter is only that: no tier, banner or staleness items on top.
    broken = attention([facts("b.md", "no front matter\n")], SETTINGS, TODAY)
    assert [(i.kind, i.detail) for i in broken] == [("errors", "fails `front-matter`")]


def test_items_come_in_priority_order_and_archived_pages_are_left_out() -> None:
    pages = [
        facts("z-stale.md", page(GOLD, {"last_updated": "2020-01-01"})),
        facts("a-gold.md", page(GOLD, {"modern_examples": ""})),
        facts("m-none.md", page(GOLD, {"excellence_tier": DROP})),
        facts("broken.md", "---\n[1, 2]\n---\n"),
        facts("archive/old.md", page(GOLD, {"last_updated": "2001-01-01"})),
    ]
    found = [(i.kind, i.path.rsplit("/", 1)[1]) for i in attention(pages, SETTINGS, TODAY)]
    assert found == [
        ("errors", "broken.md"),
        ("no-tier", "m-none.md"),
        ("stale", "z-stale.md"),
        ("gold", "a-gold.md"),
    ]


def test_item_keys_are_stable_per_kind_and_page() -> None:
    one = attention([facts("p.md", page(GOLD, {"last_updated": "2020-01-01"}))], SETTINGS, TODAY)
    two = attention([facts("p.md", page(GOLD, {"last_updated": "2021-01-01"}))], SETTINGS, TODAY)
    assert one[0].key == two[0].key and one[0].detail != two[0].detail
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
    assert f"[`{LIB}/x (1).md`]({url}) — last reviewed 2001-01-01" in result.body
    assert "- [ ] " in result.body and "<details><summary>🏆 gold (1)</summary>" in result.body


def test_page_text_is_escaped_in_the_body() -> None:
    evil = page(GOLD, {"excellence_tier": "'@admin <img src=x>'"})
    result = plan([facts("evil.md", evil)])
    assert "@admin" not in result.body and "<img" not in result.body
    assert "img src=x>` is not one of gold, silver, bronze" in result.body


def test_summary_counts_and_change_since_last_quarter() -> None:
    pages = [facts("a.md", page(GOLD)), facts("b.md", page(SILVER, {"last_updated": DROP}))]
    previous = Previous(Quarter(2025, 1), 7, "b" * 40, {f"{LIB}/a.md": "silver"})
    result = plan(pages, previous)
    assert "| Tier | Pages | Since 2025-Q1 | Need attention |" in result.body
    assert "| 🏆 gold | 1 | +1 | 0 |" in result.body
    assert "| 🥈 silver | 1 | 0 | 1 |" in result.body
    assert "Since the 2025-Q1 review (#7)" in result.body
    assert "**Promoted (1)**" in result.body and "**Added (1)**" in result.body
    first = plan(pages)
    assert "| 🏆 gold | 1 | — | 0 |" in first.body and "first quarterly review" in first.body
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
    assert [i.path for i in demotion_items(report, tiers, day)] == ["g1.md", "g3.md"]
    # A project not looked up (skipped or unknown) clears nobody and condemns nobody.
    partial = HealthReport({"g1.md": ("a/x", "d/w")}, {"a/x": repo(1, None, archived=True)})
    assert demotion_items(partial, tiers, day) == []


def test_health_section_in_the_plan() -> None:
    config = Config(quarterly=QuarterlyConfig(health=HealthConfig({f"{LIB}/a.md": ("a/x",)})))
    pages = [facts("a.md", page(GOLD))]
    wanted = targets(pages, config.quarterly.health.repos)
    report = HealthReport(wanted, {}, ("a/x",), "at most 0 requests a run")
    result = plan(pages, health=report)
    assert "1 repository not looked up (at most 0 requests a run): `a/x`" in result.body
    assert "not looked up" in result.body and "health" not in {i.kind for i in result.items}
    assert "No page names upstream projects" in plan(pages).body


def test_the_corpus_plans(corpus) -> None:
    from bot.adapters.files import pattern_pages
    from bot.core.quarterly.facts import read_pages

    config = Config()
    contents = {
        p.relative_to(corpus).as_posix(): p.read_bytes() for p in pattern_pages(corpus, config)
    }
    result = plan_quarter(
        read_pages(contents, default_policy()),
        date(2026, 11, 26),
        config.quarterly,
        Quarter(2026, 4),
        sha=None,
        links=Links(),
    )
    assert result.counts["gold"] == 45 and result.counts["silver"] == 57
    assert result.counts["bronze"] == 7
    assert any(item.kind == "banner" for item in result.items)
