"""Redirect stubs and pages mkdocs.yml maps away are not patterns: skipped, or in a pull
request a merge (the pattern-merged notice), never asked for tier metadata."""

from __future__ import annotations

import pytest
from support.pages import GOLD, page, stub

from bot.adapters.files import load_policy
from bot.core.config import Config
from bot.core.mkdocs import Redirects, Site, read_redirects
from bot.core.review.model import ChangedPage, Review
from bot.core.review.plan import review_pages
from bot.core.rules.report import skipped_line
from bot.core.selection import (
    REDIRECT,
    TYPE,
    Skipped,
    is_pattern_change,
    redirect_in,
    redirect_of,
    skipped_page,
)

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
MASTERY = f"{LIB}/resilience/circuit-breaker-mastery.md"
URL = "/circuit-breaker-transformed/"  # DStudio's: no page of the site is there
GOLD_PAGE = page(GOLD)
STUB = stub(URL)
UNTIERED = page(GOLD, {"excellence_tier": None})
#: What a site URL of a folder may be built from, in that order.
TRANSFORMED = (
    "circuit-breaker-transformed.md",
    "circuit-breaker-transformed/index.md",
    "circuit-breaker-transformed/README.md",
)


# --- where a URL of the site leads ------------------------------------------------------------


@pytest.mark.parametrize(
    "site, url, pages",
    [
        (Site(), URL, tuple(f"docs/{name}" for name in TRANSFORMED)),
        (Site(), "/pattern-library/resilience/circuit-breaker-mastery/#how", (MASTERY,)),
        (Site(), "../circuit-breaker-mastery/", (MASTERY,)),  # from the page's own URL folder
        (Site(), "circuit-breaker-mastery.md", (MASTERY,)),  # a Markdown link: from its folder
        (Site(directory_urls=False), "circuit-breaker-mastery.html", (MASTERY,)),
        (
            Site(url="https://x.github.io/DStudio/"),
            "/DStudio/pattern-library/resilience/circuit-breaker-mastery/",
            (MASTERY,),
        ),
        (
            Site(url="https://x.github.io/DStudio/"),
            "https://x.github.io/DStudio/pattern-library/resilience/circuit-breaker-mastery.html",
            (MASTERY,),
        ),
        (Site(docs_dir="site"), "/", ("site/index.md", "site/README.md")),
        (Site(), "https://example.com/breaker", ()),  # off the site
        (Site(), "../../../../../up/", ()),  # above the site's root
        (Site(), "#top", ()),
    ],
)
def test_a_url_of_the_site_names_the_pages_it_may_be_built_from(site, url, pages):
    found = site.pages_of(BREAKER, url)
    assert found[: len(pages) or None] == pages  # the likeliest first


def test_mkdocs_yml_gives_the_url_scheme_and_redirects_off_the_site() -> None:
    site = b"""\
site_url: https://x.github.io/DStudio
use_directory_urls: false
plugins:
  - redirects:
      redirect_maps:
        pattern-library/old.md: https://example.com/old
        pattern-library/moved.md: pattern-library/new.md
"""
    redirects = read_redirects({"mkdocs.yml": site})

    assert redirects.site == Site("docs", False, "https://x.github.io/DStudio/")
    assert redirects.redirect(f"{LIB}/old.md") == "https://example.com/old"
    assert redirects.target(f"{LIB}/old.md") is None  # no page: a deletion is no merge
    assert redirects.redirect(f"{LIB}/moved.md") == f"{LIB}/new.md"
    assert redirects.redirect(f"{LIB}/kept.md") is None


# --- which pages are redirects ----------------------------------------------------------------


@pytest.mark.parametrize(
    "meta, url",
    [
        ({"redirect_to": URL}, URL),
        ({"redirect_to": "  ../x/ "}, "../x/"),
        ({"redirect_to": ""}, None),
        ({"redirect_to": None}, None),
        ({"redirect_to": ["/a/"]}, None),  # not a URL: the page stays checked
        ({}, None),
        (None, None),
    ],
)
def test_a_page_is_a_redirect_stub_when_its_redirect_to_is_a_url(meta, url):
    assert redirect_of(meta) == url


def test_only_bytes_that_name_the_field_are_parsed_for_it() -> None:
    assert redirect_in(STUB.encode()) == URL
    assert redirect_in(b"---\ntitle: x\n---\nredirect_to: /a/ in the body\n") is None
    assert redirect_in(GOLD_PAGE.encode()) is None
    assert redirect_in(None) is None


