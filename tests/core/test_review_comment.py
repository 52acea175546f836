"""The review comment as a maintainer reads it: headline, checklist, tier changes, one fold."""

from __future__ import annotations

import re

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from support.pages import BRONZE, GOLD, SILVER, default_policy, page

from bot.core.config import Config, PromotionsConfig
from bot.core.links import Links, github_remote
from bot.core.review.comment import render_review
from bot.core.review.headline import HEADLINE_LIMIT
from bot.core.review.model import ChangedPage, Review
from bot.core.review.plan import review_pages
from bot.core.rules.kinds import PageChange

LIB = "docs/pattern-library"
HEAD = "c" * 40
LINKS = Links("https://github.com", "octo/patterns")
BROKEN_GOLD = page(GOLD, {"modern_examples": ""})  # one error: no modern_examples
UNTIERED = page(GOLD, {"excellence_tier": None})
FOLD = re.compile(r"<details>.*?</details>", re.S)


def review(
    *changes: ChangedPage, severity: dict[str, str] | None = None, config: Config | None = None
) -> Review:
    policy = default_policy().with_severities(severity or {})
    return review_pages(changes, config or Config(), policy, head_sha=HEAD, links=LINKS)


def modified(name: str, base: str, head: str) -> ChangedPage:
    return ChangedPage(f"{LIB}/{name}", "modified", base=base.encode(), head=head.encode())


def linked(name: str) -> str:
    """A page as a tier change names it: linked to the page (not a line) at head."""
    return f"[`{name}`](https://github.com/octo/patterns/blob/{HEAD}/{LIB}/{name})"


def headline(comment: str) -> str:
    return comment.splitlines()[1]


def html(comment: str) -> str:
    """The comment as GitHub renders it (cmarkgfm is GitHub's own Markdown)."""
    return cmarkgfm.github_flavored_markdown_to_html(comment, options=Options.CMARK_OPT_UNSAFE)


#: A change with something in every section: new problems (one shared by two pages), tier
#: changes (a demotion and a first tier), a fix, a problem already on main, a clean page.
MIXED = (
    modified("a.md", page(GOLD), BROKEN_GOLD),
    modified("b.md", page(GOLD), BROKEN_GOLD),
    modified("c.md", page(GOLD), page(SILVER)),
    modified("d.md", UNTIERED, page(GOLD)),
    modified("e.md", BROKEN_GOLD, page(GOLD)),
    modified(
        "f.md",
        page(BRONZE, {"modern_alternatives": None}),
        page(BRONZE, {"modern_alternatives": None}) + "\nMore.\n",
    ),
    modified("g.md", page(SILVER), page(SILVER) + "\nMore prose.\n"),
)


def test_the_headline_is_one_line_of_counts_never_a_list_of_paths() -> None:
    changes = [
        *(modified(f"gone-{n:03}.md", page(GOLD), UNTIERED) for n in range(300)),
        *(modified(f"down-{n:03}.md", page(GOLD), page(BRONZE)) for n in range(20)),
        *(modified(f"up-{n:03}.md", page(SILVER), page(GOLD)) for n in range(10)),
        *(modified(f"new-{n:03}.md", UNTIERED, page(GOLD)) for n in range(5)),
        *(modified(f"fix-{n:03}.md", BROKEN_GOLD, page(GOLD)) for n in range(5)),
    ]
    result = review(*changes)
    line = headline(result.comment)
    assert len(line) <= HEADLINE_LIMIT and ".md" not in line
    # Four kinds of tier change at once are counted together (the first tiers fix tier-missing).
    assert (
        line == "### ❌ tierbot: 300 new errors on 300 of 340 pages · 10 fixed · 335 tier changes"
    )
    assert headline(review(*changes[:300]).comment).endswith(" · 300 tiers removed")


def test_the_checklist_comes_first_and_links_each_line_at_the_head_commit() -> None:
    comment = review(*MIXED).comment
    sections = ["**New problems**", "**Tier changes**", "**Fixed**", "<details>", "\n---\n"]
    places = [comment.index(section) for section in sections]
    assert places == sorted(places) and comment.index("- [ ] ") < places[1]
    assert comment.count("<details>") == 1 and "|:--" not in comment  # no table anywhere
    line = BROKEN_GOLD.splitlines().index("modern_examples:") + 1
    # A Markdown page's line is linked in its source view: the rendered page has no lines.
    url = f"https://github.com/octo/patterns/blob/{HEAD}/{LIB}/a.md?plain=1#L{line}"
    assert f"[`a.md` line {line}]({url})" in comment


