"""The quarterly issue and the dashboard page `quarterly.dashboard` names, against the fake
GitHub: folded in the issue until the quarter's pull request refreshes it, then one line
linking that pull request, never the page twice."""

from __future__ import annotations

from support.git_repo import example_year
from support.quarterly_boxes import BRANCH, DASHBOARD
from support.quarterly_site import QUARTERLY_REPO, QuarterlySite

from bot.core.quarterly.body import DASHBOARD_HEAD

PAGE_TITLE = "# Pattern health dashboard"


def test_the_issue_links_the_pull_request_that_refreshes_the_page(
    quarterly_site: QuarterlySite,
) -> None:
    site, state = quarterly_site, quarterly_site.state
    example_year(site.repo)
    config = f"quarterly:\n  budget: 6\n  dashboard: {DASHBOARD}\n"
    site.repo.commit({".github/tierbot.yml": config}, message="a dashboard")
    site.run("2026-11-26")
    [issue] = site.reviews()
    assert f"````markdown\n{PAGE_TITLE}\n" in site.text(issue.number)

    base = state.add_commit(QUARTERLY_REPO, {"README.md": "r"}, branch="main")
    head = state.add_commit(QUARTERLY_REPO, {"README.md": "s"}, parent=base, branch=BRANCH)
    pull = state.add_pull(QUARTERLY_REPO, base, head, head_ref=BRANCH)
    site.run("2026-11-27")
    text = site.text(issue.number)
    assert PAGE_TITLE not in text and text.count(DASHBOARD_HEAD) == 1
    line = text.split(f"{DASHBOARD_HEAD}\n\n", 1)[1].split("\n", 1)[0]
    assert f"`{DASHBOARD}`" in line and f"[#{pull}](" in line
    assert line.split(f"[#{pull}](", 1)[1].startswith("http")
    assert f"/pull/{pull})" in line

    state.issue(QUARTERLY_REPO, pull).state = "closed"  # closed unmerged: the issue carries it
    site.run("2026-11-28")
    assert f"````markdown\n{PAGE_TITLE}\n" in site.text(issue.number)
