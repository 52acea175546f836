"""`tierbot review` (a local git range, offline) and `tierbot pr` (a live pull request)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from bot.errors import UsageError
from bot.port import GetPullRequest, Job, Recorder, describe, dry, run
from bot.pullrequest import Outcome, publish_review, review_local, review_remote
from bot.render import review_json
from bot.review import Review

_PR = re.compile(r"(?P<repo>[\w.-]+/[\w.-]+)#(?P<number>\d+)")


def print_review(review: Review, output_format: str) -> None:
    """Exactly what would be posted: the comment, the labels, the conclusion."""
    if output_format == "json":
        print(json.dumps(review_json(review), indent=2, ensure_ascii=False))
        return
    print(review.comment)
    print(f"Labels to add: {', '.join(review.labels_add) or 'none'}")
    print(f"Labels to remove: {', '.join(review.labels_remove) or 'none'}")
    print(f"Conclusion: {review.conclusion} ({review.summary})")


def run_review(args: argparse.Namespace) -> int:
    review, _ = review_local(
        Path(args.repo),
        args.base,
        args.head,
        full_report=f"printed by `tierbot review --base {args.base}`",
    )
    print_review(review, args.format)
    return 1 if review.conclusion == "failure" else 0


def run_pr(args: argparse.Namespace) -> int:
    from bot.adapters.pygithub import PyGithubForge

    match = _PR.fullmatch(args.pull_request)
    if not match:
        raise UsageError(f"expected OWNER/REPO#NUMBER, got {args.pull_request!r}")
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        raise UsageError("set GITHUB_TOKEN to a token that can read the repository")
    forge = PyGithubForge(
        token,
        match["repo"],
        api_url=os.environ.get("GITHUB_API_URL", "https://api.github.com"),
        graphql_url=os.environ.get("GITHUB_GRAPHQL_URL"),
        login=args.login or os.environ.get("TIERBOT_LOGIN") or "github-actions[bot]",
    )
    number = int(match["number"])
    recorder = Recorder()
    execute = dry(forge.execute, recorder) if args.dry_run else forge.execute

    def job() -> Job[tuple[Review, Outcome]]:
        pr = yield GetPullRequest(number)
        review, (config, _) = yield from review_remote(pr, "printed by `tierbot pr`")
        outcome = yield from publish_review(number, review, config, forge.login)
        return review, outcome

    review, outcome = run(job(), execute)
    print_review(review, args.format)
    report_outcome(outcome, recorder if args.dry_run else None)
    return 1 if review.conclusion == "failure" else 0


def report_outcome(outcome: Outcome, recorder: Recorder | None) -> None:
    """What was written, on stderr: stdout holds the report alone."""
    if recorder is not None:
        print(f"Dry run: {len(recorder.writes)} write(s) not made:", file=sys.stderr)
        for op in recorder.writes:
            print(f"  {describe(op)}", file=sys.stderr)
        return
    if outcome.cannot_write:
        print(f"::notice title=tierbot::{outcome.cannot_write}", file=sys.stderr)
    elif outcome.comment_url:
        print(f"Comment: {outcome.comment_url} ({outcome.writes} write(s))", file=sys.stderr)
