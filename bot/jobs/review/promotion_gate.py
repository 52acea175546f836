"""The promotion gate at a pull request's head, read from GitHub each time, and its outputs:
the App's `tierbot / promotion` check run and `tierbot pr`'s `tierbot/promotion` status."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.core.config import PromotionsConfig
from bot.core.review.gate import (
    Gate,
    Promotion,
    PullReview,
    approver_logins,
    approver_teams,
    decide,
    promotions_of,
    standing_approvals,
    touched,
)
from bot.core.review.gate_text import STATUS_STATES, gate_description, gate_output
from bot.core.review.model import Review
from bot.errors import ForgeError, NotFound
from bot.jobs.once import create_once
from bot.jobs.review.claim import is_ours
from bot.jobs.review.commit_status import set_status
from bot.port.operations import (
    CompareCommits,
    CreateCheckRun,
    GetCommitStatus,
    GetPullRequest,
    GetTeamMembership,
    Job,
    ListCheckRuns,
    ListPullReviews,
    UpdateCheckRun,
    ask,
)
from bot.port.results import CheckRun, CommitStatus

log = logging.getLogger(__name__)

CHECK_RUN_NAME = "tierbot / promotion"
STATUS_CONTEXT = "tierbot/promotion"
NO_TEAMS = (
    "team %s/%s could not be read (%s): give the token `members: read` (an App) or "
    "`read:org`; its members do not count meanwhile"
)


def evaluate_gate(number: int, review: Review) -> Job[Gate]:
    """The gate at ``review``'s head, as the base's config sets it (``review.promotions``):
    its promotions, and the approvals that stand there."""
    config = review.promotions
    promotions = promotions_of((page.change for page in review.pages), config)
    if not promotions:
        return Gate((), config.approvers)
    approvals = standing_approvals((yield from ask(ListPullReviews(number))))
    logins = approver_logins(config.approvers)
    others = [a.user for a in approvals if a.user.lower() not in logins]
    members = yield from _team_members(others, config.approvers)
    counted = [a for a in approvals if a.user.lower() in logins | members]
    untouched = yield from _untouched_since(counted, review.head_sha, promotions)
    return decide(
        promotions,
        approvals,
        config.approvers,
        members=members,
        head_sha=review.head_sha,
        untouched_since=untouched,
    )


def _team_members(users: Iterable[str], approvers: Iterable[str]) -> Job[frozenset[str]]:
    """Which of ``users`` (lower-cased) an approving team counts as an active member."""
    found: set[str] = set()
    teams = approver_teams(approvers)
    for user in dict.fromkeys(users):
        for org, slug in teams:
            try:
                state = yield from ask(GetTeamMembership(org, slug, user))
            except ForgeError as error:
                if error.status != 403:
                    raise
                log.warning(NO_TEAMS, org, slug, error)
                state = None
            if state == "active":
                found.add(user.lower())
                break
    return frozenset(found)


def _untouched_since(
    approvals: Iterable[PullReview], head_sha: str, promotions: tuple[Promotion, ...]
) -> Job[frozenset[str]]:
    """The commits approvals were given at since which no promoted page changed: one compare
    a commit. A commit GitHub no longer has (a force push) or a compare cut short counts as
    changed: the approval is asked again rather than assumed."""
    untouched = set()
    for commit in sorted({a.commit_id for a in approvals} - {head_sha, ""}):
        try:
            listed = yield from ask(CompareCommits(commit, head_sha))
        except NotFound:
            continue
        paths = [name for f in listed.files for name in (f.path, f.previous_path) if name]
        if not listed.truncated and not touched(paths, promotions):
            untouched.add(commit)
    return frozenset(untouched)


def gate_at_head(number: int, review: Review) -> Job[Gate | None]:
    """The gate, unless a promotion's head moved on meanwhile (its own review reports)."""
    gate = yield from evaluate_gate(number, review)
    if gate.state == "none":  # right for that commit whatever the head is now
        return gate
    now = yield from ask(GetPullRequest(number))
    return gate if now.head_sha == review.head_sha else None


def publish_gate_check_run(
    head_sha: str, gate: Gate, config: PromotionsConfig, login: str
) -> Job[bool]:
    """The `tierbot / promotion` run at ``head_sha`` saying ``gate``, updated when it says
    otherwise; whether a write was made. With the gate on, every head gets one, "No promotion"
    included, so a branch rule can require it; with it off, only a run left there from before
    is completed "No promotion"."""
    output = gate_output(gate, config.tiers)

    def found() -> Job[CheckRun | None]:
        runs = yield from ask(ListCheckRuns(head_sha, CHECK_RUN_NAME))
        return next((run for run in runs if is_ours(run, login)), None)

    run = yield from found()
    if run is None and not config.enabled:
        return False
    if run is not None and (run.status, run.conclusion, run.title, run.summary) == (
        "completed",
        output.conclusion,
        output.title,
        output.summary,
    ):
        return False
    if run is None:
        run = yield from create_once(CreateCheckRun(head_sha, CHECK_RUN_NAME), found)
    if run is not None:  # None: a dry run
        update = UpdateCheckRun(
            run.id, conclusion=output.conclusion, title=output.title, summary=output.summary
        )
        yield from ask(update)
    return True


def publish_gate_status(
    head_sha: str, gate: Gate, config: PromotionsConfig
) -> Job[tuple[CommitStatus, bool] | None]:
    """The `tierbot/promotion` status at ``head_sha`` while the gate is on (or one was set
    there before): pending until approved, then success, "No promotion" included so a branch
    rule can require it; it and whether it was written."""
    status = CommitStatus(STATUS_CONTEXT, STATUS_STATES[gate.state], gate_description(gate))
    if not config.enabled and (yield from ask(GetCommitStatus(head_sha, STATUS_CONTEXT))) is None:
        return None
    return status, (yield from set_status(head_sha, status))


def gate_check_run(number: int, review: Review, login: str) -> Job[str]:
    """The App's gate after a review (or an approval): its state's name, for the log. With
    the gate off, a run left at the head from before still says "No promotion"."""
    gate = yield from gate_at_head(number, review)
    if gate is None:
        return "superseded"
    written = yield from publish_gate_check_run(review.head_sha, gate, review.promotions, login)
    log.info("promotion gate: %s (%s)", gate.state, "written" if written else "unchanged")
    return gate.state


def gate_commit_status(number: int, review: Review) -> Job[tuple[CommitStatus, bool] | None]:
    """`tierbot pr`'s gate after its review: the `tierbot/promotion` status and whether it
    was written; None when the gate is off and no such status is there, or the head moved
    on."""
    gate = yield from gate_at_head(number, review)
    if gate is None:
        return None
    return (yield from publish_gate_status(review.head_sha, gate, review.promotions))
