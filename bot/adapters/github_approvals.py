"""The requests of the promotion gate's reads, sans I/O: a pull request's reviews, and whether
a reviewer is an active member of a team."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from bot.adapters import github_api
from bot.adapters.github_branches import BranchRequests
from bot.adapters.github_exchange import Exchange, Request, pages
from bot.port.operations import GetTeamMembership, ListPullReviews
from bot.port.results import PullReview


def _pull_review(data: Mapping[str, Any]) -> PullReview:
    # A pending review has no commit yet; it decides nothing.
    commit = data.get("commit_id") or ""
    return PullReview(data["id"], github_api.login_of(data.get("user")), data["state"], commit)


class ApprovalRequests(BranchRequests):
    """The exchanges of the approval reads, beside the branch ones."""

    def approval_exchanges(self) -> dict[type, Callable[[Any], Exchange[Any]]]:
        return {
            ListPullReviews: self._list_pull_reviews,
            GetTeamMembership: self._get_team_membership,
        }

    def _list_pull_reviews(self, op: ListPullReviews) -> Exchange[tuple[PullReview, ...]]:
        found = yield from pages(self._path(f"pulls/{op.number}/reviews"))
        return tuple(_pull_review(entry) for entry in found)

    def _get_team_membership(self, op: GetTeamMembership) -> Exchange[str | None]:
        org, team, user = (quote(name, safe="") for name in (op.org, op.team_slug, op.user))
        path = f"/orgs/{org}/teams/{team}/memberships/{user}"
        response = yield Request("GET", path, answered=(404,))
        return str(response.data["state"]) if response.status == 200 else None
