"""A review as its check run's output: title, summary, annotations; the stopped and superseded."""

from __future__ import annotations

import re

import pytest
from support.pages import GOLD, SILVER, default_policy, page

from bot.core.config import Config
from bot.core.limits import CHECK_ANNOTATIONS_SHOWN, CHECK_SUMMARY_LIMIT
from bot.core.links import Links
from bot.core.review.check_run import (
    DETAIL_LIMIT,
    CheckAnnotation,
    CheckOutput,
    review_output,
    stopped_output,
    superseded_output,
)
from bot.core.review.comment import render_review
from bot.core.review.model import ChangedPage, Review, Revisions
from bot.core.review.plan import review_pages
from bot.port.results import CheckAnnotation as PortCheckAnnotation

LIB = "docs/pattern-library"
REPORT = "printed by `tierbot pr`"
BROKEN_GOLD = page(GOLD, {"modern_examples": "", "production_checklist": None})  # error, warning


def review_of(*changes: ChangedPage, fail_on: str = "new-errors") -> Review:
    return review_pages(changes, Config(fail_on=fail_on), default_policy())


def added(name: str, text: str) -> ChangedPage:
    return ChangedPage(f"{LIB}/{name}", "added", head=text.encode())


#: A finding in every state and of every severity: new errors, warnings and a notice (the
#: promotion), one existing warning, one fixed, and a deleted page (a finding without a line).
EVERY_STATE = (
    added("a.md", BROKEN_GOLD),
    ChangedPage(f"{LIB}/b.md", "removed", base=page(GOLD).encode()),
    ChangedPage(
        f"{LIB}/d.md",
        "modified",
        base=page(SILVER, {"best_for": None, "introduced": "1990s"}).encode(),
        head=page(SILVER, {"trade_offs": None, "introduced": "1990s"}).encode(),
    ),
    ChangedPage(f"{LIB}/e.md", "modified", base=page(SILVER).encode(), head=page(GOLD).encode()),
)


def annotated(output: CheckOutput) -> list[tuple[str, int, str, str]]:
    return [
        (a.path.removeprefix(f"{LIB}/"), a.start_line, a.level, a.title) for a in output.annotations
    ]


def test_the_port_names_the_same_annotation_record() -> None:
    assert PortCheckAnnotation is CheckAnnotation


# --- title and conclusion -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "conclusion", "title"),
    [
        (
            EVERY_STATE,
            "failure",
            "2 new errors, 2 new warnings on 3 of 4 pages · 1 fixed · 1 promotion",
        ),
        ((added("a.md", page(GOLD)),), "success", "No new problems on 1 page"),
        ((), "neutral", "No pattern pages changed"),
    ],
    ids=["failing", "clean", "no-pages"],
)
def test_the_title_is_the_verdict_with_its_counts(changes, conclusion: str, title: str) -> None:
    output = review_output(review_of(*changes), "new-errors", REPORT)
    assert (output.conclusion, output.title) == (conclusion, title)


def test_the_title_is_the_summary_and_names_no_page() -> None:
    review = review_of(*(added(f"p{n:03}.md", BROKEN_GOLD) for n in range(50)), *EVERY_STATE)
    title = review_output(review, "new-errors", REPORT).title
    assert title == review.summary[:1].upper() + review.summary[1:]
    assert ".md" not in title and len(title) < 100


# --- summary --------------------------------------------------------------------------------


def test_the_summary_is_the_full_report_a_line_a_page_without_boxes() -> None:
    review = review_of(*EVERY_STATE)
    summary = review_output(review, "new-errors", REPORT).summary
    assert summary == render_review(
        review, limit=CHECK_SUMMARY_LIMIT, full_report=REPORT, full=True
    )
    # Nobody can tick a box in a check run: the items are plain, every page on a line of its own.
    assert "- [ ] " not in summary and "- ❌ **" in summary
    assert re.search(r"(?m)^  - `[a-z]\.md` line \d+", summary)


def test_a_long_summary_names_every_page_it_can_and_says_where_the_rest_is() -> None:
    review = review_pages(
        [added(f"p{n:03}.md", BROKEN_GOLD) for n in range(150)],
        Config(),
        default_policy(),
        head_sha="c" * 40,
        links=Links(repository="o/r"),  # each line linked
        revisions=Revisions("main", "origin/main", "b" * 40, "f" * 40),
    )
    summary = review_output(review, "new-errors", REPORT).summary
    assert len(summary) <= CHECK_SUMMARY_LIMIT
    # 150 pages, each linked on a line of its own, fit: the summary names them all.
    assert len(re.findall(r"(?m)^  - \[`p\d{3}\.md` line \d+\]", summary)) == 300
    assert "Shortened to fit" not in summary
    many = review._replace(pages=review.pages * 4)
    cut = review_output(many, "new-errors", REPORT).summary
    assert len(cut) <= CHECK_SUMMARY_LIMIT
    left = re.search(r"Shortened to fit: (\d+) new findings are not named here", cut)
    assert left and f"The full report is {REPORT}; " in cut
    assert f"`tierbot review --base {'b' * 40} --head {'c' * 40} --full`" in cut


