"""`review_and_publish`, scripted: the App's and `tierbot pr`'s one job, operation by operation."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from support.check_runs import BEGAN, CREATE, LIST, LOGIN, claim
from support.check_runs import OPEN as RUN
from support.pages import GOLD, default_policy, page
from support.reviews import HEAD, LIB, PR, REVISIONS, adding
from support.scripted import Script, like

from bot.core.config import CONFIG_PATH, DEFAULT_LABELS, Config
from bot.core.links import Links
from bot.core.markdown import escape
from bot.core.review.check_run import review_output, stopped_output, superseded_output
from bot.core.review.comment import render_review
from bot.core.review.model import ChangedPage
from bot.core.review.plan import review_pages
from bot.errors import ConfigError, RetryableError
from bot.jobs.review.publish import ReviewOutcome
from bot.jobs.review.pull_request import PullRequestOutcome, review_and_publish
from bot.port.drive import Recorder, dry, run
from bot.port.operations import (
    AddLabels,
    CreateCheckRun,
    CreateComment,
    CreateLabel,
    GetCheckRun,
    GetPullRequest,
    Job,
    ListComments,
    ListPullFiles,
    ReadFiles,
    UpdateCheckRun,
    UpdateComment,
    Write,
)
from bot.port.results import CheckRun, Comment, FileList

REPORT = "printed by `tierbot pr`"
NEWER = "d" * 40
#: 60 new pages, each with a new error and a new warning: 120 findings, 100 annotated.
PAGES = {
    f"{LIB}/generated/p{n:02}.md": page(GOLD, {"modern_examples": "", "production_checklist": None})
    for n in range(60)
}
REVIEW = review_pages(
    [ChangedPage(path, "added", head=text.encode()) for path, text in PAGES.items()],
    Config(),
    default_policy(),
    head_sha=HEAD,
    full_report=REPORT,
    links=Links.of_web_url(PR.html_url),  # the job links lines in the pull request's repository
    revisions=REVISIONS,
)
OUTPUT = review_output(REVIEW, "new-errors", REPORT)
DONE = replace(
    RUN, status="completed", conclusion="failure", title=OUTPUT.title, summary=OUTPUT.summary
)
LINKED = render_review(REVIEW, full_report=REPORT, check_run_url=RUN.html_url)
POSTED = Comment(101, LINKED, LOGIN, "https://github.com/o/r/pull/7#issuecomment-101")
LABELS = {spec.name: spec for spec in DEFAULT_LABELS.values()}
UNAVAILABLE = RetryableError("AddLabels: GitHub answered 503: Server Error", status=503)


def review(**kwargs) -> Job[PullRequestOutcome]:
    return review_and_publish(7, LOGIN, REPORT, **{"check_run": claim(), **kwargs})


def starting(*runs: CheckRun) -> list[tuple]:
    """The pull request read, our runs listed, and a new one created when none is listed (the
    runs listed again: no other review made one meanwhile)."""
    created = [] if runs else [(CREATE, RUN), (LIST, (RUN,))]
    return [(GetPullRequest(7), PR), (LIST, runs), *created]


def reviewed(head_now: str = HEAD) -> list[tuple]:
    """Every read of the review, then the pull request read again just before publishing."""
    return [*adding(PAGES), (GetPullRequest(7), replace(PR, head_sha=head_now))]


def labelling() -> list[tuple]:
    assert REVIEW.labels_add == ("needs: tier-metadata", "tier: gold")
    return [
        *[(CreateLabel(LABELS[name]), None) for name in REVIEW.labels_add],
        (AddLabels(7, REVIEW.labels_add), None),
    ]


def completing(run: CheckRun) -> list[tuple]:
    """The run read again (still this review's), then the two requests sending OUTPUT's 100
    annotations (of 120 findings), the last completing ``run``."""
    title, summary, notes = OUTPUT.title, OUTPUT.summary, OUTPUT.annotations
    return [
        (GetCheckRun(run.id), run),
        (UpdateCheckRun(run.id, None, None, title, summary, None, notes[:50]), run),
        (
            UpdateCheckRun(run.id, "completed", "failure", title, summary, None, notes[50:]),
            replace(run, status="completed"),
        ),
    ]


def stopping(cause: str, detail: str) -> list[tuple]:
    """RUN read again, then ended neutral with the reason."""
    said = stopped_output(cause, detail)
    return [
        (GetCheckRun(1), RUN),
        (UpdateCheckRun(1, "completed", "neutral", said.title, said.summary), RUN),
    ]


def writes(script: Script) -> list:
    return [op for op in script.executed if isinstance(op, Write)]


# --- a first review, and its rerun --------------------------------------------------------------


@pytest.mark.parametrize("driver", ["run", "run_async"])
def test_a_first_review_opens_the_run_publishes_then_completes_it(driver: str) -> None:
    script = Script(
        *starting(),  # in progress before the review's first read
        *reviewed(),
        (ListComments(7), ()),
        (CreateComment(7, LINKED), POSTED),
        *labelling(),
        *completing(RUN),
    )

    outcome = getattr(script, driver)(review(expected_head=HEAD))

    assert outcome == PullRequestOutcome(
        REVIEW._replace(comment=LINKED), ReviewOutcome(POSTED.html_url, 4), RUN.html_url
    )
    updates = [op for op in script.executed if isinstance(op, UpdateCheckRun)]
    # The 100 annotations shown (review_output's cap), the last request completing the run.
    assert [len(op.annotations) for op in updates] == [50, 50]
    assert [op.conclusion for op in updates] == [None, "failure"]
    assert "20 more findings are not annotated" in updates[0].summary


def test_the_comment_links_the_run_above_its_footer() -> None:
    link = (
        f"New findings are annotated on their lines in [the `tierbot` check run]({RUN.html_url})."
    )
    assert link in LINKED and LINKED.index(link) < LINKED.index("\n---\n<sub>tierbot")
    assert LINKED.replace(f"🔎 {link}\n\n", "") == REVIEW.comment


def test_a_rerun_with_nothing_changed_writes_nothing() -> None:
    labelled = replace(PR, labels=REVIEW.labels_add)
    script = Script(
        (GetPullRequest(7), labelled),
        (LIST, (DONE,)),  # completed by the first run, saying exactly this
        *adding(PAGES),
        (GetPullRequest(7), labelled),
        (ListComments(7), (POSTED,)),
    )

    outcome = script.run(review())

    assert writes(script) == []
    assert outcome.published == ReviewOutcome(POSTED.html_url, 0)
    assert outcome.check_run_url == DONE.html_url


def test_a_run_left_in_progress_by_a_review_that_died_is_taken_over_and_completed() -> None:
    killed = replace(RUN, external_id="delivery-0/dead", started_at=BEGAN - timedelta(hours=1))
    script = Script(
        *starting(killed),
        (UpdateCheckRun(1, external_id=RUN.external_id, started_at=BEGAN), RUN),
        *reviewed(),
        (ListComments(7), (POSTED,)),
        *labelling(),
        *completing(RUN),
    )

    assert script.run(review()).check_run_url == RUN.html_url
    assert not any(isinstance(op, CreateCheckRun | UpdateComment) for op in script.executed)


def test_a_completed_run_saying_something_else_gets_a_new_run_and_the_comment_its_link() -> None:
    stale = replace(DONE, title="An older review")
    fresh = replace(RUN, id=2, html_url="https://github.com/o/r/runs/2")
    relinked = render_review(REVIEW, full_report=REPORT, check_run_url=fresh.html_url)
    script = Script(
        *starting(stale),
        *reviewed(),
        (CREATE, fresh),  # GitHub appends annotations: the completed run cannot be redone
        (LIST, (fresh, stale)),
        (ListComments(7), (POSTED,)),
        (UpdateComment(POSTED.id, relinked), replace(POSTED, body=relinked)),
        *labelling(),
        *completing(fresh),
    )

    assert script.run(review()).check_run_url == fresh.html_url


# --- another review of the same head (another replica) ---------------------------------------

#: The run another live review created on the head first (the same delivery, another replica).
OTHERS = replace(RUN, id=2, html_url="https://github.com/o/r/runs/2", external_id="d-1/0the")


def test_while_another_review_holds_the_run_this_one_waits_then_writes_nothing() -> None:
    done = replace(DONE, id=OTHERS.id, html_url=OTHERS.html_url, external_id=OTHERS.external_id)
    theirs = render_review(REVIEW, full_report=REPORT, check_run_url=OTHERS.html_url)
    labelled = replace(PR, labels=REVIEW.labels_add)  # the other review set them meanwhile
    script = Script(
        (GetPullRequest(7), PR),
        (LIST, (OTHERS,)),  # no run of its own: the other review reports
        *adding(PAGES),
        (LIST, (OTHERS,)),  # still publishing
        (LIST, (done,)),  # completed, saying what this review says
        (GetPullRequest(7), labelled),
        (ListComments(7), (replace(POSTED, body=theirs),)),
    )

    outcome = script.run(review())

    assert writes(script) == []
    assert script.waits == [0.5]
    assert outcome.check_run_url == OTHERS.html_url and outcome.published.writes == 0


def test_when_the_other_review_stops_this_one_reports_in_a_run_of_its_own() -> None:
    said = stopped_output("ListPullFiles failed", "GitHub answered 502")
    stopped = replace(OTHERS, status="completed", conclusion="neutral", title=said.title)
    mine = replace(RUN, id=3, html_url="https://github.com/o/r/runs/3")
    relinked = render_review(REVIEW, full_report=REPORT, check_run_url=mine.html_url)
    script = Script(
        (GetPullRequest(7), PR),
        (LIST, (OTHERS,)),
        *adding(PAGES),
        (LIST, (stopped,)),
        (GetPullRequest(7), PR),
        (CREATE, mine),
        (LIST, (mine, stopped)),
        (ListComments(7), ()),
        (CreateComment(7, relinked), replace(POSTED, body=relinked)),
        *labelling(),
        *completing(mine),
    )

    assert script.run(review()).check_run_url == mine.html_url


# --- the head moved ----------------------------------------------------------------------------


def test_a_head_that_moved_during_the_review_discards_it_and_ends_the_run_superseded() -> None:
    superseded = superseded_output(NEWER)
    script = Script(
        *starting(),
        *reviewed(head_now=NEWER),
        (GetCheckRun(1), RUN),
        (
            UpdateCheckRun(1, "completed", "neutral", superseded.title, superseded.summary),
            replace(RUN, status="completed"),
        ),
    )

    outcome = script.run(review())

    assert outcome == PullRequestOutcome(REVIEW, None, RUN.html_url, superseded_by=NEWER)
    assert writes(script) == [CREATE, script.executed[-1]]  # no comment, no label


def test_a_completed_run_is_left_alone_when_the_head_moved() -> None:
    script = Script(*starting(DONE), *reviewed(head_now=NEWER))

    assert script.run(review()).superseded_by == NEWER
    assert writes(script) == []


def test_without_a_check_run_a_moved_head_writes_nothing() -> None:
    script = Script((GetPullRequest(7), PR), *reviewed(head_now=NEWER))

    outcome = script.run(review(check_run=False))

    assert outcome == PullRequestOutcome(REVIEW, superseded_by=NEWER)
    assert writes(script) == []


def test_a_pull_request_not_at_the_expected_head_is_skipped() -> None:
    script = Script((GetPullRequest(7), PR))

    assert script.run(review(expected_head=NEWER)) == PullRequestOutcome(None, superseded_by=HEAD)


# --- GitHub failing ------------------------------------------------------------------------------


def test_a_lasting_5xx_on_publishing_ends_the_run_neutral_and_is_raised() -> None:
    add = AddLabels(7, REVIEW.labels_add)
    script = Script(
        *starting(),
        *reviewed(),
        (ListComments(7), (POSTED,)),
        *[(CreateLabel(LABELS[name]), None) for name in REVIEW.labels_add],
        *[(add, UNAVAILABLE)] * 3,  # the driver's three attempts
        *stopping("AddLabels failed", "GitHub answered 503: Server Error"),
    )

    with pytest.raises(RetryableError) as raised:
        script.run(review())
    assert raised.value is UNAVAILABLE
    script.assert_done()


def test_a_comment_that_fails_twice_names_the_create() -> None:
    failed = RetryableError("CreateComment: GitHub answered 502: Bad Gateway", status=502)
    script = Script(
        *starting(),
        *reviewed(),
        (ListComments(7), ()),
        (CreateComment(7, LINKED), RetryableError("500", status=500)),
        (ListComments(7), ()),
        (CreateComment(7, LINKED), failed),
        *stopping("CreateComment failed", "GitHub answered 502: Bad Gateway"),
    )

    with pytest.raises(RetryableError, match="Bad Gateway"):
        script.run(review())
    script.assert_done()


def test_a_read_failing_during_the_review_ends_the_run_neutral() -> None:
    failing = RetryableError("ListPullFiles: GitHub answered 502: Server Error", status=502)
    script = Script(
        *starting(),
        *[(ListPullFiles(7), failing)] * 3,
        *stopping("ListPullFiles failed", "GitHub answered 502: Server Error"),
    )

    with pytest.raises(RetryableError):
        script.run(review())
    script.assert_done()


def test_invalid_settings_end_the_run_neutral_and_are_raised() -> None:
    stop = like(UpdateCheckRun, status="completed", conclusion="neutral", annotations=())
    script = Script(
        *starting(),
        (ListPullFiles(7), FileList(())),
        (ReadFiles(PR.base_sha, (CONFIG_PATH,)), {CONFIG_PATH: b"fail-on: sometimes\n"}),
        (GetCheckRun(1), RUN),
        (stop, RUN),
    )

    with pytest.raises(ConfigError) as raised:
        script.run(review())
    ended = script.executed[-1]
    assert ended.title == "Stopped: the settings are invalid"
    assert escape(str(raised.value)) in ended.summary


def test_github_failing_on_the_stop_too_still_raises_the_first_error() -> None:
    read, (stop, _) = stopping("AddLabels failed", "GitHub answered 503: Server Error")
    script = Script(
        *starting(),
        *reviewed(),
        (ListComments(7), (POSTED,)),
        *[(CreateLabel(LABELS[name]), None) for name in REVIEW.labels_add],
        *[(AddLabels(7, REVIEW.labels_add), UNAVAILABLE)] * 3,
        read,
        *[(stop, RetryableError("UpdateCheckRun: 503", status=503))] * 3,
    )

    with pytest.raises(RetryableError) as raised:
        script.run(review())
    assert raised.value is UNAVAILABLE


# --- without a check run, and dry -----------------------------------------------------------------


def test_without_a_check_run_the_review_is_published_as_before() -> None:
    script = Script(
        (GetPullRequest(7), PR),
        *reviewed(),
        (ListComments(7), ()),
        (CreateComment(7, REVIEW.comment), replace(POSTED, body=REVIEW.comment)),
        *labelling(),
    )

    outcome = script.run(review(check_run=False))

    assert outcome == PullRequestOutcome(REVIEW, ReviewOutcome(POSTED.html_url, 4))


def test_a_dry_run_records_the_run_it_would_create_and_links_none() -> None:
    script = Script((GetPullRequest(7), PR), (LIST, ()), *reviewed(), (ListComments(7), ()))
    recorder = Recorder()

    outcome = run(review(), dry(script.execute, recorder))

    script.assert_done()
    assert recorder.writes == [
        CREATE,
        CreateComment(7, REVIEW.comment),
        *[CreateLabel(LABELS[name]) for name in REVIEW.labels_add],
        AddLabels(7, REVIEW.labels_add),
    ]
    assert outcome.check_run_url is None
