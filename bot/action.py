"""`tierbot action`: the GitHub Actions entry point (event in; comment, summary, outputs out)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import gitsource
from bot.checks import TIERS
from bot.config import CONFIG_PATH, FAIL_ON
from bot.errors import UsageError
from bot.pullrequest import Outcome, publish_review, review_local, review_remote
from bot.render import SUMMARY_LIMIT, render_review
from bot.report import annotation
from bot.review import Published, Review
from bot.rules import SEVERITIES, Finding
from bot.settings import Overrides, settings_at

log = logging.getLogger(__name__)

MODES = ("auto", "review", "quarterly", "check")
ANNOTATION_CAP = 10  # GitHub shows at most 10 error and 10 warning annotations per step
ACTIONS_LOGIN = "github-actions[bot]"
NOT_ANNOTATED = (
    "> [!NOTE]\n> {count} more finding{s} are not annotated: GitHub shows at most "
    f"{ANNOTATION_CAP} error and {ANNOTATION_CAP} warning annotations per step. "
    "They are all listed above."
)


@dataclass(frozen=True)
class Inputs:
    """The action's inputs, as `action.yml` hands them over through `env:`."""

    token: str
    config: str | None
    rules: str | None
    fail_on: str | None
    comment: bool
    labels: bool
    mode: str
    quarter: str | None
    dry_run: bool

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Inputs:
        def text(name: str) -> str | None:
            return env.get(f"TIERBOT_{name.upper().replace('-', '_')}", "").strip() or None

        def flag(name: str, default: str) -> bool:
            value = text(name) or default
            if value not in ("true", "false"):
                raise UsageError(f"input `{name}` must be `true` or `false`, not {value!r}")
            return value == "true"

        def choice(name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
            value = text(name) or default
            if value is not None and value not in allowed:
                raise UsageError(f"input `{name}` must be one of {', '.join(allowed)}")
            return value

        return cls(
            token=text("github-token") or "",
            config=text("config"),
            rules=text("rules"),
            fail_on=choice("fail-on", FAIL_ON, None),
            comment=flag("comment", "true"),
            labels=flag("labels", "true"),
            mode=choice("mode", MODES, "auto") or "auto",
            quarter=text("quarter"),
            dry_run=flag("dry-run", "false"),
        )


def mode_for(event_name: str, mode: str) -> str:
    if mode != "auto":
        return mode
    if event_name in ("pull_request", "pull_request_target"):
        return "review"
    if event_name in ("schedule", "workflow_dispatch"):
        return "quarterly"
    if event_name == "push":
        return "check"
    raise UsageError(f"tierbot does not handle `{event_name}` events; set the `mode` input")


def write_outputs(path: str | None, outputs: Mapping[str, str]) -> None:
    """Append outputs in GitHub's syntax: `name=value`, heredoc for several lines."""
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        for name, value in outputs.items():
            if "\n" in value:
                delimiter = f"ghadelimiter_{uuid.uuid4()}"
                handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                handle.write(f"{name}={value}\n")


def append_summary(path: str | None, markdown: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")


def pick_annotations(entries: Iterable[tuple[str, Finding]]) -> tuple[list[str], int]:
    """At most 10 annotations per severity, in the order given; and how many were left."""
    shown: dict[str, int] = {}
    lines, left = [], 0
    for path, finding in entries:
        if shown.get(finding.severity, 0) >= ANNOTATION_CAP:
            left += 1
            continue
        shown[finding.severity] = shown.get(finding.severity, 0) + 1
        lines.append(annotation(path, finding))
    return lines, left


def _rank(finding: Finding) -> int:
    return SEVERITIES.index(finding.severity)


def review_annotations(review: Review, fail_on: str) -> tuple[list[str], int]:
    """New findings first (errors, then warnings), then existing ones that fail the run."""
    wanted = {"new"} | ({"existing"} if fail_on in ("errors", "warnings") else set())
    entries = [
        (page.path, item) for page in review.pages for item in page.findings if item.state in wanted
    ]
    entries.sort(key=lambda entry: (entry[1].state != "new", _rank(entry[1].finding)))
    return pick_annotations((path, item.finding) for path, item in entries)


def run(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    inputs = Inputs.from_env(env)
    event_path = env.get("GITHUB_EVENT_PATH")
    if not event_path:
        raise UsageError(
            "GITHUB_EVENT_PATH is not set: `tierbot action` runs inside GitHub Actions"
        )
    event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    workspace = Path(env.get("GITHUB_WORKSPACE", "."))
    mode = mode_for(env.get("GITHUB_EVENT_NAME", ""), inputs.mode)
    if mode == "review":
        return _review(inputs, event, workspace, env)
    if mode == "check":
        return _check(inputs, event, workspace, env)
    return _quarterly(inputs, workspace, env)


def _forge(inputs: Inputs, env: Mapping[str, str]) -> Any:
    from bot.adapters.pygithub import PyGithubForge

    if not inputs.token:
        raise UsageError("input `github-token` is empty")
    return PyGithubForge(
        inputs.token,
        env.get("GITHUB_REPOSITORY", ""),
        api_url=env.get("GITHUB_API_URL", "https://api.github.com"),
        graphql_url=env.get("GITHUB_GRAPHQL_URL"),
        login=env.get("TIERBOT_LOGIN") or ACTIONS_LOGIN,
    )


def _summary_link(env: Mapping[str, str]) -> str:
    server = env.get("GITHUB_SERVER_URL", "https://github.com")
    repository, run_id = env.get("GITHUB_REPOSITORY"), env.get("GITHUB_RUN_ID")
    if repository and run_id:
        return f"in [the job summary]({server}/{repository}/actions/runs/{run_id})"
    return "in this run's job summary"


def _overrides(inputs: Inputs) -> Overrides:
    return Overrides(inputs.config or CONFIG_PATH, inputs.rules, inputs.fail_on)


def _review(
    inputs: Inputs, event: Mapping[str, Any], workspace: Path, env: Mapping[str, str]
) -> int:
    from bot.port import GetPullRequest, Job, Recorder, dry, run

    payload = event["pull_request"]
    number = int(payload["number"])
    base_sha, head_sha = payload["base"]["sha"], payload["head"]["sha"]
    published = Published(tuple(label["name"] for label in payload.get("labels", ())))
    full_report = _summary_link(env)
    forge = _forge(inputs, env)
    recorder = Recorder()
    execute = dry(forge.execute, recorder) if inputs.dry_run else forge.execute
    # With both commits in the checkout, nothing is read through the API.
    local = all(gitsource.has_commit(workspace, sha) for sha in (base_sha, head_sha))

    def job() -> Job[tuple[Review, Outcome, str]]:
        if local:
            review, (config, _) = review_local(
                workspace, base_sha, head_sha, full_report, _overrides(inputs), published
            )
        else:
            pr = yield GetPullRequest(number)
            review, (config, _) = yield from review_remote(pr, full_report, _overrides(inputs))
        outcome = yield from publish_review(
            number, review, config, forge.login, comment=inputs.comment, labels=inputs.labels
        )
        return review, outcome, config.fail_on  # the input's, else the base config's

    review, outcome, fail_on = run(job(), execute)
    if inputs.dry_run:
        from bot.review_cli import report_outcome

        report_outcome(outcome, recorder)  # the writes not made, on stderr
    annotations, left = review_annotations(review, fail_on)
    for line in annotations:
        print(line)
    summary = render_review(review, limit=SUMMARY_LIMIT, full_report="above")
    if left:
        summary += "\n" + NOT_ANNOTATED.format(count=left, s="s" if left != 1 else "")
    if outcome.cannot_write:
        print(f"::notice title=tierbot: no comment::{outcome.cannot_write}")
        summary += f"\n> [!IMPORTANT]\n> {outcome.cannot_write}\n"
    append_summary(env.get("GITHUB_STEP_SUMMARY"), summary)
    heads = [page.change.tier_head for page in review.pages]
    write_outputs(
        env.get("GITHUB_OUTPUT"),
        {
            "conclusion": review.conclusion,
            "tiers": ",".join(tier for tier in TIERS if tier in heads),
            "new-errors": str(review.total("new", "error")),
            "errors": str(review.total("new", "error") + review.total("existing", "error")),
            "warnings": str(review.total("new", "warning") + review.total("existing", "warning")),
            "comment-url": outcome.comment_url or "",
            "issue-url": "",
        },
    )
    print(f"tierbot: {review.conclusion}: {review.summary}")
    return 1 if review.conclusion == "failure" else 0


def _check(
    inputs: Inputs, event: Mapping[str, Any], workspace: Path, env: Mapping[str, str]
) -> int:
    """A push: check the pattern pages it changed; any other event: every page checked out."""
    from bot import report
    from bot.check import check_paths

    # Only a push's before/after are a range of commits to check; a pull_request
    # synchronize carries them too, but for its head branch, not the checked-out merge.
    push = env.get("GITHUB_EVENT_NAME") == "push"
    head = (event.get("after") if push else None) or "HEAD"
    config, policy = settings_at(
        lambda path: gitsource.read_files(workspace, head, [path])[path], head, _overrides(inputs)
    )
    before = event.get("before", "") if push else ""
    if before and set(before) != {"0"} and gitsource.has_commit(workspace, before):
        changed = gitsource.changed_files(workspace, before, head)
        paths = [
            f.path for f in changed if f.status != "removed" and config.is_pattern_page(f.path)
        ]
    else:  # a new branch, or history not fetched: check every page
        from bot.check import pattern_pages

        paths = [p.relative_to(workspace).as_posix() for p in pattern_pages(workspace, config)]
    reports = check_paths([workspace / path for path in paths], policy)
    reports = [r._replace(path=path) for r, path in zip(reports, paths, strict=True)]
    annotations, left = pick_annotations(
        sorted(
            ((r.path, f) for r in reports for f in r.findings),
            key=lambda entry: _rank(entry[1]),
        )
    )
    for line in annotations:
        print(line)
    totals = report.summary(reports)
    text = report.as_text(reports)
    if left:
        text += "\n" + NOT_ANNOTATED.format(count=left, s="s" if left != 1 else "")
    append_summary(env.get("GITHUB_STEP_SUMMARY"), f"### tierbot check\n\n```\n{text}\n```")
    failing = {"never": 0, "warnings": totals["errors"] + totals["warnings"]}
    failed = failing.get(config.fail_on, totals["errors"])
    write_outputs(
        env.get("GITHUB_OUTPUT"),
        {
            "conclusion": "failure" if failed else "success",
            "tiers": ",".join(tier for tier in TIERS if totals["tiers"][tier]),
            "new-errors": str(totals["errors"]),
            "errors": str(totals["errors"]),
            "warnings": str(totals["warnings"]),
            "comment-url": "",
            "issue-url": "",
        },
    )
    return 1 if failed else 0


def _quarterly(inputs: Inputs, workspace: Path, env: Mapping[str, str]) -> int:
    try:
        from bot.quarterly_cli import run_in_action
    except ModuleNotFoundError as error:
        if error.name != "bot.quarterly_cli":
            raise  # a broken install, not a version without the quarterly review
        print("::notice title=tierbot::The quarterly review is not available in this version.")
        return 0
    return run_in_action(
        workspace, inputs.quarter, inputs.dry_run, _forge(inputs, env), env, write_outputs
    )
