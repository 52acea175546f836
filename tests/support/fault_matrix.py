"""The fault matrix's sites and faults: a job run over a GitHub adapter against the fake, one
request of it answered badly, and what the run leaves on GitHub.

    site = SITES["pr-first"]
    with FakeGitHubServer() as server, forge_maker("gidgethub", REPO) as make:
        site.seed(server.state)
        FAULTS["502"](server.state, "POST", site_path, after=0)   # the first such request
        result = drive(make(server), site.job())
        site.left(server.state)                                   # comments, labels, issues

The faults answer one request as GitHub or the network between can: 500 before any work,
502 after the work was done (a gateway lost GitHub's answer), 429 and a secondary-rate-limit
403 with ``Retry-After``, the answer lost after the work was done (the connection reset then,
as a proxy that gives up does), and a connection reset before any work. Only the faulted
request meets its fault, at once: no run waits for a clock, and the clients keep their usual
timeout. What a client's own timeout leaves the jobs is what a lost answer leaves them, a
``bot.errors`` error saying there was no answer: the adapter contract suite proves each
adapter maps a real timeout so (tests/adapters/test_forge_contract.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.core.markers import REVIEW
from bot.core.quarterly.facts import parse_quarter
from bot.jobs.quarterly.gather import QuarterlyRequest, quarterly_job
from bot.jobs.quarterly.publish import Timing
from bot.jobs.review.commit_status import with_commit_status
from bot.jobs.review.pull_request import review_and_publish
from bot.port.drive import run, run_async
from bot.port.forge import ACTIONS_LOGIN, Forge
from bot.port.operations import Job

from .fake_github import FakeGitHub
from .forges import SyncForge
from .pages import BRONZE, GOLD, SILVER, page
from .scripted import FAST

REPO = "octo/patterns"
LIB = "docs/pattern-library"
BOT = ACTIONS_LOGIN
NUMBER = 1  # the pull request the review sites open
#: A faulted run retries at once (GitHub's Retry-After of 0 included) and waits no poll long.
POLICY = FAST
TIMING = Timing(poll_seconds=0, polls=2)

Left = dict[str, Any]  # what a run leaves on GitHub, as a site sees it
Inject = Callable[..., None]  # (state, method, path, after=n): fault the n+1-th such request

#: The faults, by the name each column of the matrix has.
FAULTS: dict[str, Inject] = {
    "500": lambda s, m, p, after: s.fail_next(1, 500, method=m, path=p, after=after),
    "502": lambda s, m, p, after: s.fail_next(1, 502, method=m, path=p, after=after, landed=True),
    "429": lambda s, m, p, after: s.rate_limit_next(
        1, 429, retry_after=0, method=m, path=p, after=after
    ),
    "403": lambda s, m, p, after: s.rate_limit_next(
        1, 403, retry_after=0, method=m, path=p, after=after
    ),
    "lost": lambda s, m, p, after: s.reset_next(method=m, path=p, after=after, landed=True),
    "reset": lambda s, m, p, after: s.reset_next(method=m, path=p, after=after),
}


def drive(forge: Forge, job: Job[Any]) -> Any:
    """Run ``job`` as the entry points do: ``run``, or ``run_async`` for an async adapter."""
    if isinstance(forge, SyncForge):
        return forge.loop.run(run_async(job, forge.forge.execute, POLICY))
    return run(job, forge.execute, POLICY)


def newest_status(statuses: list[dict[str, Any]], sticky: int | None) -> dict[str, Any] | None:
    """The `tierbot` status GitHub shows, the newest of its context; a link to the sticky
    comment (``sticky``, its id) named so, as ids differ from run to run."""
    mine = [status for status in statuses if status["context"] == "tierbot"]
    if not mine:
        return None
    shown = {key: mine[-1][key] for key in ("sha", "state", "description", "target_url")}
    if sticky is not None and str(shown["target_url"]).endswith(f"#issuecomment-{sticky}"):
        shown["target_url"] = "the sticky comment"
    return shown


class PullSite:
    """A pull request `tierbot pr` reviews (a new error, a fix offered as a suggestion): a new
    one, or one reviewed at an earlier head (its comment outdated, a second comment of
    tierbot's, a tier label no longer right)."""

    def __init__(self, rerun: bool) -> None:
        self.rerun = rerun

    def seed(self, state: FakeGitHub) -> None:
        state.add_repo(REPO)
        base = state.add_commit(
            REPO, {f"{LIB}/a.md": page(GOLD), f"{LIB}/b.md": page(SILVER)}, branch="main"
        )
        head = state.add_commit(
            REPO,
            {
                # A new error, and a misspelt key whose fix is offered as a suggestion.
                f"{LIB}/a.md": page(GOLD, {"modern_examples": "", "introduced": "2007-3"}),
                f"{LIB}/c.md": page(BRONZE),
            },
            parent=base,
            branch="feature",
        )
        labels = ["ready", "tier: silver"] if self.rerun else ["ready"]
        assert state.add_pull(REPO, base, head, labels=labels) == NUMBER
        if self.rerun:
            state.add_comment(REPO, NUMBER, f"{REVIEW}\nAt an earlier head.", user=BOT)
            state.add_comment(REPO, NUMBER, f"{REVIEW}\nA replica's twin.", user=BOT)

    def job(self) -> Job[Any]:
        """The job `tierbot pr` runs: the review, published with its suggestions, then its
        commit status."""
        job = review_and_publish(NUMBER, BOT, "printed by `tierbot pr`", suggestions=True)
        return with_commit_status(job)

    def left(self, state: FakeGitHub) -> Left:
        """What the run leaves on GitHub: tierbot's comments, the labels, the statuses."""
        with state.lock:
            repo = state.repo(REPO)
            comments = sorted(
                (c for c in state.comments(REPO, NUMBER) if c.user == BOT), key=lambda c: c.id
            )
            return {
                "comments": [c.body for c in comments],
                "suggestions": sorted(
                    (c["path"], c["line"], c["body"]) for c in repo.review_comments.values()
                ),
                "reviews": len(repo.reviews),
                "labels": sorted(state.issue_labels(REPO, NUMBER)),
                "repository labels": sorted(
                    (label.name, label.color, label.description) for label in repo.labels.values()
                ),
                "status": newest_status(repo.statuses, comments[0].id if comments else None),
                "statuses set": len(repo.statuses),
            }

    def harm(self, before: Left, now: Left, expected: Left) -> list[str]:
        """What a stopped run must never leave: a second comment, a label lost, a status
        other than the review's own or one saying it could not review."""
        problems = []
        status = now["status"]
        if status not in (before["status"], expected["status"]) and status["state"] != "error":
            problems.append(f"a status {status['state']!r} for a review not published")
        if len(now["comments"]) > max(1, len(before["comments"])):
            problems.append("a second tierbot comment")
        if now["reviews"] > expected["reviews"]:
            problems.append("the suggestions posted twice")
        kept = set(before["labels"]) & set(expected["labels"])
        problems += [f"label {name!r} lost" for name in sorted(kept - set(now["labels"]))]
        return problems


Q1_COMMITTED, Q2_COMMITTED = "2025-03-14T10:00:00Z", "2025-05-20T10:00:00Z"


class QuarterSite:
    """The 2025-Q2 review issue opened through the API, the 2025-Q1 one still open: pages
    read at HEAD and at Q1's commit (one binary, read as a blob), a project looked up, the
    lock label taken and dropped, Q1's issue closed with a comment."""

    def seed(self, state: FakeGitHub) -> None:
        state.add_repo(REPO)
        state.add_repo("netflix/hystrix", stars=24_000, pushed_at="2025-05-01T00:00:00Z")
        # Dated, not "now": a cached fault-free run and a case on either side of midnight
        # would date the pages apart, and the issues they write would differ.
        q1 = state.add_commit(
            REPO, {f"{LIB}/a.md": page(GOLD), f"{LIB}/b.md": page(SILVER)}, date=Q1_COMMITTED
        )
        q2 = state.add_commit(
            REPO,
            {
                f"{LIB}/a.md": page(GOLD, {"health": "\n  repos: [netflix/hystrix]"}),
                f"{LIB}/c.md": page(BRONZE),
                f"{LIB}/d.md": b"---\ntitle: D\n---\n\0",
            },
            parent=q1,
            date=Q2_COMMITTED,
        )
        state.repo(REPO).branches["main"] = q2
        body = f"<!-- tierbot:quarterly 2025-Q1 sha={q1} -->\nThe first review."
        labels = ["tierbot: quarterly-review"]
        state.add_issue(REPO, "Pattern review 2025-Q1", body, user=BOT, labels=labels)

    def job(self) -> Job[Any]:
        request = QuarterlyRequest(
            parse_quarter("2025-Q2"), date(2025, 6, 1), BOT, repository=REPO, timing=TIMING
        )
        return quarterly_job(request)

    def left(self, state: FakeGitHub) -> Left:
        """What the run leaves on GitHub: the issues, their comments, the labels."""
        with state.lock:
            repo = state.repo(REPO)
            return {
                "issues": [
                    (i.number, i.title, i.body, i.state, i.state_reason, sorted(i.labels))
                    for i in sorted(repo.issues.values(), key=lambda i: i.number)
                ],
                "comments": sorted(
                    (c.issue_number, c.user, c.body) for c in repo.comments.values()
                ),
                "repository labels": sorted(label.name for label in repo.labels.values()),
            }

    def harm(self, before: Left, now: Left, expected: Left) -> list[str]:
        """What a stopped run must never leave: two issues or two comments for one thing."""
        titles = [issue[1] for issue in now["issues"]]
        problems = [f"two issues {t!r}" for t in sorted(set(titles)) if titles.count(t) > 1]
        comments = now["comments"]
        problems += [f"two comments {c[2][:40]!r}" for c in comments if comments.count(c) > 1]
        return sorted(set(problems))


#: The sites by the name each block of the matrix has.
SITES: dict[str, PullSite | QuarterSite] = {
    "pr-first": PullSite(rerun=False),
    "pr-rerun": PullSite(rerun=True),
    "quarterly": QuarterSite(),
}
