"""The review's reads for pages made redirects: head's mkdocs.yml with the pages when the
change touches it (else on its own, for a stub's URL), then the pages a stub's `redirect_to`
may name, in one more read."""

from __future__ import annotations

from support.pages import GOLD, page, stub
from support.reviews import FORK, HEAD, LIB, PR, opening
from support.scripted import Script

from bot.core.mkdocs import MKDOCS_FILES
from bot.jobs.review.gather import judge_pull_request
from bot.port.operations import ReadFiles
from bot.port.results import ChangedFile, FileList

BREAKER = f"{LIB}/resilience/circuit-breaker.md"
MASTERY = f"{LIB}/resilience/circuit-breaker-mastery.md"
KEPT = f"{LIB}/resilience/timeout.md"
RETRY = f"{LIB}/resilience/retry.md"
GOLD_PAGE = page(GOLD).encode()


def built_from(name: str) -> tuple[str, ...]:
    """The pages a site URL of a folder may come from: a page of that name, or its index."""
    return tuple(f"{name}{end}" for end in (".md", "/index.md", "/README.md"))


def merges(listed: FileList, *reads: tuple) -> list[tuple[str, str]]:
    """(path, message) of every pattern-merged finding of the review making exactly ``reads``."""
    script = Script(*opening(listed), *reads)
    review, _ = script.run(judge_pull_request(PR, "in the job summary"))
    script.assert_done()
    assert all(len(page.findings) == 1 for page in review.pages)  # the notice alone
    return [
        (page.path, item.finding.message)
        for page in review.pages
        for item in page.findings
        if item.finding.rule == "pattern-merged"
    ]


def test_a_stubs_url_is_the_page_at_head_it_names() -> None:
    url = "/pattern-library/resilience/circuit-breaker-mastery/"
    found = merges(
        FileList((ChangedFile(BREAKER, "modified"),)),
        (ReadFiles(FORK, (BREAKER,)), {BREAKER: GOLD_PAGE}),
        (ReadFiles(HEAD, (BREAKER,)), {BREAKER: stub(url).encode()}),
        (ReadFiles(HEAD, MKDOCS_FILES), dict.fromkeys(MKDOCS_FILES)),  # the default URLs
        (ReadFiles(HEAD, built_from(MASTERY.removesuffix(".md"))), {MASTERY: GOLD_PAGE}),
    )
    assert found == [
        (
            BREAKER,
            f"The page is now a redirect: `redirect_to` sends its readers to `{MASTERY}`, "
            "where its content was merged.",
        )
    ]


def test_a_stubs_url_that_no_page_at_head_is_stays_as_written() -> None:
    url = "/circuit-breaker-transformed/"  # DStudio's: from the site's root, where none is
    candidates = built_from("docs/circuit-breaker-transformed")
    found = merges(
        FileList((ChangedFile(BREAKER, "modified"),)),
        (ReadFiles(FORK, (BREAKER,)), {BREAKER: GOLD_PAGE}),
        (ReadFiles(HEAD, (BREAKER,)), {BREAKER: stub(url).encode()}),
        (ReadFiles(HEAD, MKDOCS_FILES), dict.fromkeys(MKDOCS_FILES)),
        (ReadFiles(HEAD, candidates), dict.fromkeys(candidates)),
    )
    assert [message.split(" sends its readers to ")[1] for _, message in found] == [
        f"`{url}`, where its content was merged."
    ]


def test_a_kept_page_the_change_maps_away_in_mkdocs_yml_is_a_merge_with_no_more_reads() -> None:
    site = (
        b"plugins:\n  - redirects:\n      redirect_maps:\n"
        b"        pattern-library/resilience/timeout.md: pattern-library/resilience/retry.md\n"
    )
    found = merges(
        FileList((ChangedFile(KEPT, "modified"), ChangedFile("mkdocs.yml", "modified"))),
        (ReadFiles(FORK, (KEPT,)), {KEPT: GOLD_PAGE}),
        (ReadFiles(HEAD, (KEPT, *MKDOCS_FILES)), {KEPT: GOLD_PAGE, "mkdocs.yml": site}),
    )
    assert found == [
        (
            KEPT,
            f"The page is now a redirect: `mkdocs.yml` sends its readers to `{RETRY}`, "
            "where its content was merged.",
        )
    ]


def test_a_site_file_read_with_the_pages_says_how_a_stub_url_reads() -> None:
    """Without directory URLs, `retry.html` beside the page is `retry.md`: no read of its own."""
    site = b"use_directory_urls: false\n"
    found = merges(
        FileList((ChangedFile(BREAKER, "modified"), ChangedFile("mkdocs.yml", "modified"))),
        (ReadFiles(FORK, (BREAKER,)), {BREAKER: GOLD_PAGE}),
        (
            ReadFiles(HEAD, (BREAKER, *MKDOCS_FILES)),
            {BREAKER: stub("retry.html").encode(), "mkdocs.yml": site},
        ),
        (ReadFiles(HEAD, built_from(f"{LIB}/resilience/retry")), {RETRY: GOLD_PAGE}),
    )
    assert [message.split(" sends its readers to ")[1] for _, message in found] == [
        f"`{RETRY}`, where its content was merged."
    ]
