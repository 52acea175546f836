"""`judge_pull_request`, `review_range` and `judge`, scripted: the exact reads, then the Review."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.pages import BRONZE, GOLD, SILVER, default_policy, page
from support.reviews import BASE, FORK, HEAD, LIB, NO_CONFIG, PR, opening
from support.scripted import Script

from bot.core.config import CONFIG_PATH, Config
from bot.core.links import Links
from bot.core.mkdocs import MKDOCS_FILES
from bot.core.review.model import OnPullRequest, Revisions
from bot.core.settings import Overrides, Settings
from bot.errors import ConfigError
from bot.jobs.review.gather import judge, judge_pull_request, review_range
from bot.port.operations import CompareCommits, GetMergeBase, ListPullFiles, ReadFiles, ResolveRef
from bot.port.results import ChangedFile, FileList

ADDED = f"{LIB}/resilience/bulkhead.md"
MODIFIED = f"{LIB}/scaling/chunking.md"
RENAMED, RENAMED_FROM = f"{LIB}/scaling/lake.md", f"{LIB}/data/data-lake.md"
REMOVED = f"{LIB}/resilience/old-retry.md"
REPORT = "in this run's job summary"

#: One finding of each state on the modified page: trade_offs is new, introduced stays,
#: best_for is fixed.
MODIFIED_BASE = page(SILVER, {"best_for": None, "introduced": "1990s"}).encode()
MODIFIED_HEAD = page(SILVER, {"trade_offs": None, "introduced": "1990s"}).encode()
EVERY_KIND = FileList(
    (
        ChangedFile(ADDED, "added"),
        ChangedFile(MODIFIED, "modified"),
        ChangedFile(RENAMED, "renamed", RENAMED_FROM),
        ChangedFile(REMOVED, "removed"),
        ChangedFile("README.md", "modified"),
        ChangedFile(f"{LIB}/index.md", "modified"),  # excluded by the default config
    )
)
AT_FORK = {
    MODIFIED: MODIFIED_BASE,
    RENAMED_FROM: page(BRONZE).encode(),
    REMOVED: page(GOLD).encode(),
}
AT_HEAD = {ADDED: page(GOLD).encode(), MODIFIED: MODIFIED_HEAD, RENAMED: page(SILVER).encode()}


def states(review, path: str) -> list[tuple[str, str]]:
    (found,) = [p for p in review.pages if p.path == path]
    return [(f.finding.rule, f.state) for f in found.findings]


def every_kind_reads() -> list[tuple]:
    """The reads of `judge` for EVERY_KIND: base paths at the fork point, then head paths."""
    return [
        (ReadFiles(FORK, (MODIFIED, RENAMED_FROM, REMOVED)), AT_FORK),
        (ReadFiles(HEAD, (ADDED, MODIFIED, RENAMED, *MKDOCS_FILES)), AT_HEAD),
    ]


def test_a_pull_request_is_listed_configured_forked_and_read_twice() -> None:
    script = Script(
        (ListPullFiles(7), EVERY_KIND),
        NO_CONFIG,
        (GetMergeBase(BASE, HEAD), FORK),
        *every_kind_reads(),
    )

    review, settings = script.run(judge_pull_request(PR, REPORT))

    assert settings == Settings(Config(), default_policy())
    assert [(p.path, p.change.status) for p in review.pages] == [
        (ADDED, "added"),
        (REMOVED, "removed"),
        (MODIFIED, "modified"),
        (RENAMED, "renamed"),
    ]
    assert states(review, MODIFIED) == [
        ("silver-trade-offs", "new"),
        ("introduced-format", "existing"),
        ("silver-best-for", "fixed"),
    ]
    assert states(review, ADDED) == []
    assert states(review, REMOVED) == [("pattern-deleted", "new")]
    assert states(review, RENAMED) == [("tier-changed", "new")]
    (renamed,) = [p for p in review.pages if p.path == RENAMED]
    assert (renamed.change.previous_path, renamed.change.tier_base, renamed.change.tier_head) == (
        RENAMED_FROM,
        "bronze",
        "silver",
    )
    assert review.labels_add == (
        "needs: tier-metadata",
        "tier: changed",
        "tier: gold",
        "tier: silver",
    )
    assert (review.labels_remove, review.conclusion, review.head_sha) == ((), "failure", HEAD)
    assert review.comment.startswith("<!-- tierbot:review -->")


def test_labels_already_on_the_pull_request_are_not_added_and_stale_ones_go() -> None:
    pr = replace(PR, labels=("tier: gold", "tier: bronze", "help wanted"))
    listed = FileList((ChangedFile(ADDED, "added"),))
    script = Script(
        *opening(listed),
        (ReadFiles(HEAD, (ADDED,)), {ADDED: page(GOLD).encode()}),
    )

    review, _ = script.run(judge_pull_request(pr, REPORT))

    assert (review.labels_add, review.labels_remove) == ((), ("tier: bronze",))
    assert review.conclusion == "success"


def test_only_added_pages_read_nothing_at_the_fork_point() -> None:
    listed = FileList((ChangedFile(ADDED, "added"), ChangedFile("README.md", "modified")))
    script = Script(
        *opening(listed),
        (ReadFiles(HEAD, (ADDED,)), {ADDED: page(GOLD).encode()}),
    )

    review, _ = script.run(judge_pull_request(PR, REPORT))

    assert (states(review, ADDED), review.labels_add) == ([], ("tier: gold",))


def test_only_removed_pages_read_only_the_site_config_at_head() -> None:
    listed = FileList((ChangedFile(REMOVED, "removed"),))
    script = Script(
        *opening(listed),
        (ReadFiles(FORK, (REMOVED,)), {REMOVED: page(GOLD).encode()}),
        (ReadFiles(HEAD, MKDOCS_FILES), dict.fromkeys(MKDOCS_FILES)),
    )

    review, _ = script.run(judge_pull_request(PR, REPORT))

    assert states(review, REMOVED) == [("pattern-deleted", "new")]


def test_no_pattern_page_reads_no_page_at_all() -> None:
    listed = FileList(
        (ChangedFile("README.md", "modified"), ChangedFile(f"{LIB}/index.md", "added"))
    )
    script = Script(*opening(listed))

    review, _ = script.run(judge_pull_request(PR, REPORT))

    assert (review.pages, review.conclusion, review.labels_add) == ((), "neutral", ())


def test_the_config_at_base_decides_what_is_a_pattern_page() -> None:
    config = b"include: ['handbook/**/*.md']\n"
    listed = FileList((ChangedFile(ADDED, "added"), ChangedFile("handbook/a.md", "added")))
    script = Script(
        (ListPullFiles(7), listed),
        (ReadFiles(BASE, (CONFIG_PATH,)), {CONFIG_PATH: config}),
        (GetMergeBase(BASE, HEAD), FORK),
        (ReadFiles(HEAD, ("handbook/a.md",)), {"handbook/a.md": page(GOLD).encode()}),
    )

    review, settings = script.run(judge_pull_request(PR, REPORT))

    assert settings.config.include == ("handbook/**/*.md",)
    assert [p.path for p in review.pages] == ["handbook/a.md"]


def test_a_truncated_listing_takes_no_label_away() -> None:
    pr = replace(PR, labels=("tier: bronze",))
    listed = FileList((ChangedFile(ADDED, "added"),), truncated=True)
    script = Script(
        *opening(listed),
        (ReadFiles(HEAD, (ADDED,)), {ADDED: page(GOLD).encode()}),
    )

    review, _ = script.run(judge_pull_request(pr, REPORT))

    assert (review.truncated, review.labels_add, review.labels_remove) == (
        True,
        ("tier: gold",),
        (),
    )


def test_overrides_reach_the_settings_read() -> None:
    listed = FileList((ChangedFile(REMOVED, "removed"),))
    script = Script(
        (ListPullFiles(7), listed),
        (ReadFiles(BASE, ("ci/tierbot.yml",)), {"ci/tierbot.yml": b"fail-on: errors\n"}),
        (GetMergeBase(BASE, HEAD), FORK),
        (ReadFiles(FORK, (REMOVED,)), {REMOVED: page(GOLD).encode()}),
        (ReadFiles(HEAD, MKDOCS_FILES), dict.fromkeys(MKDOCS_FILES)),
    )

    review, settings = script.run(
        judge_pull_request(PR, REPORT, Overrides("ci/tierbot.yml", fail_on="never"))
    )

    assert settings.config.fail_on == "never"
    assert review.conclusion == "neutral"  # a new error, but fail-on: never


def test_judge_reads_each_base_path_once() -> None:
    """A page renamed from a path also listed as modified: that base path is read once."""
    listed = FileList(
        (ChangedFile(MODIFIED, "modified"), ChangedFile(RENAMED, "renamed", MODIFIED))
    )
    script = Script(
        (ReadFiles(FORK, (MODIFIED,)), {MODIFIED: MODIFIED_BASE}),
        (ReadFiles(HEAD, (MODIFIED, RENAMED)), {MODIFIED: MODIFIED_HEAD, RENAMED: MODIFIED_BASE}),
    )
    settings = Settings(Config(), default_policy())

    review = script.run(
        judge(listed, Revisions(fork_point=FORK), HEAD, settings, REPORT, (), Links())
    )

    # The renamed page is compared with its own base: best_for and introduced were wrong there.
    assert states(review, RENAMED) == [
        ("silver-best-for", "existing"),
        ("introduced-format", "existing"),
    ]


# --- review_range: a local range, the same reads --------------------------------------------


def test_a_range_resolves_both_ends_then_reads_settings_at_base() -> None:
    script = Script(
        (ResolveRef("main"), BASE),
        (ResolveRef("feature"), HEAD),
        NO_CONFIG,
        (GetMergeBase(BASE, HEAD), FORK),
        (
            CompareCommits(FORK, HEAD, ("docs/pattern-library/", "docs/patterns/", *MKDOCS_FILES)),
            EVERY_KIND,
        ),
        *every_kind_reads(),
    )

    review, settings = script.run(
        review_range("main", "feature", "printed", on_pull_request=OnPullRequest(("tier: bronze",)))
    )

    assert settings == Settings(Config(), default_policy())
    assert states(review, MODIFIED) == [
        ("silver-trade-offs", "new"),
        ("introduced-format", "existing"),
        ("silver-best-for", "fixed"),
    ]
    assert review.labels_remove == ("tier: bronze",)  # the pull request's labels were passed on
    assert review.head_sha == HEAD


def test_a_range_names_its_base_ref_in_settings_errors() -> None:
    script = Script(
        (ResolveRef("main"), BASE),
        (ResolveRef("HEAD"), HEAD),
        (ReadFiles(BASE, (CONFIG_PATH,)), {CONFIG_PATH: b"rules: custom.yml\n"}),
        (ReadFiles(BASE, ("custom.yml",)), {"custom.yml": None}),
    )

    with pytest.raises(ConfigError, match=r"`custom\.yml` is missing at main$"):
        script.run(review_range("main", "HEAD", "printed"))
    script.assert_done()


def test_a_removed_page_redirected_to_a_page_kept_at_head_is_a_merge() -> None:
    """mkdocs.yml is read at head with the pages; a redirect target not read yet is read."""
    target = f"{LIB}/resilience/retry.md"
    site = b"plugins:\n  - redirects:\n      redirect_maps:\n"
    site += (
        b"        pattern-library/resilience/old-retry.md: pattern-library/resilience/retry.md\n"
    )
    listed = FileList((ChangedFile(REMOVED, "removed"), ChangedFile(ADDED, "added")))
    script = Script(
        *opening(listed),
        (ReadFiles(FORK, (REMOVED,)), {REMOVED: page(GOLD).encode()}),
        (
            ReadFiles(HEAD, (ADDED, *MKDOCS_FILES)),
            {ADDED: page(GOLD).encode(), "mkdocs.yml": site, "mkdocs.yaml": None},
        ),
        (ReadFiles(HEAD, (target,)), {target: page(GOLD).encode()}),
    )

    review, _ = script.run(judge_pull_request(PR, REPORT))

    assert states(review, REMOVED) == [("pattern-merged", "new")]
    assert review.conclusion == "success"
