"""Claims on the `tierbot` check run, scripted: replicas sharing nothing but GitHub never write
one run twice. Two reviews of one head: the newest run stays, another live review's run is
waited out, a dead review's is taken over once its lease runs out."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from support.check_runs import BEGAN, CREATE, ID, LIST, LOGIN, OPEN, claim, completed, output
from support.reviews import HEAD
from support.scripted import Script

from bot.core.review.check_run import surplus_output
from bot.jobs.review.check_run import complete_check_run, settle_check_run, start_check_run
from bot.jobs.review.claim import LEASE, POLLS, await_check_run, claim_new_run, new_claim
from bot.port.operations import GetCheckRun, UpdateCheckRun

#: The run another review (the same delivery, on another replica) created and holds.
OTHER = replace(OPEN, id=2, html_url="https://github.com/o/r/runs/2", external_id="delivery-1/0the")
SURPLUS = surplus_output()
END_SURPLUS = UpdateCheckRun(1, "completed", "skipped", SURPLUS.title, SURPLUS.summary)


def taking_over(started_at=BEGAN) -> UpdateCheckRun:
    return UpdateCheckRun(2, external_id=ID, started_at=started_at)


# --- the claim ----------------------------------------------------------------------------------


def test_a_review_holds_only_its_own_run_in_progress() -> None:
    mine = claim()
    assert mine.holds(OPEN)
    assert not mine.holds(completed(output(1)))
    assert not mine.holds(OTHER)
    assert not mine.busy(OPEN) and not mine.stale(OPEN)


def test_another_reviews_run_is_busy_until_its_lease_runs_out() -> None:
    mine = claim()
    unnamed = replace(OTHER, external_id="")  # an older tierbot's run: anyone's, leased alike
    for run in (OTHER, unnamed):
        assert mine.busy(run) and not mine.stale(run)
    assert not mine.busy(completed(output(1), OTHER))
    mine.pause(LEASE.total_seconds())
    for run in (OTHER, unnamed):
        assert mine.stale(run) and not mine.busy(run)
    assert not mine.stale(completed(output(1), OTHER))


def test_new_claims_name_their_origin_and_never_repeat() -> None:
    first, second = new_claim("72d4e5f0-1c2b"), new_claim("72d4e5f0-1c2b")
    assert first.id.startswith("72d4e5f0-1c2b/") and second.id.startswith("72d4e5f0-1c2b/")
    assert first.id != second.id  # one delivery sent to two replicas: two reviews
    assert first.began.tzinfo is not None and first.waited == 0


# --- two reviews creating at once ---------------------------------------------------------------


def test_of_two_runs_created_at_once_the_older_ends_skipped_and_follows_the_newer() -> None:
    script = Script((CREATE, OPEN), (LIST, (OTHER, OPEN)), (END_SURPLUS, completed(SURPLUS)))

    assert script.run(claim_new_run(HEAD, LOGIN, claim())) == OTHER


def test_of_two_runs_created_at_once_the_newer_stays_and_the_older_is_left_to_its_review() -> None:
    mine = replace(OPEN, id=3)
    script = Script((CREATE, mine), (LIST, (mine, OTHER)))

    assert script.run(claim_new_run(HEAD, LOGIN, claim())) == mine


def test_a_run_another_live_review_holds_is_not_claimed_at_the_start() -> None:
    script = Script((LIST, (OTHER,)))

    assert script.run(start_check_run(HEAD, LOGIN, claim())) == OTHER  # awaited later


# --- waiting out another review -----------------------------------------------------------------


def test_a_review_waits_until_the_other_reviews_run_completes() -> None:
    done = completed(output(15), OTHER)
    script = Script((LIST, (OTHER,)), (LIST, (OTHER,)), (LIST, (done,)))

    assert script.run(await_check_run(OTHER, LOGIN, claim())) == done
    assert script.waits == [POLLS[0], POLLS[1]]  # looked at once, then soon again


def test_a_run_whose_review_died_is_taken_over_once_its_lease_runs_out(caplog) -> None:
    waits = [*POLLS]
    while sum(waits) < LEASE.total_seconds():
        waits.append(POLLS[-1])
    taken = replace(OTHER, external_id=ID)
    after = BEGAN + timedelta(seconds=sum(waits))
    looks = [(LIST, (OTHER,))] * (1 + len(waits))  # at once, then after each wait
    script = Script(*looks, (taking_over(after), taken))

    with caplog.at_level(logging.WARNING):
        assert script.run(await_check_run(OTHER, LOGIN, claim())) == taken
    assert script.waits == waits  # each wait at most 15 s, the lease in all
    assert "taking https://github.com/o/r/runs/2 over: delivery-1/0the held it" in caplog.text


def test_a_redelivery_long_after_a_review_died_takes_its_run_over_at_once() -> None:
    killed = replace(OTHER, started_at=BEGAN - LEASE - timedelta(minutes=1))
    taken = replace(OTHER, external_id=ID)
    script = Script((LIST, (killed,)), (taking_over(), taken))

    assert script.run(start_check_run(HEAD, LOGIN, claim())) == taken
    assert script.waits == []


# --- settling on a run --------------------------------------------------------------------------


def test_the_other_reviews_run_saying_the_same_gets_no_write() -> None:
    done = completed(output(15), OTHER)
    script = Script((LIST, (done,)))

    assert script.run(settle_check_run(OTHER, output(15), LOGIN, claim())) == done


def test_two_reviews_recreating_a_run_at_once_end_on_the_newer_saying_the_same() -> None:
    said = output(15)
    stale = completed(output(3), replace(OPEN, id=0))  # before the base's config changed
    newer = replace(OTHER, id=5)
    script = Script(
        (CREATE, OPEN),
        (LIST, (newer, OPEN, stale)),
        (END_SURPLUS, completed(SURPLUS)),
        (LIST, (completed(said, newer), OPEN, stale)),
    )

    assert script.run(settle_check_run(stale, said, LOGIN, claim())) == completed(said, newer)


# --- completing a run held by a claim -----------------------------------------------------------


def test_a_run_taken_over_gets_only_the_requests_its_dead_review_did_not_make() -> None:
    said = output(70)
    held = replace(OPEN, title=said.title, summary=said.summary, annotations_count=50)
    script = Script(
        (GetCheckRun(1), held),
        (
            UpdateCheckRun(
                1, "completed", "failure", said.title, said.summary, None, said.annotations[50:]
            ),
            completed(said, held),
        ),
    )

    script.run(complete_check_run(held, said, claim()))


def test_a_review_whose_run_was_taken_over_writes_it_no_more(caplog) -> None:
    said = output(120)
    taken = replace(OPEN, external_id="delivery-2/7a4e", annotations_count=50)
    script = Script(
        (GetCheckRun(1), OPEN),
        # The answer shows the run as the request left it: another review decided this one
        # had died and took the run over meanwhile.
        (
            UpdateCheckRun(1, None, None, said.title, said.summary, None, said.annotations[:50]),
            taken,
        ),
    )

    with caplog.at_level(logging.WARNING):
        script.run(complete_check_run(OPEN, said, claim()))
    assert "runs/1 is delivery-2/7a4e's now: this review leaves it" in caplog.text
