"""`quarterly_job` and its reads, scripted: the library, the last review, health, then publish."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from support.pages import DROP, GOLD, SILVER, default_policy, page
from support.scripted import Script, like, reply

from bot.core import markers
from bot.core.config import CONFIG_PATH, Config, HealthConfig, LabelSpec, QuarterlyConfig
from bot.core.quarterly.facts import earlier_quarters, quarter_end, read_pages
from bot.core.quarterly.model import Library, Quarter, RepositoryHealth
from bot.errors import ConfigError, NotFound
from bot.jobs.quarterly.gather import QuarterlyRequest, quarterly_job
from bot.jobs.quarterly.library import NO_GITHUB, library_at
from bot.jobs.quarterly.publish import SUPERSEDED_COMMENT, QuarterlyOutcome, Timing
from bot.port.drive import Recorder, dry, run
from bot.port.forge import ACTIONS_LOGIN
from bot.port.operations import (
    CommitAsOf,
    CompareCommits,
    CreateComment,
    CreateIssue,
    CreateLabel,
    DeleteLabel,
    GetRepository,
    LastCommitDates,
    ListComments,
    ListIssues,
    ListTree,
    ReadFiles,
    ResolveRef,
    UpdateIssue,
)
from bot.port.results import ChangedFile, FileList, Issue

LIB = "docs/pattern-library"
BREAKER, CHUNKING = f"{LIB}/resilience/circuit-breaker.md", f"{LIB}/scaling/chunking.md"
SHA, OLD = "a" * 40, "c" * 40
Q2 = Quarter(2025, 2)
LABEL = "tierbot: quarterly-review"
LOCK = "tierbot-lock: 2025-Q2"
LOCK_SPEC = LabelSpec(LOCK, "EDEDED", "tierbot is creating this quarter's review issue")
HEALTHY = '\n  repos:\n    - acme/breaker\n    - acme/gone\n    - "not a repo"'
FILES = {
    BREAKER: page(GOLD, {"last_updated": "2025-05-01", "health": HEALTHY}).encode(),
    CHUNKING: page(SILVER, {"last_updated": DROP, "last-updated": "2025-05-01"}).encode(),
}
PAGES = tuple(read_pages(FILES, default_policy()))
REQUEST = QuarterlyRequest(Q2, date(2025, 6, 1), ACTIONS_LOGIN, repository="o/r", timing=Timing(0))
OFFLINE = replace(REQUEST, offline=True)
#: Chunking spells `last-updated`: no front-matter date, so its last commit dates it.
DATED = (LastCommitDates(SHA, (CHUNKING,)), {CHUNKING: datetime(2025, 5, 20, tzinfo=UTC)})
Q1_ISSUE = Issue(
    3,
    "Pattern review 2025-Q1",
    markers.QUARTERLY_ISSUE.format(quarter="2025-Q1", sha=OLD) + "\nOld.",
    "open",
    "https://github.com/o/r/issues/3",
    (LABEL,),
)


def past(*answers: str | None) -> list:
    """The commits the ends of 2024-Q3, 2024-Q4 and 2025-Q1 are found at, for the chart."""
    quarters = earlier_quarters(Q2, 3)
    return [(CommitAsOf(SHA, quarter_end(q)), a) for q, a in zip(quarters, answers, strict=True)]


NO_PAST = past(None, None, None)


def library(**quarterly) -> Library:
    return Library(Config(quarterly=QuarterlyConfig(**quarterly)), default_policy(), SHA, PAGES)


def creation(made: dict[str, Issue], *earlier: Issue, close_previous: bool = True) -> list:
    """The steps of a first run once the library is read: the lock, the issue, the sync."""

    def create(op: CreateIssue) -> Issue:
        made["issue"] = Issue(5, op.title, op.body, "open", "https://github.com/o/r/issues/5")
        return replace(made["issue"], labels=op.labels)

    def listed(op: ListIssues) -> tuple[Issue, ...]:
        return (*earlier, replace(made["issue"], labels=(LABEL,)))  # the lock came off

    steps = [
        (CreateLabel(LOCK_SPEC), None),
        (ListIssues(LABEL, "all"), earlier),
        (like(CreateIssue, title="Pattern review 2025-Q2", labels=(LABEL, LOCK)), reply(create)),
        (DeleteLabel(LOCK), None),
        (ListIssues(LABEL, "all"), reply(listed)),
        (ListComments(5), ()),
    ]
    return [*steps, (ListIssues(LABEL, "all"), reply(listed))] if close_previous else steps


def test_a_given_library_is_not_read_again() -> None:
    plain = Library(Config(), default_policy(), None, PAGES)  # a plain directory: no commit
    made: dict[str, Issue] = {}
    script = Script(
        (ListIssues(LABEL, "all"), ()),
        (GetRepository("acme/breaker"), RepositoryHealth("acme/breaker", 5000, None, False)),
        (GetRepository("acme/gone"), NotFound("no such repository", status=404)),
        *creation(made),
    )

    plan, outcome = script.run(quarterly_job(REQUEST, plain))

    assert not [op for op in script.executed if isinstance(op, (ResolveRef, ListTree, ReadFiles))]
    assert plan.sha is None
    assert markers.issue_marker(made["issue"].body) == ("2025-Q2", None)
    assert outcome == QuarterlyOutcome("created", 5, made["issue"].html_url, 3)


def test_the_library_at_head_then_the_last_review_then_health() -> None:
    config = b"quarterly:\n  health:\n    max-requests: 1\n"
    made: dict[str, Issue] = {}
    superseded = markers.SUPERSEDED.format(quarter="2025-Q2")
    closing = SUPERSEDED_COMMENT.format(marker=superseded, quarter="2025-Q2", number=5)
    script = Script(
        (ResolveRef("HEAD"), SHA),
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: config}),
        (ListTree(SHA), ("README.md", BREAKER, f"{LIB}/index.md", CHUNKING)),
        (ReadFiles(SHA, (BREAKER, CHUNKING)), FILES),
        (ListIssues(LABEL, "all"), (Q1_ISSUE,)),
        (ListTree(OLD), (BREAKER,)),  # the inventory at the last review's commit
        (ReadFiles(OLD, (BREAKER,)), {BREAKER: page(SILVER).encode()}),
        (CompareCommits(OLD, SHA), FileList((ChangedFile(CHUNKING, "added"),))),
        *past(None, OLD, OLD),  # 2024-Q4 and 2025-Q1 ended at OLD: read once, above
        DATED,
        (GetRepository("acme/breaker"), RepositoryHealth("acme/breaker", 5000, None, True)),
        *creation(made, Q1_ISSUE),
        (ListComments(3), ()),
        (CreateComment(3, closing), None),
        (UpdateIssue(3, state="closed", state_reason="completed"), Q1_ISSUE),
    )

    plan, outcome = script.run(quarterly_job(REQUEST))

    assert (plan.sha, outcome.action, outcome.closed) == (SHA, "created", (3,))
    assert markers.issue_marker(made["issue"].body) == ("2025-Q2", SHA)
    assert "#3" in plan.body and "silver → gold" in plan.body  # compared with Q1's commit
    assert 'x-axis ["2024-Q4", "2025-Q1", "2025-Q2"]' in plan.body  # 2024-Q3: no commit yet
    assert "`acme/gone`" in plan.body  # skipped: one request a run
    assert "not a repo" not in plan.body
    assert [(i.kind, i.path) for i in plan.items if i.kind == "stale"] == []  # git dated it


def test_an_unreadable_last_commit_still_links_the_last_review() -> None:
    made: dict[str, Issue] = {}
    script = Script(
        (ListIssues(LABEL, "all"), (Q1_ISSUE,)),
        (ListTree(OLD), NotFound("No commit found for the ref", status=404)),
        *NO_PAST,
        DATED,
        *creation(made, Q1_ISSUE, close_previous=False),
    )

    no_lookups = library(close_previous=False, health=HealthConfig(max_requests=0))

    plan, outcome = script.run(quarterly_job(REQUEST, no_lookups))

    assert outcome.action == "created" and "#3" in plan.body


def test_offline_looks_nothing_up() -> None:
    made: dict[str, Issue] = {}
    script = Script(
        (ListIssues(LABEL, "all"), ()), *NO_PAST, DATED, *creation(made, close_previous=False)
    )

    plan, _ = script.run(quarterly_job(OFFLINE, library(close_previous=False)))

    assert NO_GITHUB in plan.body


def test_no_quarterly_label_is_a_config_error_before_any_request() -> None:
    script = Script()

    with pytest.raises(ConfigError, match=r"`quarterly\.labels`"):
        script.run(quarterly_job(REQUEST, library(labels=())))
    assert script.executed == []


def test_a_dry_run_only_reads() -> None:
    script = Script(
        (ListIssues(LABEL, "all"), ()),
        *NO_PAST,
        DATED,
        (ListIssues(LABEL, "all"), ()),  # holding the (unmade) lock
        (ListIssues(LABEL, "all"), ()),  # the safety net: the dry run's issue is not there
    )
    recorder = Recorder()

    _, outcome = run(quarterly_job(OFFLINE, library()), dry(script.execute, recorder))

    script.assert_done()
    assert [type(op).__name__ for op in recorder.writes] == [
        "CreateLabel",
        "CreateIssue",
        "DeleteLabel",
    ]
    assert outcome == QuarterlyOutcome("created", writes=3)


def test_library_at_lists_the_tree_once_and_reads_only_pattern_pages() -> None:
    script = Script(
        (ResolveRef("v1.0"), SHA),
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: None}),
        (ListTree(SHA), ("README.md", f"{LIB}/index.md")),
    )

    snap = script.run(library_at("v1.0"))

    assert (snap.sha, snap.pages) == (SHA, ())


def test_a_comparison_github_refuses_names_no_renames() -> None:
    made: dict[str, Issue] = {}
    script = Script(
        (ListIssues(LABEL, "all"), (Q1_ISSUE,)),
        (ListTree(OLD), (BREAKER,)),
        (ReadFiles(OLD, (BREAKER,)), {BREAKER: page(GOLD).encode()}),
        (CompareCommits(OLD, SHA), NotFound("No common ancestor", status=404)),
        *NO_PAST,
        DATED,
        *creation(made, Q1_ISSUE, close_previous=False),
    )

    no_lookups = library(close_previous=False, health=HealthConfig(max_requests=0))

    plan, outcome = script.run(quarterly_job(REQUEST, no_lookups))

    assert outcome.action == "created" and "**Added (1)**" in plan.body  # chunking, by path
    assert "Renamed" not in plan.body