def test_contributor_text_is_escaped_in_the_summary() -> None:
    hostile = '---\nexcellence_tier: "@octocat <img src=x onerror=alert(1)>"\n---\n# Hi\n'
    output = review_output(review_of(added("@octocat <img>.md", hostile)), "new-errors", REPORT)
    assert "<img" not in output.summary
    assert re.search(r"@(?!\u200b)", output.summary) is None
    assert "@\u200boctocat" in output.summary


# --- annotations ----------------------------------------------------------------------------


def test_new_findings_are_annotated_errors_first_with_their_levels() -> None:
    output = review_output(review_of(*EVERY_STATE), "new-errors", REPORT)
    assert annotated(output) == [
        ("a.md", 14, "failure", "gold-modern-examples"),
        ("b.md", 1, "failure", "pattern-deleted"),  # no line: the first
        ("a.md", 6, "warning", "gold-production-checklist"),
        ("d.md", 6, "warning", "silver-trade-offs"),
        ("e.md", 1, "notice", "tier-changed"),
    ]
    first = output.annotations[0]
    assert first.start_line == first.end_line and "modern_examples" in first.message


@pytest.mark.parametrize("fail_on", ["errors", "warnings"])
def test_existing_findings_follow_when_they_fail_the_review(fail_on: str) -> None:
    output = review_output(review_of(*EVERY_STATE, fail_on=fail_on), fail_on, REPORT)
    assert annotated(output)[5:] == [("d.md", 7, "warning", "introduced-format")]  # never fixed


def test_at_most_two_requests_of_annotations_new_errors_first_the_rest_counted() -> None:
    existing = page(SILVER, {"trade_offs": None, "introduced": "1990s"})  # one existing warning
    changes = [
        ChangedPage(
            f"{LIB}/old{n:02}.md", "modified", base=existing.encode(), head=existing.encode()
        )
        for n in range(3)
    ] + [added(f"p{n:02}.md", BROKEN_GOLD) for n in range(80)]  # 80 new errors, 80 warnings
    review = review_of(*changes, fail_on="errors")
    output = review_output(review, "errors", REPORT)
    everything = review.findings_to_annotate("errors")
    assert len(everything) == 166  # 160 new, 6 existing
    assert len(output.annotations) == CHECK_ANNOTATIONS_SHOWN == 100
    assert [a.level for a in output.annotations] == ["failure"] * 80 + ["warning"] * 20
    assert all(a.path.startswith(f"{LIB}/p") for a in output.annotations)  # new ones first
    assert output.summary.endswith(
        "66 more findings are not annotated on their lines: GitHub shows 100 annotations "
        "here, new problems and errors first; the report above lists every one."
    )
    assert len(output.summary) <= CHECK_SUMMARY_LIMIT
    few = review_output(review_of(added("a.md", BROKEN_GOLD)), "new-errors", REPORT)
    assert len(few.annotations) == 2 and "not annotated" not in few.summary


def test_the_action_annotates_in_the_same_order() -> None:
    from bot.action.annotations import review_annotations

    lines, left = review_annotations(review_of(*EVERY_STATE), "new-errors")
    assert [re.search(r"title=([\w-]+)", line)[1] for line in lines] == [
        "gold-modern-examples",
        "pattern-deleted",
        "gold-production-checklist",
        "silver-trade-offs",
        "tier-changed",
    ]
    assert left == 0


# --- the comment's link ---------------------------------------------------------------------


def test_the_comment_can_link_its_check_run_within_the_limit() -> None:
    url = "https://github.com/o/r/runs/42"
    review = review_of(*(added(f"p{n:03}.md", BROKEN_GOLD) for n in range(400)))
    linked = render_review(review, full_report=REPORT, check_run_url=url)
    assert f"[the `tierbot` check run]({url})" in linked
    assert linked.index(url) < linked.index("\n---\n<sub>tierbot")
    assert len(linked) <= CHECK_SUMMARY_LIMIT
    assert url not in render_review(review, full_report=REPORT)


# --- stopped and superseded -------------------------------------------------------------------


def test_a_stopped_run_is_neutral_and_says_what_failed() -> None:
    output = stopped_output("UpdateComment failed", "GitHub answered 502: <b>@team</b>")
    assert (output.conclusion, output.title, output.annotations) == (
        "neutral",
        "Stopped: UpdateComment failed",
        (),
    )
    assert "UpdateComment failed" in output.summary and "<b>" not in output.summary
    assert "@\u200bteam" in output.summary


def test_a_long_error_is_cut() -> None:
    summary = stopped_output("ReadFiles failed", "x" * 100_000).summary
    assert summary.count("x") == DETAIL_LIMIT


def test_a_superseded_run_is_neutral_and_names_the_new_head() -> None:
    output = superseded_output("d" * 40)
    assert (output.conclusion, output.title) == ("neutral", "Superseded by dddddddddddd")
    assert f"`{'d' * 40}`" in output.summary
