"""Review a pull request: gather its pages (local git or the port), plan, and publish."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot import gitsource
from bot.config import Config
from bot.errors import AlreadyExists, NotFound, RetryableError, TokenCannotWrite
from bot.port import (
    AddLabels,
    ChangedFile,
    Comment,
    CreateComment,
    CreateLabel,
    GetMergeBase,
    Job,
    ListComments,
    ListPullFiles,
    PullRequest,
    ReadFiles,
    RemoveLabel,
    UpdateComment,
)
from bot.render import REVIEW_MARKER
from bot.review import ChangedPage, Published, Review, review_pages
from bot.settings import Overrides, Settings, settings_at, settings_job

log = logging.getLogger(__name__)

Reader = Callable[[Sequence[str]], dict[str, bytes | None]]

CANNOT_WRITE = (
    "The token cannot write to this repository ({detail}); that is expected for pull "
    "requests from forks under `pull_request`. The full report is in the job summary and "
    "the annotations; see the README's `pull_request_target` recipe to get the comment."
)


@dataclass(frozen=True)
class Outcome:
    """What publishing did."""

    comment_url: str | None = None
    writes: int = 0
    cannot_write: str | None = None  # why nothing (more) was written


def changed_pages(
    files: Iterable[ChangedFile], config: Config, read_base: Reader, read_head: Reader
) -> list[ChangedPage]:
    """The pattern pages among ``files``, with their contents at base and head."""
    pages = [f for f in files if config.is_pattern_page(f.path)]
    base = read_base([f.previous_path or f.path for f in pages if f.status != "added"])
    head = read_head([f.path for f in pages if f.status != "removed"])
    return [
        ChangedPage(
            f.path,
            f.status,
            f.previous_path,
            base.get(f.previous_path or f.path),
            head.get(f.path),
        )
        for f in pages
    ]


def review_local(
    repo: Path,
    base: str,
    head: str,
    full_report: str,
    overrides: Overrides = Overrides(),
    published: Published = Published(),
) -> tuple[Review, Settings]:
    """Review ``base..head`` of a local checkout; config and rules come from ``base``."""
    base_sha, head_sha = gitsource.resolve(repo, base), gitsource.resolve(repo, head)
    settings = settings_at(
        lambda path: gitsource.read_files(repo, base_sha, [path])[path], base, overrides
    )
    config, policy = settings
    fork_point = gitsource.merge_base(repo, base_sha, head_sha)
    pages = changed_pages(
        gitsource.changed_files(repo, fork_point, head_sha),
        config,
        lambda paths: gitsource.read_files(repo, fork_point, paths),
        lambda paths: gitsource.read_files(repo, head_sha, paths),
    )
    review = review_pages(
        pages, config, policy, published, head_sha=head_sha, full_report=full_report
    )
    return review, settings


def review_remote(
    pr: PullRequest, full_report: str, overrides: Overrides = Overrides()
) -> Job[tuple[Review, Settings]]:
    """Review a pull request through the port, reading as few times as GitHub allows."""
    listed = yield ListPullFiles(pr.number)
    settings = yield from settings_job(pr.base_sha, overrides)
    config, policy = settings
    fork_point = yield GetMergeBase(pr.base_sha, pr.head_sha)
    pattern_files = [f for f in listed.files if config.is_pattern_page(f.path)]
    contents = {}
    for ref, wanted in (
        (fork_point, [f.previous_path or f.path for f in pattern_files if f.status != "added"]),
        (pr.head_sha, [f.path for f in pattern_files if f.status != "removed"]),
    ):
        contents[ref] = (yield ReadFiles(ref, tuple(wanted))) if wanted else {}
    pages = changed_pages(
        pattern_files,
        config,
        lambda paths: contents[fork_point],
        lambda paths: contents[pr.head_sha],
    )
    review = review_pages(
        pages,
        config,
        policy,
        Published(pr.labels),
        listed.truncated,
        head_sha=pr.head_sha,
        full_report=full_report,
    )
    return review, settings


def find_own_comment(comments: Iterable[Comment], login: str) -> Comment | None:
    """tierbot's comment: it carries the marker *and* was posted by tierbot's identity."""
    return next((c for c in comments if REVIEW_MARKER in c.body and c.author == login), None)


def publish_review(
    number: int,
    review: Review,
    config: Config,
    login: str,
    *,
    comment: bool = True,
    labels: bool = True,
) -> Job[Outcome]:
    """Make the comment and labels match ``review``; write nothing that is already right."""
    writes = 0
    url = None
    try:
        if comment:
            comments = yield ListComments(number)
            existing = find_own_comment(comments, login)
            url = existing.html_url if existing else None
            if existing is None and not review.pages:
                pass  # nothing to say on a pull request that never touched a pattern page
            elif existing is None:
                posted = yield from _post_once(number, review.comment, login)
                url, writes = (posted.html_url if posted else None), writes + 1
            elif existing.body != review.comment:
                yield UpdateComment(existing.id, review.comment)
                writes += 1
        if labels:
            writes += yield from _publish_labels(number, review, config)
    except TokenCannotWrite as error:
        message = CANNOT_WRITE.format(detail=error)
        log.warning("%s", message)
        return Outcome(url, writes, message)
    return Outcome(url, writes)


def _post_once(number: int, body: str, login: str) -> Job[Comment | None]:
    """Create the comment; after a 5xx, look for it before trying once more."""
    try:
        return (yield CreateComment(number, body))
    except RetryableError:
        made = find_own_comment((yield ListComments(number)), login)
        if made is not None:
            if made.body != body:
                made = yield UpdateComment(made.id, body)
            return made
        return (yield CreateComment(number, body))


def _publish_labels(number: int, review: Review, config: Config) -> Job[int]:
    """Add and remove tierbot's own labels; returns the writes made."""
    writes = 0
    specs = {spec.name: spec for spec in config.labels.values()}
    for name in review.labels_add:
        try:
            yield CreateLabel(specs[name])
            writes += 1
        except AlreadyExists:  # the usual case, and just as good
            pass
    if review.labels_add:
        yield AddLabels(number, review.labels_add)  # adds; never replaces the PR's set
        writes += 1
    for name in review.labels_remove:
        try:
            yield RemoveLabel(number, name)
            writes += 1
        except NotFound:  # someone removed it already: the state is right
            pass
    return writes
