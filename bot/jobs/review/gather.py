"""Gather a change's pattern pages through the port and judge them: one job for every source.

A pull request on GitHub and a range of a local checkout are reviewed by the same code: the
GitHub adapters answer its reads from the API, the git adapter from the checkout.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

from bot.core.config import Config
from bot.core.links import Links
from bot.core.mkdocs import MKDOCS_FILES
from bot.core.review.model import ChangedPage, OnPullRequest, Review, Revisions
from bot.core.review.plan import review_pages
from bot.core.selection import redirect_in
from bot.core.settings import Overrides, Settings
from bot.jobs.settings import settings_job
from bot.jobs.site import site_redirects
from bot.port.operations import (
    CompareCommits,
    GetMergeBase,
    Job,
    ListPullFiles,
    ReadFiles,
    ResolveRef,
    ask,
)
from bot.port.results import ChangedFile, Contents, FileContents, FileList, PullRequest, Unreadable

_WILDCARD = re.compile(r"[*?[]")
NO_FILE = "the change lists it as {status}, but no file is there"


def judge_pull_request(
    pr: PullRequest,
    full_report: str,
    overrides: Overrides = Overrides(),
    *,
    suggest: bool = False,
) -> Job[tuple[Review, Settings]]:
    """Judge the pattern pages a pull request read from GitHub changes, reading as few
    times as GitHub allows (publishing is ``pull_request.review_and_publish``'s).

    The comment links lines in the base repository: GitHub shows a pull request's head
    commits there too, a fork's included. With ``suggest``, the fixes of new findings on the
    changed lines are the review's suggestions (and the comment says where they wait).
    """
    listed = yield from ask(ListPullFiles(pr.number, pr.changed_files))
    settings = yield from settings_job(pr.base_sha, overrides, home=pr.repository or None)
    fork_point = yield from ask(GetMergeBase(pr.base_sha, pr.head_sha))
    links = Links.of_web_url(pr.html_url)
    # A contributor's checkout names the base branch as the remote's: `origin/main`.
    revisions = Revisions(
        pr.base_ref, f"origin/{pr.base_ref}", pr.base_sha, fork_point, settings.extended
    )
    review = yield from judge(
        listed, revisions, pr.head_sha, settings, full_report, pr.labels, links, suggest
    )
    return review, settings


def review_range(
    base: str,
    head: str,
    full_report: str,
    overrides: Overrides = Overrides(),
    on_pull_request: OnPullRequest = OnPullRequest(),
    links: Links = Links(),
) -> Job[tuple[Review, Settings]]:
    """Review ``base..head``; config and rules come from ``base``; ``links`` name the
    repository on GitHub, when it is there."""
    base_sha = yield from ask(ResolveRef(base))
    head_sha = yield from ask(ResolveRef(head))
    settings = yield from settings_job(base_sha, overrides, where=base)
    fork_point = yield from ask(GetMergeBase(base_sha, head_sha))
    # Only where pattern pages may be, and the site's mkdocs.yml (its redirects): an object
    # broken elsewhere cannot stop the review.
    directories = pattern_directories(settings.config)
    where = (*directories, *MKDOCS_FILES) if directories else ()
    listed = yield from ask(CompareCommits(fork_point, head_sha, where))
    revisions = Revisions(base, base, base_sha, fork_point)
    review = yield from judge(
        listed, revisions, head_sha, settings, full_report, on_pull_request.labels, links
    )
    return review, settings


def pattern_directories(config: Config) -> tuple[str, ...]:
    """The directories the include globs lie under, up to their first wildcard; none (the
    whole repository) when a glob starts with one."""
    found = []
    for glob in config.include:
        parents = glob.split("/")[:-1]
        literal = list(itertools.takewhile(lambda part: not _WILDCARD.search(part), parents))
        if not literal:
            return ()
        found.append("/".join(literal) + "/")
    return tuple(dict.fromkeys(found))


def judge(
    listed: FileList,
    revisions: Revisions,
    head_sha: str,
    settings: Settings,
    full_report: str,
    labels: tuple[str, ...],
    links: Links,
    suggest: bool = False,
) -> Job[Review]:
    """Read the pattern pages among ``listed`` at the fork point and at head, then plan;
    ``suggest``: with GitHub's patches, where the fixes can be suggested."""
    config, policy = settings.config, settings.policy
    fork_point = revisions.fork_point
    pattern_files = [f for f in listed.files if config.is_pattern_page(f.path)]
    base = yield from _read(
        fork_point, [_base_path(f) for f in pattern_files if f.status != "added"]
    )
    removed = [f.path for f in pattern_files if f.status == "removed"]
    kept = [f.path for f in pattern_files if f.status != "removed"]
    # The site's redirects matter to a deletion, or where the change redirects pages anew.
    read_site = bool(removed) or any(f.path in MKDOCS_FILES for f in listed.files)
    head = yield from _read(head_sha, [*kept, *(MKDOCS_FILES if read_site else ())])
    merged = yield from _merged_into(removed, kept, head_sha, head, read_site)
    pages = [
        ChangedPage(
            f.path,
            f.status,
            f.previous_path,
            base.get(_base_path(f)),
            _at_head(f, head),
            merged.get(f.path),
            f.patch if suggest else None,
        )
        for f in pattern_files
    ]
    return review_pages(
        pages,
        config,
        policy,
        OnPullRequest(labels),
        listed.truncated,
        head_sha=head_sha,
        full_report=full_report,
        links=links,
        revisions=revisions,
    )


def _at_head(changed: ChangedFile, head: Mapping[str, Contents]) -> Contents:
    """The page at head; one the change lists but the source has not is unreadable, not gone."""
    found = head.get(changed.path)
    if found is None and changed.status != "removed":
        return Unreadable(NO_FILE.format(status=changed.status))
    return found


def _merged_into(
    removed: Sequence[str],
    kept: Sequence[str],
    head_sha: str,
    head: Mapping[str, Contents],
    site_read: bool,
) -> Job[dict[str, str]]:
    """Where head sends the readers of pages: a removed page's redirect in mkdocs.yml, to a
    page that exists at head; a kept page's `redirect_to`, as the page at head it names when
    one does (else the URL as written), or else its redirect in mkdocs.yml (when read)."""
    stubs = {path: url for path in kept if (url := redirect_in(head.get(path)))}
    if not (site_read or stubs):
        return {}
    if not site_read:  # a stub's URL is read as the site builds its URLs
        head = {**head, **(yield from _read(head_sha, MKDOCS_FILES))}
    redirects = site_redirects(head, head_sha)
    removed_to = {path: target for path in removed if (target := redirects.target(path))}
    named = {path: redirects.site.pages_of(path, url) for path, url in stubs.items()}
    wanted = [*removed_to.values(), *(page for pages in named.values() for page in pages)]
    present = {**head, **(yield from _read(head_sha, [p for p in wanted if p not in head]))}
    found = {path: target for path, target in removed_to.items() if present.get(target) is not None}
    for path, url in stubs.items():
        found[path] = next((page for page in named[path] if present.get(page) is not None), url)
    mapped = {path: target for path in kept if (target := redirects.redirect(path))}
    return {**mapped, **found}


def _base_path(changed: ChangedFile) -> str:
    return changed.previous_path or changed.path


def _read(ref: str, paths: Iterable[str]) -> Job[FileContents]:
    wanted = tuple(dict.fromkeys(paths))
    if not wanted:
        return {}
    return (yield from ask(ReadFiles(ref, wanted)))
