"""The quarterly review's dates: front matter first, else the last commit (from git); stale
pages as one section, oldest first; the plan as JSON; a revision compared instead of an issue."""

from __future__ import annotations

from datetime import UTC, date, datetime

from support.pages import DROP, GOLD, default_policy, page

from bot.core.config import Config, QuarterlyConfig
from bot.core.documents import parse_document
from bot.core.quarterly.due import due_items
from bot.core.quarterly.export import plain, plan_json
from bot.core.quarterly.facts import page_facts, undated, with_commit_dates
from bot.core.quarterly.model import Links, Previous, Quarter
from bot.core.quarterly.plan import plan_quarter
from bot.core.rules.evaluate import check_page
from bot.core.rules.repair import repair_page
from bot.core.tiers import REVIEW_FIELDS

LIB = "docs/pattern-library"
TODAY = date(2025, 12, 1)
UNDATED = {"last_updated": DROP}


def facts(name: str, changes: dict, committed: date | None = None):
    found = page_facts(f"{LIB}/{name}", page(GOLD, changes).encode(), default_policy())
    return found._replace(committed=committed)


def stale(pages) -> list[tuple[str, str]]:
    items = due_items(pages, QuarterlyConfig(), TODAY, {}, {})
    return [(i.path.rsplit("/", 1)[1], i.dated) for i in items if "stale" in i.kinds]


def test_a_page_without_a_date_is_dated_by_its_last_commit() -> None:
    fresh = facts("fresh.md", UNDATED, date(2025, 10, 1))
    old = facts("old.md", UNDATED, date(2023, 5, 4))
    assert stale([fresh, old]) == [("old.md", "🕰️ last changed 2023-05-04 (from git), 942 days ago")]


def test_the_front_matter_date_wins_over_a_newer_commit() -> None:
    # A commit that fixed a link is no review: last_updated still says when it was reviewed.
    reviewed = facts("p.md", {"last_updated": "2024-01-01"}, date(2025, 11, 30))
    assert stale([reviewed]) == [("p.md", "🕰️ last reviewed 2024-01-01, 700 days ago")]


def test_stale_pages_are_one_item_each_oldest_first_and_undated_ones_lead() -> None:
    pages = [
        facts("a-2024.md", {"last_updated": "2024-06-01"}),
        facts("b-2021.md", UNDATED, date(2021, 1, 1)),
        facts("c-never.md", UNDATED),  # no date and no commit: it may be the oldest of all
        facts("d-2023.md", {"last_reviewed": "2023-03-03", "last_updated": DROP}),
    ]
    assert [name for name, _ in stale(pages)] == [
        "c-never.md",
        "b-2021.md",
        "d-2023.md",
        "a-2024.md",
    ]
    never = dict(stale(pages))["c-never.md"]
    assert "no commit that dates it" in never


def test_a_hyphenated_date_is_named_and_key_spelling_reports_it() -> None:
    text = page(GOLD, {"last_updated": DROP, "last-updated": "2025-11-01"})
    found = page_facts(f"{LIB}/p.md", text.encode(), default_policy())
    ((_, detail),) = stale([found])
    assert "(the page has `last-updated`: rename it to `last_updated`)" in detail
    _, report = check_page("p.md", text.encode(), default_policy())
    assert [f.field for f in report.findings if f.rule == "key-spelling"] == ["last_updated"]


def test_only_active_undated_pages_are_looked_up_and_dates_fill_in() -> None:
    pages = [
        facts("dated.md", {}),
        facts("undated.md", UNDATED),
        facts("archive/gone.md", UNDATED),
    ]
    assert undated(pages) == [f"{LIB}/undated.md"]
    dates = {f"{LIB}/undated.md": datetime(2025, 9, 9, 23, 30, tzinfo=UTC)}
    assert [p.committed for p in with_commit_dates(pages, dates)] == [None, date(2025, 9, 9), None]


def test_the_plan_as_json_names_page_kinds_and_plain_reasons() -> None:
    pages = [facts("old.md", UNDATED, date(2023, 5, 4)), facts("ok.md", {})]
    plan = plan_quarter(
        pages, TODAY, QuarterlyConfig(), Quarter(2025, 4), sha="a" * 40, links=Links()
    )

    data = plan_json(plan)

    assert (data["version"], data["quarter"], data["sha"]) == (2, "2025-Q4", "a" * 40)
    assert data["items"] == [
        {
            "page": f"{LIB}/old.md",
            "tier": "gold",
            "kinds": ["stale"],
            "reasons": [],
            "dated": "last changed 2023-05-04 (from git), 942 days ago",
            "owners": [],
            "key": plan.items[0].key,
        }
    ]
    assert data["waiting"] == []
    assert plain("fails `` a`b ``, `x`") == "fails a`b, x"


def test_a_revision_is_compared_instead_of_an_issue() -> None:
    before = {f"{LIB}/p.md": "silver"}
    since = Previous(None, None, "b" * 40, before, ref="v1.0")
    pages = [page_facts(f"{LIB}/p.md", page(GOLD).encode(), default_policy())]
    plan = plan_quarter(
        pages,
        TODAY,
        QuarterlyConfig(),
        Quarter(2025, 4),
        sha="a" * 40,
        links=Links(),
        previous=since,
    )
    assert "Since revision `v1.0`, computed at `bbbbbbbbbbbb`:" in plan.body
    assert "| Since `v1.0` |" in plan.body
    assert "`p.md`: silver → gold" in plan.body


def _review_dates(data: bytes) -> dict[str, object]:
    """The page's review dates by field, a hyphenated spelling read as the field it means."""
    meta = parse_document("p.md", data).meta or {}
    return {
        str(key).replace("-", "_"): value
        for key, value in meta.items()
        if str(key).replace("-", "_") in REVIEW_FIELDS
    }


def test_no_fix_tierbot_makes_moves_a_review_date(corpus) -> None:
    """`last_reviewed` (and `last_updated`) move by a person's hand only: every fix `tierbot
    fix` would make to the corpus keeps their values (a misspelt key renamed keeps its date),
    and a fixed page's `last_reviewed` line is the same bytes."""
    from bot.adapters.files import pattern_pages

    policy = default_policy()
    repaired = 0
    for path in pattern_pages(corpus, Config()):
        before = path.read_bytes()
        result = repair_page(path.name, before, policy)
        assert _review_dates(result.after) == _review_dates(before), path
        repaired += result.changed
    assert repaired > 20  # the corpus has fixes to make: the check is not vacuous
    text = page(GOLD, {"last_reviewed": "2024-01-02 # by ana", "last_updated": DROP})
    text = text.replace("modern_examples:", "modern-examples:")  # a fix renames it
    result = repair_page("p.md", text.encode(), policy)
    assert result.changed and b"last_reviewed: 2024-01-02 # by ana\n" in result.after
