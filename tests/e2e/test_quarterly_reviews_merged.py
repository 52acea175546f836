"""Reviewed pages leave the quarterly review: ticked boxes made into the quarter's pull
request by the job the App and the Action run, merged, and the next run no longer asks for
those pages (over real HTTP, against the fake GitHub, through the API alone)."""

from __future__ import annotations

from datetime import date

from support.fake_github.git_data import merge_pull
from support.pages import GOLD, page
from support.quarterly_site import QUARTERLY_REPO, QuarterlySite

from bot.core.markers import ITEM_LINE, normalize
from bot.core.quarterly.model import page_key
from bot.core.quarterly.reviewed import BoxEdit, reviewer
from bot.jobs.quarterly.box_edits import apply_box_edits
from bot.port.drive import run

LIB = "docs/pattern-library"
PAGES = {f"{LIB}/p{n}.md": page(GOLD, {"last_reviewed": "2024-01-01"}) for n in range(4)}
Q4_DAY, Q1_DAY = "2026-11-26", "2027-01-11"


def listed(site: QuarterlySite, number: int) -> set[str]:
    """The keys of the pages an issue asks to review."""
    return {key for _, _, key in ITEM_LINE.findall(normalize(site.text(number)))}


def test_merged_reviews_leave_the_next_quarter(quarterly_site: QuarterlySite) -> None:
    site, keys = quarterly_site, {page_key(path): path for path in PAGES}
    site.state.add_commit(QUARTERLY_REPO, dict(PAGES), branch="main")
    site.state.add_collaborator(QUARTERLY_REPO, "ana", "write")
    _, q4 = site.run(Q4_DAY, api=True)
    assert listed(site, q4.number) == set(keys)  # every page is overdue

    reviewed = sorted(keys)[:2]
    for key in reviewed:
        site.tick(q4.number, key)
    edit = BoxEdit("ana", reviewer("ana", None), tuple(reviewed))
    label = site.state.issue(QUARTERLY_REPO, q4.number).labels[0]
    job = apply_box_edits(q4.number, label, "main", [edit], site.forge().login, date(2026, 11, 26))
    outcome = run(job, site.forge().execute)
    assert outcome.action == "created" and len(outcome.pages) == 2
    merge_pull(site.state, QUARTERLY_REPO, outcome.pull)

    _, q1 = site.run(Q1_DAY, api=True)
    assert q1.number != q4.number
    assert listed(site, q1.number) == set(keys) - set(reviewed)
