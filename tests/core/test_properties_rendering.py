"""Properties of rendering: any set of changed pages (so any finding set) makes a comment, a
check run and a quarterly issue within GitHub's limits, with contributor text escaped."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st
from support.pages import default_policy
from support.strategies import page_bytes, page_paths

from bot.core.config import Config, QuarterlyConfig
from bot.core.limits import BODY_LIMIT, CHECK_SUMMARY_LIMIT, size
from bot.core.quarterly.facts import read_pages
from bot.core.quarterly.model import Links, Quarter
from bot.core.quarterly.parts import merge_ticks, split_body
from bot.core.quarterly.plan import plan_quarter
from bot.core.review.check_run import review_output
from bot.core.review.model import ChangedPage, OnPullRequest
from bot.core.review.plan import review_pages

#: The only HTML tierbot writes itself: its markers, folded sections, small print.
OWN_TAGS = re.compile(r"<(?:/?(?:details|summary|sub)>|!-- tierbot:[^<>]*-->)")
MENTION = re.compile(r"@\w")
TAG = re.compile(r"<[A-Za-z/!?]")


def assert_escaped(text: str) -> None:
    """No `@name` that pings, no HTML tag but tierbot's own."""
    assert not MENTION.search(text), MENTION.search(text)
    stray = [m.start() for m in TAG.finditer(text) if not OWN_TAGS.match(text, m.start())]
    assert not stray, text[stray[0] - 40 : stray[0] + 40]


@st.composite
def changes(draw: st.DrawFn) -> list[ChangedPage]:
    """Changed pages, each page set repeated under other names to reach GitHub's limits."""
    paths = draw(st.lists(page_paths, min_size=1, max_size=6, unique=True))
    found = []
    for path in paths:
        status = draw(st.sampled_from(["added", "modified", "renamed", "removed"]))
        previous = draw(page_paths) if status == "renamed" else None
        base = None if status == "added" else draw(st.none() | page_bytes)
        head = None if status == "removed" else draw(st.none() | page_bytes)
        found.append(ChangedPage(path, status, previous, base, head))
    copies = draw(st.sampled_from([1, 1, 1, 40, 400]))
    return [
        c._replace(path=c.path.replace(".md", f"-{n}.md")) for n in range(copies) for c in found
    ]


#: What the property found: a comment cut by Python's length went past GitHub's, which
#: counts an emoji outside the BMP (each row's tier, each section's heading) twice.
MANY_BROKEN = [
    ChangedPage(f"docs/pattern-library/{name}-{n}.md", "added", head=head)
    for n in range(400)
    for name, head in (("@octocat", b""), ("p", None))
]


@example(MANY_BROKEN, False, [])
@given(changes(), st.booleans(), st.lists(st.sampled_from(["tier: gold", "ready"])))
def test_a_review_stays_within_github_limits_with_text_escaped(
    changed: list[ChangedPage], truncated: bool, labels: list[str]
) -> None:
    review = review_pages(
        changed,
        Config(),
        default_policy(),
        OnPullRequest(tuple(labels)),
        truncated,
        head_sha="0123456789abcdef" * 2 + "01234567",
        full_report="in the job summary",
    )
    assert size(review.comment) <= BODY_LIMIT
    assert_escaped(review.comment)
    output = review_output(review, "new-errors", "in the job summary")
    assert size(output.summary) <= CHECK_SUMMARY_LIMIT
    assert_escaped(output.summary)


@given(st.dictionaries(page_paths, page_bytes, min_size=1, max_size=8), st.sampled_from([1, 300]))
def test_a_quarterly_issue_stays_within_github_limits_with_text_escaped(
    pages: dict[str, bytes], copies: int
) -> None:
    contents = {
        path.replace(".md", f"-{n}.md"): data for n in range(copies) for path, data in pages.items()
    }
    quarter = Quarter(2025, 2)
    plan = plan_quarter(
        read_pages(contents, default_policy()),
        date(2025, 6, 1),
        QuarterlyConfig(),
        quarter,
        sha="a" * 40,
        links=Links(repository="octo/patterns"),
    )
    for part in split_body(merge_ticks("", plan.body), quarter):
        assert size(part) <= BODY_LIMIT
        assert_escaped(part)