def test_a_redirect_is_skipped_saying_what_redirects_it() -> None:
    mapped = Redirects("mkdocs.yml", {MASTERY: BREAKER})
    config = Config()

    assert skipped_page(config, BREAKER, {"redirect_to": URL}) == Skipped(
        BREAKER, REDIRECT, "redirect_to"
    )
    assert skipped_page(config, MASTERY, {"title": "x"}, mapped) == Skipped(
        MASTERY, REDIRECT, "mkdocs.yml"
    )
    assert skipped_page(config, BREAKER, {"title": "x"}, mapped) is None
    guide = {"type": "guide", "redirect_to": URL}  # a declared type says more
    assert skipped_page(config, BREAKER, guide) == Skipped(BREAKER, TYPE, "guide")


def test_the_skip_line_counts_redirects_by_what_redirects_them() -> None:
    skipped = [
        Skipped("a.md", REDIRECT, "redirect_to"),
        Skipped("b.md", REDIRECT, "redirect_to"),
        Skipped("c.md", REDIRECT, "mkdocs.yml"),
        Skipped("d.md", TYPE, "guide"),
        Skipped("index.md", "exclude", "**/index.md"),
    ]
    assert skipped_line(skipped) == (
        "5 skipped: type guide 1; redirect redirect_to 2, mkdocs.yml 1; exclude **/index.md 1"
    )


@pytest.mark.parametrize(
    "base, head, reviewed",
    [
        (GOLD_PAGE, STUB, True),  # a pattern made a redirect: a merge, for a maintainer
        (None, STUB, False),  # a stub added
        (STUB, STUB, False),  # a stub edited
        (STUB, None, False),  # a stub deleted
        (STUB, GOLD_PAGE, True),  # a stub made a page again
    ],
)
def test_a_change_is_reviewed_unless_every_side_is_a_redirect(base, head, reviewed):
    sides = [side.encode() if side is not None else None for side in (head, base)]
    assert is_pattern_change(Config(), *sides) is reviewed


# --- the review: a page made a redirect is a merge ---------------------------------------------


def plan(*changes: ChangedPage) -> Review:
    return review_pages(changes, Config(), load_policy())


def only(review: Review) -> tuple[str, str, str, str]:
    ((page,),) = (review.pages,)
    ((item,),) = (page.findings,)
    return item.finding.rule, item.finding.severity, item.state, item.finding.message


def test_a_gold_page_made_a_stub_is_a_merge_not_a_tier_removed() -> None:
    review = plan(ChangedPage(BREAKER, "modified", base=GOLD_PAGE.encode(), head=STUB.encode()))

    rule, severity, state, message = only(review)
    assert (rule, severity, state) == ("pattern-merged", "notice", "new")
    assert message == (
        f"The page is now a redirect: `redirect_to` sends its readers to `{URL}`, "
        "where its content was merged."
    )
    [page] = review.pages
    assert (page.change.tier_base, page.change.tier_head) == ("gold", None)
    assert not page.change.tier_changed  # the notice is the confirmation asked for
    assert review.conclusion == "success" and review.labels_add == ()
    assert "tier" not in review.summary


def test_a_stub_names_the_page_its_url_was_found_to_be() -> None:
    change = ChangedPage(
        BREAKER, "modified", base=GOLD_PAGE.encode(), head=STUB.encode(), merged_into=MASTERY
    )
    *_, message = only(plan(change))
    assert f"sends its readers to `{MASTERY}`" in message


def test_a_kept_page_mkdocs_yml_maps_away_is_a_merge_whatever_it_holds() -> None:
    change = ChangedPage(
        BREAKER, "modified", base=GOLD_PAGE.encode(), head=UNTIERED.encode(), merged_into=MASTERY
    )
    rule, _, _, message = only(plan(change))
    assert rule == "pattern-merged"
    assert f"The page is now a redirect: `mkdocs.yml` sends its readers to `{MASTERY}`" in message


def test_a_deleted_page_mkdocs_yml_redirects_is_still_said_deleted() -> None:
    change = ChangedPage(BREAKER, "removed", base=GOLD_PAGE.encode(), merged_into=MASTERY)
    *_, message = only(plan(change))
    assert message.startswith("The page is deleted: `mkdocs.yml` sends its readers to")


def test_stubs_added_edited_or_deleted_are_not_reviewed() -> None:
    review = plan(
        ChangedPage(f"{LIB}/a.md", "added", head=STUB.encode()),
        ChangedPage(f"{LIB}/b.md", "modified", base=STUB.encode(), head=stub("/b/").encode()),
        ChangedPage(f"{LIB}/c.md", "removed", base=STUB.encode()),
    )
    assert review.pages == () and review.conclusion == "neutral"


def test_a_stub_made_a_page_again_is_judged_as_new_content() -> None:
    review = plan(ChangedPage(BREAKER, "modified", base=STUB.encode(), head=UNTIERED.encode()))
    [page] = review.pages
    # The stub's own findings (tier-missing) are neither existing nor fixed: it was no page.
    assert [(f.finding.rule, f.state) for f in page.findings] == [("tier-missing", "new")]
    assert page.change.tier_base is None
