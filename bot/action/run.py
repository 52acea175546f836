"""`tierbot action`: read the event, run the mode's job, then annotate, summarise and output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.action.annotations import (
    not_annotated,
    pick_annotations,
    rank,
    review_annotations,
)
from bot.action.inputs import Inputs, mode_for
from bot.action.outputs import append_summary, outputs, write_outputs
from bot.action.ticks import run_ticks
from bot.adapters import git
from bot.adapters.branch import changed_pages
from bot.adapters.files import check_paths, pattern_pages
from bot.adapters.git import GitCheckout, library_source
from bot.adapters.pygithub import forge_from_env
from bot.core.failing import as_new, failing
from bot.core.limits import SUMMARY_LIMIT
from bot.core.quarterly.body import preview
from bot.core.quarterly.facts import parse_quarter, quarter_of
from bot.core.review.comment import render_review
from bot.core.review.gate_text import gate_report, gate_title
from bot.core.rules import report
from bot.core.rules.formats.text import as_text
from bot.errors import UsageError
from bot.jobs.quarterly.gather import QuarterlyRequest, quarterly_job
from bot.jobs.review.promotion_gate import gate_at_head
from bot.jobs.review.pull_request import review_and_publish
from bot.jobs.settings import settings_job
from bot.port.drive import Recorder, dry
from bot.port.drive import run as drive
from bot.port.forge import Forge


def run_action(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    inputs = Inputs.from_env(env)
    event_path = env.get("GITHUB_EVENT_PATH")
    if not event_path:
        raise UsageError(
            "GITHUB_EVENT_PATH is not set: `tierbot action` runs inside GitHub Actions"
        )
    event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    workspace = Path(env.get("GITHUB_WORKSPACE", "."))
    event_name = env.get("GITHUB_EVENT_NAME", "")
    mode = mode_for(event_name, inputs.mode)
    if mode == "quarterly" and event_name == "issues":  # a person ticked a box
        return run_ticks(event, _forge(inputs, env), env, inputs.dry_run)
    if mode == "review":
        return _review(inputs, event, workspace, env)
    if mode == "check":
        return _check(inputs, event, workspace, env)
    return run_action_quarterly(workspace, inputs.quarter, inputs.dry_run, _forge(inputs, env), env)


def _forge(inputs: Inputs, env: Mapping[str, str]) -> Forge:
    if not inputs.token:
        raise UsageError("input `github-token` is empty")
    return forge_from_env(env, inputs.token, env.get("GITHUB_REPOSITORY", ""))


def _summary_link(env: Mapping[str, str]) -> str:
    server = env.get("GITHUB_SERVER_URL", "https://github.com")
    repository, run_id = env.get("GITHUB_REPOSITORY"), env.get("GITHUB_RUN_ID")
    if repository and run_id:
        return f"in [the job summary]({server}/{repository}/actions/runs/{run_id})"
    return "in this run's job summary"


SUPERSEDED = (
    "The pull request's head is {now} now, not {head}: the run for {now} reviews it; this "
    "one wrote nothing."
)


def _review(
    inputs: Inputs, event: Mapping[str, Any], workspace: Path, env: Mapping[str, str]
) -> int:
    """Review the pull request the event names, as GitHub has it now (a re-run replays the
    event: its labels and head are history). Nothing is written for a head it no longer has."""
    payload = event["pull_request"]
    number, head_sha = int(payload["number"]), str(payload["head"]["sha"])
    forge = _forge(inputs, env)
    # Pages, config and rules at commits the checkout holds are read from it, not the API.
    checkout = GitCheckout(workspace, forge)
    recorder = Recorder()
    execute = dry(checkout.execute, recorder) if inputs.dry_run else checkout.execute
    job = review_and_publish(
        number,
        forge.login,
        _summary_link(env),
        expected_head=head_sha,
        overrides=inputs.overrides,
        comment=inputs.comment,
        labels=inputs.labels,
        suggestions=inputs.suggestions,
    )
    outcome = drive(job, execute)
    if inputs.dry_run:
        print("\n".join(recorder.report()), file=sys.stderr)  # the writes not made
    review, published = outcome.review, outcome.published
    moved = SUPERSEDED.format(now=outcome.superseded_by, head=head_sha)
    if review is None:  # the head moved on before the review began
        print(f"::notice title=tierbot: not reviewed::{moved}")
        append_summary(env.get("GITHUB_STEP_SUMMARY"), f"### tierbot\n\n{moved}\n")
        write_outputs(env.get("GITHUB_OUTPUT"), {"conclusion": "neutral"})
        return 0
    gate = None
    if published is not None and review.promotions.enabled:  # the head reviewed is the head
        gate = drive(gate_at_head(number, review), execute)
    annotations, left = review_annotations(review, outcome.fail_on)
    for line in annotations:
        print(line)
    if published is not None and published.cannot_write:  # nor could it suggest anything
        review = review.without_suggestions()
    summary = render_review(review, limit=SUMMARY_LIMIT, full_report="above", full=True)
    if left:
        summary += "\n" + not_annotated(left)
    if published is None:  # the head moved on during the review
        print(f"::notice title=tierbot: not published::{moved}")
        summary += f"\n> [!NOTE]\n> {moved}\n"
    elif published.cannot_write:
        print(f"::notice title=tierbot: no comment::{published.cannot_write}")
        summary += f"\n> [!IMPORTANT]\n> {published.cannot_write}\n"
    suggested = outcome.suggested
    if suggested and suggested.review_url:
        print(f"{suggested.posted} suggested fix(es): {suggested.review_url}")
    elif suggested and (suggested.problem or suggested.cannot_write):
        print(
            f"::notice title=tierbot: no suggestions::{suggested.problem or suggested.cannot_write}"
        )
    if gate is not None and gate.state != "none":
        level = "error" if gate.state == "required" else "notice"
        print(f"::{level} title=tierbot promotion gate::{gate_title(gate)}")
        summary += f"\n{gate_report(gate, review.promotions.tiers)}\n"
    append_summary(env.get("GITHUB_STEP_SUMMARY"), summary)
    errors = review.total("new", "error") + review.total("existing", "error")
    write_outputs(
        env.get("GITHUB_OUTPUT"),
        outputs(
            review.conclusion,
            (page.change.tier_head for page in review.pages),
            new_errors=review.total("new", "error"),
            errors=errors,
            warnings=review.total("new", "warning") + review.total("existing", "warning"),
            comment_url=published.comment_url if published else None,
        ),
    )
    print(f"tierbot: {review.conclusion}: {review.summary}")
    waiting = gate is not None and gate.state == "required"  # an approval re-runs the workflow
    return 1 if review.conclusion == "failure" or waiting else 0


def _check(
    inputs: Inputs, event: Mapping[str, Any], workspace: Path, env: Mapping[str, str]
) -> int:
    """A push: check the pattern pages it changed; any other event: every page checked out."""
    # Only a push's before/after are a range of commits to check; a pull_request
    # synchronize carries them too, but for its head branch, not the checked-out merge.
    push = env.get("GITHUB_EVENT_NAME") == "push"
    head = (event.get("after") if push else None) or "HEAD"
    checkout = GitCheckout(workspace)
    settings = drive(settings_job(head, inputs.overrides, where=head), checkout.execute)
    config = settings.config
    before = event.get("before", "") if push else ""
    if before and set(before) != {"0"} and git.has_commit(workspace, before):
        paths = changed_pages(workspace, before, head, config)
    else:  # a new branch, or history not fetched: check every page
        paths = [p.relative_to(workspace).as_posix() for p in pattern_pages(workspace, config)]
    checked = check_paths([workspace / path for path in paths], settings, workspace)
    reports = checked.reports
    annotations, left = pick_annotations(
        sorted(((r.path, f) for r in reports for f in r.findings), key=lambda e: rank(e[1]))
    )
    for line in annotations:
        print(line)
    totals = report.summary(reports)
    text = as_text(reports, checked.skipped)
    if left:
        text += "\n" + not_annotated(left)
    append_summary(env.get("GITHUB_STEP_SUMMARY"), f"### tierbot check\n\n```\n{text}\n```")
    failed = failing(config.fail_on, as_new(reports))
    write_outputs(
        env.get("GITHUB_OUTPUT"),
        outputs(
            "failure" if failed else "success",
            (tier for tier in totals["tiers"] if totals["tiers"][tier]),
            new_errors=totals["errors"],
            errors=totals["errors"],
            warnings=totals["warnings"],
        ),
    )
    return 1 if failed else 0


def run_action_quarterly(
    workspace: Path, quarter: str | None, dry_run: bool, forge: Forge, env: Mapping[str, str]
) -> int:
    """On `schedule` / `workflow_dispatch`: pages from the checkout, none via the API."""
    today = datetime.now(UTC).date()
    request = QuarterlyRequest(
        parse_quarter(quarter) if quarter else quarter_of(today),
        today,
        forge.login,
        env.get("GITHUB_SERVER_URL") or "https://github.com",
        env.get("GITHUB_REPOSITORY") or None,
    )
    executor, library = library_source(workspace, forge, fetch_missing=False)
    recorder = Recorder()
    execute = dry(executor.execute, recorder) if dry_run else executor.execute
    plan, outcome = drive(quarterly_job(request, library), execute)
    append_summary(env.get("GITHUB_STEP_SUMMARY"), plan.body)
    if dry_run:
        print("\n".join([*preview(plan), *recorder.report()]))
    write_outputs(
        env.get("GITHUB_OUTPUT"),
        outputs(
            "success",
            (tier for tier, count in plan.counts.items() if count),
            new_errors=0,
            errors=sum("errors" in item.kinds for item in (*plan.items, *plan.waiting)),
            warnings=0,
            issue_url=outcome.url,
        ),
    )
    print(f"tierbot: {plan.title}: {outcome.action} {outcome.url or ''}".rstrip())
    return 0
