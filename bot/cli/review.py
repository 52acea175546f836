"""`tierbot review` (a local git range, offline) and `tierbot pr` (a live pull request)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from bot.adapters.git import GitCheckout, remote_url
from bot.core.limits import SUMMARY_LIMIT
from bot.core.links import Links, github_remote
from bot.core.review.comment import render_review, review_json
from bot.core.review.model import Review
from bot.errors import UsageError
from bot.jobs.review.claim import new_claim
from bot.jobs.review.commit_status import StatusOutcome, with_commit_status
from bot.jobs.review.gather import review_range
from bot.jobs.review.promotion_gate import gate_commit_status
from bot.jobs.review.pull_request import review_and_publish
from bot.jobs.review.suggestions import SuggestionOutcome
from bot.port.drive import Recorder, dry, run

_PR = re.compile(r"(?P<repo>[\w.-]+/[\w.-]+)#(?P<number>\d+)")

SUPERSEDED = "The head moved on to {sha} during the review: nothing was published; run again."


def print_review(review: Review, output_format: str, full: bool = False) -> None:
    """Exactly what would be posted: the comment (or with ``full``, the unabridged report
    a check run or job summary shows), the labels, the conclusion."""
    if output_format == "json":
        print(json.dumps(review_json(review), indent=2, ensure_ascii=False))
        return
    print(render_review(review, limit=SUMMARY_LIMIT, full=True) if full else review.comment)
    print(f"Labels to add: {', '.join(review.labels_add) or 'none'}")
    print(f"Labels to remove: {', '.join(review.labels_remove) or 'none'}")
    print(f"Conclusion: {review.conclusion} ({review.summary})")


def run_review(args: argparse.Namespace) -> int:
    full_report = "printed by `tierbot review` with `--full`"
    checkout = GitCheckout(Path(args.repo))
    remote = remote_url(checkout.repo)
    links = github_remote(remote) if remote else Links()  # lines linked when on GitHub
    job = review_range(args.base, args.head, full_report, links=links)
    review, _ = run(job, checkout.execute)
    print_review(review, args.format, args.full)
    return 1 if review.conclusion == "failure" else 0


def run_pr(args: argparse.Namespace) -> int:
    match = _PR.fullmatch(args.pull_request)
    if not match:
        raise UsageError(f"expected OWNER/REPO#NUMBER, got {args.pull_request!r}")
    from bot.adapters.pygithub import forge_from_env  # PyGithub only for a live pull request

    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        raise UsageError("set GITHUB_TOKEN to a token that can read the repository")
    forge = forge_from_env(os.environ, token, match["repo"], login=args.login)
    recorder = Recorder()
    execute = dry(forge.execute, recorder) if args.dry_run else forge.execute
    job = review_and_publish(
        int(match["number"]),
        forge.login,
        "printed by `tierbot pr`",
        check_run=new_claim("tierbot-pr") if args.check_run else None,
        suggestions=not args.no_suggestions,
    )
    outcome, status, written = (
        StatusOutcome(run(job, execute))
        if args.no_status
        else run(with_commit_status(job), execute)
    )
    assert outcome.review is not None  # only a caller naming the head it expects is skipped
    print_review(outcome.review, args.format)
    # What was written goes to stderr: stdout holds the report alone.
    if outcome.superseded_by:
        print(SUPERSEDED.format(sha=outcome.superseded_by), file=sys.stderr)
    if outcome.check_run_url:
        print(f"Check run: {outcome.check_run_url}", file=sys.stderr)
    published = outcome.published
    if args.dry_run:
        print("\n".join(recorder.report()), file=sys.stderr)
    elif published and published.cannot_write:
        print(f"::notice title=tierbot::{published.cannot_write}", file=sys.stderr)
    elif published and published.comment_url:
        print(f"Comment: {published.comment_url} ({published.writes} write(s))", file=sys.stderr)
    suggested = outcome.suggested
    if suggested and (suggested.review_url or suggested.problem or suggested.cannot_write):
        print(f"Suggestions: {_suggestions(suggested)}", file=sys.stderr)
    if status is not None and not args.dry_run:  # a dry run lists it with the writes
        print(f"Commit status: {status.state} ({_done(written)})", file=sys.stderr)
    if not args.no_status and published is not None and not published.cannot_write:
        gating = gate_commit_status(int(match["number"]), outcome.review)
        gated = run(gating, execute)
        if gated is not None and not args.dry_run:
            gate, gate_written = gated
            said = f"{gate.state}: {gate.description} ({_done(gate_written)})"
            print(f"Promotion gate: {said}", file=sys.stderr)
    return 1 if outcome.review.conclusion == "failure" else 0


def _done(written: bool) -> str:
    return "set" if written else "already set"


def _suggestions(outcome: SuggestionOutcome) -> str:
    if outcome.review_url:
        return f"{outcome.posted} posted: {outcome.review_url}"
    return f"none posted: {outcome.cannot_write or outcome.problem}"
