"""The Forge contract for the promotion gate's reads: a pull request's reviews over several
pages, and team membership (active, pending, none), for every adapter over real HTTP."""

from __future__ import annotations

from support.fake_github import FakeGitHub
from support.forges import REPO

from bot.port import operations as ops
from bot.port.forge import Forge
from bot.port.results import PullReview


def test_reviews_are_listed_oldest_first_across_pages(forge: Forge, state: FakeGitHub) -> None:
    base = state.add_commit(REPO, {"a.md": "a"})
    head = state.add_commit(REPO, {"a.md": "b"}, parent=base)
    number = state.add_pull(REPO, base, head)
    ids = [
        state.add_review(REPO, number, f"user{n}", "COMMENTED" if n % 2 else "APPROVED", base)
        for n in range(103)  # GitHub's largest page is 100
    ]
    reviews = forge.execute(ops.ListPullReviews(number))
    assert [r.id for r in reviews] == ids
    assert reviews[0] == PullReview(ids[0], "user0", "APPROVED", base)
    assert reviews[1].state == "COMMENTED"
    assert len(state.requests_to(f"/pulls/{number}/reviews", "GET")) == 2


def test_team_membership_is_its_state_or_none(forge: Forge, state: FakeGitHub) -> None:
    state.add_team_member("octo/Maintainers", "Ana")
    state.add_team_member("octo/maintainers", "bo", state="pending")
    assert forge.execute(ops.GetTeamMembership("octo", "maintainers", "ana")) == "active"
    assert forge.execute(ops.GetTeamMembership("octo", "maintainers", "bo")) == "pending"
    assert forge.execute(ops.GetTeamMembership("octo", "maintainers", "cy")) is None
    assert forge.execute(ops.GetTeamMembership("octo", "writers", "ana")) is None
    asked = state.requests_to("/orgs/octo/teams/maintainers/memberships/ana", "GET")
    assert len(asked) == 1
