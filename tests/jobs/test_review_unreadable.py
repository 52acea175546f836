"""A changed page whose content the source did not give is an error, never a clean page."""

from __future__ import annotations

import pytest
from support.pages import GOLD, default_policy, page
from support.reviews import BASE, FORK, HEAD, LIB, PR, opening
from support.scripted import Script

from bot.core.config import CONFIG_PATH, Config
from bot.core.mkdocs import MKDOCS_FILES
from bot.core.quarterly.facts import read_pages
from bot.core.review.model import ChangedPage
from bot.core.review.plan import review_pages
from bot.core.rules.policy import Policy
from bot.errors import ConfigError
from bot.jobs.review.gather import judge_pull_request, pattern_directories
from bot.jobs.settings import settings_job
from bot.port.operations import ReadFiles
from bot.port.results import ChangedFile, FileList, Unreadable

PAGE = f"{LIB}/resilience/circuit-breaker.md"
NEEDS = "needs: tier-metadata"


def review_of(listed: FileList, at_fork: dict, at_head: dict):
    reads = [(ReadFiles(FORK, tuple(at_fork)), at_fork)] if at_fork else []
    script = Script(*opening(listed), *reads, (ReadFiles(HEAD, tuple(at_head)), at_head))
    review, _ = script.run(judge_pull_request(PR, "in the job summary"))
    script.assert_done()
    return review


def only_finding(review):
    (reviewed,) = review.pages
    (item,) = reviewed.findings
    return item


@pytest.mark.parametrize("status", ["added", "modified"])
def test_a_listed_page_the_source_has_not_is_an_error_not_an_absent_page(status: str) -> None:
    at_fork = {PAGE: page(GOLD).encode()} if status == "modified" else {}
    review = review_of(FileList((ChangedFile(PAGE, status),)), at_fork, {PAGE: None})

    item = only_finding(review)
    assert (item.finding.rule, item.finding.severity, item.state) == (
        "front-matter",
        "error",
        "new",
    )
    assert item.finding.message == (
        "Front matter unreadable: GitHub returned no content for this revision "
        f"(the change lists it as {status}, but no file is there)."
    )
    assert review.conclusion == "failure"
    assert NEEDS in review.labels_add
    assert PAGE in review.comment and "GitHub returned no content" in review.comment


def test_an_unreadable_page_names_the_reason_and_loses_no_label_to_an_unknown_tier() -> None:
    listed = FileList((ChangedFile(PAGE, "modified"),))
    review = review_of(
        listed, {PAGE: page(GOLD).encode()}, {PAGE: Unreadable("the path is a submodule")}
    )

    item = only_finding(review)
    assert item.finding.message.endswith("for this revision (the path is a submodule).")
    assert item.finding.line == 1
    # The head's tier is unknown: no "gold → none" tier change is claimed.
    assert review.pages[0].change.tier_head is None
    assert not review.pages[0].change.tier_changed
    assert review.labels_add == (NEEDS,)


def test_a_removed_page_absent_at_head_is_still_just_removed() -> None:
    listed = FileList((ChangedFile(PAGE, "removed"),))
    script = Script(
        *opening(listed),
        (ReadFiles(FORK, (PAGE,)), {PAGE: page(GOLD).encode()}),
        (ReadFiles(HEAD, MKDOCS_FILES), dict.fromkeys(MKDOCS_FILES)),  # no site config
    )
    review, _ = script.run(judge_pull_request(PR, "in the job summary"))

    assert [f.finding.rule for f in review.pages[0].findings] == ["pattern-deleted"]


def unreadable_review(policy: Policy, fail_on: str = "new-errors", base: bytes | None = None):
    change = ChangedPage(PAGE, "modified", base=base, head=Unreadable())
    return review_pages([change], Config(fail_on=fail_on), policy)


@pytest.mark.parametrize("fail_on", ["new-errors", "errors", "warnings", "never"])
def test_no_setting_makes_an_unread_page_pass(fail_on: str) -> None:
    review = unreadable_review(default_policy(), fail_on, base=page(GOLD).encode())
    assert review.conclusion != "success"
    assert review.conclusion == ("neutral" if fail_on == "never" else "failure")


def test_the_error_stays_an_error_where_the_rules_soften_or_drop_front_matter() -> None:
    softened = default_policy().with_severities({"front-matter": "notice"})
    dropped = default_policy().with_severities({"front-matter": "off"})
    for policy in (softened, dropped):
        item = only_finding(unreadable_review(policy))
        assert (item.finding.rule, item.finding.severity) == ("front-matter", "error")
        assert item.finding.message == (
            "Front matter unreadable: GitHub returned no content for this revision."
        )


def test_a_base_broken_like_the_head_does_not_make_the_error_existing() -> None:
    broken = b"no front matter\n"  # a front-matter finding at base, same fingerprint
    item = only_finding(unreadable_review(default_policy(), base=broken))
    assert item.state == "new"


@pytest.mark.parametrize(
    ("include", "directories"),
    [
        (None, ("docs/pattern-library/", "docs/patterns/")),
        (("handbook/*.md", "handbook/deep/**/*.md"), ("handbook/", "handbook/deep/")),
        (("docs/p*/**/*.md",), ("docs/",)),
        (("**/*.md",), ()),  # a glob that starts with a wildcard: everywhere
        (("README.md",), ()),
    ],
)
def test_pattern_directories_are_the_include_globs_literal_parents(include, directories) -> None:
    config = Config() if include is None else Config(include=include)
    assert pattern_directories(config) == directories


# --- the other readers of ReadFiles: settings stop, the quarterly lists the page's error --------


@pytest.mark.parametrize("which", ["config", "rules"])
def test_a_settings_file_there_but_not_read_stops_the_run_naming_it(which: str) -> None:
    submodule = Unreadable("the path is a submodule")
    config_answer = submodule if which == "config" else b"rules: policy/rules.yml\n"
    reads = [(ReadFiles(BASE, (CONFIG_PATH,)), {CONFIG_PATH: config_answer})]
    if which == "rules":
        reads.append((ReadFiles(BASE, ("policy/rules.yml",)), {"policy/rules.yml": submodule}))
    path = CONFIG_PATH if which == "config" else "policy/rules.yml"

    with pytest.raises(ConfigError) as raised:
        Script(*reads).run(settings_job(BASE, where="main"))

    assert str(raised.value) == (
        f"{path} at main: GitHub returned no content for this revision (the path is a submodule)"
    )


def test_the_quarterly_keeps_an_unread_page_with_its_error() -> None:
    found = read_pages({PAGE: Unreadable(), f"{LIB}/gone.md": None}, default_policy())
    (facts,) = found
    assert (facts.path, facts.meta, facts.tier) == (PAGE, None, None)
    assert [(f.rule, f.severity) for f in facts.findings] == [("front-matter", "error")]