def test_a_problem_several_pages_share_is_said_once_with_its_pages_on_its_line() -> None:
    comment = review(*MIXED).comment
    fix = "Add a `modern_examples` list: at least 2 entries"
    assert comment.count(fix) == 2  # once to do, once fixed
    (item,) = [line for line in comment.splitlines() if fix in line and "- [ ]" in line]
    assert "`a.md` line" in item and "`b.md` line" in item


def test_identical_instructions_merge_whatever_their_messages_say() -> None:
    wrong = [
        modified(f"{name}.md", page(GOLD), page(GOLD, {"pattern_status": value}))
        for name, value in (("a", "stable"), ("b", "beta"), ("c", "done"))
    ]
    comment = review(*wrong).comment
    (item,) = [line for line in comment.splitlines() if line.startswith("- [ ] ")]
    assert item.count("`pattern-status`") == 1 and "3 pages" not in item
    assert all(f"`{name}.md` line" in item for name in "abc")
    # Messages differ: none is said on the shared line (the full report says each).
    assert "stable" not in item
    full = render_review(review(*wrong), full=True)
    assert "`stable`" in full and "`beta`" in full and "`done`" in full


def test_tier_changes_are_listed_first_tiers_included() -> None:
    result = review(*MIXED)
    changes = f"\n- 🏆 gold → 🥈 silver: {linked('c.md')}\n- none → 🏆 gold: {linked('d.md')}\n"
    assert changes in result.comment
    assert result.summary.endswith("· 1 demotion · 1 first tier")
    # The tier-changed notice is the list's: a maintainer confirms it, nobody fixes it.
    assert "`tier-changed`" not in result.comment
    assert "tier: changed" in result.labels_add


def test_a_page_losing_its_tier_is_said_once_on_its_tier_change() -> None:
    lost = [modified(f"{name}.md", page(GOLD), UNTIERED) for name in "abc"]
    lost.append(modified("d.md", page(SILVER), page(SILVER, {"excellence_tier": None})))
    comment = review(*lost).comment
    assert "**New problems**" not in comment
    add = (
        "**Add `excellence_tier: gold`, `silver` or `bronze` to the front matter.** `tier-missing`"
    )
    assert comment.count(add) == 2  # gold → none and silver → none: one line each
    gone = ", ".join(linked(name) for name in ("a.md", "b.md", "c.md"))
    assert f"- [ ] ❌ 🏆 gold → none: {gone} — {add}\n" in comment
    assert f"- [ ] ❌ 🥈 silver → none: {linked('d.md')} — {add}\n" in comment
    # A page's tier is its tier at head: none, so no tier emoji heads it anywhere else.
    (folded,) = FOLD.findall(comment) or [""]
    assert "🏆" not in folded


def test_none_to_gold_is_a_tier_change_of_a_kept_page_only() -> None:
    (first,) = review(modified("d.md", UNTIERED, page(GOLD))).pages
    assert first.change.tier_changed
    assert [(f.finding.rule, f.finding.message, f.state) for f in first.findings] == [
        ("tier-changed", "Tier changed: none → gold.", "new"),
        ("tier-missing", first.findings[1].finding.message, "fixed"),
    ]
    assert not PageChange(f"{LIB}/n.md", "added", None, None, "gold").tier_changed


def test_a_tier_change_a_rule_makes_blocking_gets_a_box_to_tick() -> None:
    result = review(modified("c.md", page(GOLD), page(SILVER)), severity={"tier-changed": "error"})
    assert result.conclusion == "failure"
    assert f"\n- [ ] ❌ 🏆 gold → 🥈 silver: {linked('c.md')}\n" in result.comment


def test_a_gated_promotion_says_whose_approval_it_needs_once() -> None:
    gated = Config(promotions=PromotionsConfig(approvers=("lead", "acme/maintainers")))
    changes = (
        modified("a.md", page(SILVER), page(GOLD)),
        modified("b.md", page(SILVER), page(GOLD)),
        modified("c.md", page(GOLD), page(SILVER)),
    )
    comment = review(*changes, config=gated).comment
    needs = " — needs approval from `lead` or `acme/maintainers`"
    assert f"🥈 silver → 🏆 gold: {linked('a.md')}, {linked('b.md')}{needs}\n" in comment
    assert comment.count("needs approval") == 1  # the demotion needs nobody's
    assert "needs approval" not in review(*changes).comment  # no approvers: no gate


def test_a_new_page_at_a_gated_tier_says_whose_approval_it_needs() -> None:
    gated = Config(promotions=PromotionsConfig(approvers=("lead",)))
    new = ChangedPage(f"{LIB}/n.md", "added", head=page(GOLD).encode())
    comment = review(new, config=gated).comment
    assert f"new page → 🏆 gold: {linked('n.md')} — needs approval from `lead`\n" in comment
    assert "new page →" not in review(new).comment  # ungated, a new page is no tier change


