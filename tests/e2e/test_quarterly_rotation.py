"""The quarterly budget over real HTTP against the fake GitHub: four quarters in a row on the
shared corpus, the rotation listing every page once; a quarter's choice kept across reruns."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from support.quarterly_site import QUARTERLY_REPO, QuarterlySite

from bot.core.limits import BODY_LIMIT, size

#: Four quarters in a row, every page overdue all along (the corpus's newest date: 2025-08).
DAYS = ("2027-01-15", "2027-04-15", "2027-07-15", "2027-10-15")
COMMITTED = "2025-09-01T00:00:00Z"  # what dates the pages without a date of their own
BOX = re.compile(r"(?m)^- \[[ x]\] \[`[^`]+`\]\([^)]*/blob/[0-9a-f]{40}/([^)]+)\)")
DATED = re.compile(r"(?m)^last_updated: *\S.*$")


@pytest.fixture
def corpus_site(quarterly_site: QuarterlySite, corpus: Path) -> QuarterlySite:
    quarterly_site.repo.copy_tree(corpus)
    quarterly_site.repo.commit(message="DStudio at 9a0cc0b2", date=COMMITTED)
    return quarterly_site


def test_four_quarters_in_a_row_list_every_page_once(corpus_site: QuarterlySite) -> None:
    due = len(corpus_site.run(DAYS[0], dry_run=True)[0].waiting) + 25
    per_quarter = math.ceil(due / 4)
    settings = {".github/tierbot.yml": f"quarterly:\n  budget: {per_quarter}\n"}
    corpus_site.repo.commit(settings, date=COMMITTED)

    listed: list[list[str]] = []
    for day in DAYS:
        plan, outcome = corpus_site.run(day)
        issue = corpus_site.state.issue(QUARTERLY_REPO, outcome.number)
        pages = BOX.findall(issue.body)
        assert len(pages) == len(set(pages)) == len(plan.items) <= per_quarter
        assert corpus_site.state.comments(QUARTERLY_REPO, outcome.number) == []  # one part
        assert size(issue.body) < BODY_LIMIT
        listed.append(pages)
        if day == DAYS[0]:
            assert (
                f"at {per_quarter} a quarter (`quarterly.budget`), every one is listed by 2027-Q4"
                in issue.body
            )

    every = {item.path for item in (*plan.items, *plan.waiting)}
    assert len(every) == due
    assert set().union(*listed) == every  # the rotation covered the library
    first_three = listed[:3]  # no page twice before every page came up once
    assert len(set().union(*first_three)) == sum(map(len, first_three))


def test_a_quarters_choice_is_kept_when_one_of_its_pages_is_reviewed(
    corpus_site: QuarterlySite,
) -> None:
    corpus_site.repo.commit({".github/tierbot.yml": "quarterly: {budget: 100}\n"}, date=COMMITTED)
    plan, outcome = corpus_site.run(DAYS[0])
    reviewed = next(
        item.path
        for item in plan.items
        if item.kinds == ("stale",) and DATED.search(corpus_site.repo.read(item.path))
    )
    text = DATED.sub("last_updated: 2027-01-10", corpus_site.repo.read(reviewed), count=1)
    corpus_site.repo.commit({reviewed: text}, date="2027-01-10T00:00:00Z")

    again, _ = corpus_site.run(DAYS[0])

    assert [i.path for i in again.items] == [i.path for i in plan.items if i.path != reviewed]
    body = corpus_site.state.issue(QUARTERLY_REPO, outcome.number).body
    assert "**1 of 100 reviewed**" in body  # and no other page took its place
    assert "### Resolved since this issue opened (1)" in body