def test_fixed_problems_say_what_was_done_with_their_pages() -> None:
    twice = page(GOLD, {"modern_examples": "", "production_checklist": None})
    comment = review(*MIXED, modified("h.md", twice, page(GOLD))).comment
    examples = (
        "Add a `modern_examples` list: at least 2 entries, each with company, implementation "
        "and scale."
    )
    assert f"\n- ✅ {examples} `gold-modern-examples` · `e.md` line" in comment
    assert ", `h.md` line" in comment.split(f"- ✅ {examples}")[1].splitlines()[0]
    checklist = "Add a `production_checklist` list of the steps to run this pattern in production."
    assert f"\n- ✅ {checklist} `gold-production-checklist` · `h.md` line" in comment


def test_everything_that_asks_nothing_is_in_one_fold_a_line_a_page() -> None:
    comment = review(*MIXED).comment
    (folded,) = FOLD.findall(comment)
    assert "- [ ]" not in folded
    assert (
        "<summary>Not blocking: 2 pages with nothing new · 1 problem already on the base branch"
        in folded
    )
    assert folded.splitlines()[2:4] == [
        "- `f.md` · 🥉 bronze · on the base branch: `bronze-modern-alternatives`",
        "- `g.md` · 🥈 silver",
    ]


def test_a_change_with_no_new_problems_is_a_headline_and_a_fold() -> None:
    changes = [
        modified(f"p{n:03}.md", BROKEN_GOLD, BROKEN_GOLD + "\nSee [x](y.md#z).\n")
        for n in range(109)
    ]
    comment = review(*changes).comment
    assert headline(comment) == "### ✅ tierbot: no new problems on 109 pages"
    assert "- [ ]" not in comment and comment.count("<details>") == 1
    assert len(FOLD.sub("", comment)) <= 600


def test_the_comment_renders_as_github_renders_it() -> None:
    result = review(*MIXED)
    rendered = html(result.comment)
    # One box per instruction: two pages share the one new problem; tier changes block nothing.
    assert rendered.count('<input type="checkbox" disabled="" />') == 1
    assert rendered.count("<details>") == 1 and "<h3>❌ tierbot:" in rendered
    hrefs = re.findall(r'<a href="([^"]+)"', rendered)
    ours = [href for href in hrefs if "tierbot/tierbot" not in href]
    assert ours and all(f"/blob/{HEAD}/" in href or "/tree/" in href for href in ours)
    assert "https://github.com/tierbot/tierbot#rule-reference" in hrefs  # the footer's


def test_page_text_makes_no_link_ping_or_html_however_it_is_written() -> None:
    hostile = "[click](//evil.example/x) @octocat <img src=x> ![i](y.png) (kept)"
    text = f'---\nexcellence_tier: gold\nintroduced: !!int "{hostile}"\n---\n# T\n'
    comment = review(ChangedPage(f"{LIB}/a.md", "added", head=text.encode())).comment
    rendered = html(comment)
    assert "(kept)" in rendered  # the page's text is quoted, parentheses as they were
    assert not [href for href in re.findall(r'href="([^"]+)"', rendered) if "evil" in href]
    assert "<img" not in rendered and "@octocat" not in rendered and "@\u200boctocat" in rendered


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/octo/patterns.git", Links("https://github.com", "octo/patterns")),
        ("git@github.com:octo/patterns.git", Links("https://github.com", "octo/patterns")),
        ("ssh://git@github.com/octo/patterns", Links("https://github.com", "octo/patterns")),
        (
            "https://token@github.acme.com/octo/patterns/",
            Links("https://github.acme.com", "octo/patterns"),
        ),
        ("https://gitlab.com/octo/patterns.git", Links()),
        ("/srv/git/patterns.git", Links()),
    ],
)
def test_a_local_remote_gives_links_only_on_github(remote: str, expected: Links) -> None:
    assert github_remote(remote) == expected


def test_a_pull_requests_page_names_its_repository() -> None:
    links = Links.of_web_url("https://ghe.acme.com/octo/patterns/pull/7")
    assert links == Links("https://ghe.acme.com", "octo/patterns")
    assert links._replace(ref=HEAD).blob("docs/a b.md", 3) == (
        f"https://ghe.acme.com/octo/patterns/blob/{HEAD}/docs/a%20b.md?plain=1#L3"
    )
    # A page without a line is the rendered page; a file GitHub does not render needs no flag.
    assert links._replace(ref=HEAD).blob("docs/a.md") == (
        f"https://ghe.acme.com/octo/patterns/blob/{HEAD}/docs/a.md"
    )
    assert links._replace(ref=HEAD).blob("mkdocs.yml", 4).endswith("/mkdocs.yml#L4")
