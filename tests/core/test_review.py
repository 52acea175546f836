"""The pull-request review: the pure planner, and `review_range` over real git repositories."""

from __future__ import annotations

import re

import pytest
from support.git_repo import CORPUS, EXAMPLES, GitRepo, drop_key, example_library, set_key
from support.pages import BRONZE, GOLD, SILVER, page

from bot.adapters.files import load_policy
from bot.adapters.git import GitCheckout
from bot.core.config import Config
from bot.core.documents import parse_text
from bot.core.links import Links
from bot.core.review.comment import SCREENS, outside_fold
from bot.core.review.model import ChangedPage, OnPullRequest, Review
from bot.core.review.plan import review_pages
from bot.jobs.review.gather import review_range
from bot.port.drive import run

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"  # gold, clean
LOAD_BALANCING = f"{LIB}/scaling/load-balancing.md"  # gold, empty modern_examples
AUTO_SCALING = f"{LIB}/scaling/auto-scaling.md"  # no excellence_tier
EVENT_SOURCING = f"{LIB}/data-management/event-sourcing.md"  # silver, clean
ZWSP = "\u200b"


# --- helpers ---------------------------------------------------------------------------------


def found(review: Review, path: str) -> list[tuple[str, str]]:
    """(rule, state) of every finding on ``path``."""
    pages = [p for p in review.pages if p.path == path]
    assert pages, f"{path} not reviewed"
    return [(f.finding.rule, f.state) for f in pages[0].findings]


def review(repo: GitRepo, base: str = "main", head: str = "feature") -> Review:
    checkout = GitCheckout(repo.path)
    return run(review_range(base, head, full_report="printed"), checkout.execute)[0]


@pytest.fixture
def library(git_repo: GitRepo) -> GitRepo:
    return example_library(git_repo)


def plan(*changes: ChangedPage, config: Config | None = None, **kwargs) -> Review:
    return review_pages(changes, config or Config(), load_policy(), **kwargs)


def modified(path: str, base: str, head: str) -> ChangedPage:
    return ChangedPage(path, "modified", base=base.encode(), head=head.encode())


# --- the pure planner ---------------------------------------------------------------------------


def test_findings_are_new_existing_or_fixed() -> None:
    base = page(SILVER, {"best_for": None, "introduced": "1990s"})
    head = page(SILVER, {"trade_offs": None, "introduced": "1990s"})
    assert found(plan(modified(f"{LIB}/a.md", base, head)), f"{LIB}/a.md") == [
        ("silver-trade-offs", "new"),
        ("introduced-format", "existing"),
        ("silver-best-for", "fixed"),
    ]


def test_only_pattern_pages_are_reviewed_and_none_is_neutral() -> None:
    result = plan(ChangedPage("README.md", "modified", base=b"x", head=b"y"))
    assert (result.pages, result.conclusion) == ((), "neutral")
    assert result.summary == "No pattern pages changed"


def test_labels_touch_only_tierbots_own() -> None:
    on_pull_request = OnPullRequest(("tier: silver", "needs: tier-metadata", "help wanted"))
    added = ChangedPage(f"{LIB}/a.md", "added", head=page(GOLD).encode())
    result = plan(added, on_pull_request=on_pull_request)
    assert result.labels_add == ("tier: gold",)
    assert result.labels_remove == ("needs: tier-metadata", "tier: silver")
    # A cut-short file list does not show the whole change: nothing is taken away.
    assert plan(added, on_pull_request=on_pull_request, truncated=True).labels_remove == ()


@pytest.mark.parametrize(
    ("fail_on", "conclusion"),
    [("new-errors", "success"), ("errors", "failure"), ("never", "success")],
)
def test_fail_on_decides_on_existing_errors(fail_on: str, conclusion: str) -> None:
    broken = page(BRONZE, {"modern_alternatives": None})
    touched = modified(f"{LIB}/a.md", broken, broken + "\nMore prose.\n")
    assert plan(touched, config=Config(fail_on=fail_on)).conclusion == conclusion


def test_fail_on_never_is_neutral_with_new_errors() -> None:
    broken = ChangedPage(f"{LIB}/a.md", "added", head=page(GOLD, {"modern_examples": ""}).encode())
    assert plan(broken, config=Config(fail_on="never")).conclusion == "neutral"


def test_a_long_comment_names_fewer_pages_and_says_what_it_left_out() -> None:
    broken = page(GOLD, {"modern_examples": "", "production_checklist": None}).encode()
    changes = [ChangedPage(f"{LIB}/p{n:03}.md", "added", head=broken) for n in range(700)]
    result = plan(*changes, head_sha="c" * 40, links=Links(repository="o/r"))
    assert outside_fold(result.comment) <= SCREENS
    # Both kinds of problem stay, each once, with the first pages named and the rest counted.
    assert result.comment.count("- [ ] ") == 2
    assert result.comment.count("700 pages: [`p000.md` line") == 2
    named = len(re.findall(r"\[`p\d{3}\.md` line \d+\]", result.comment))
    left = re.search(r"Shortened to fit: (\d+) new findings are not named here", result.comment)
    assert left and int(left[1]) == 1400 - named > 0
    assert "rules and config from the base branch" in result.comment


def test_an_impossible_date_is_a_finding_not_a_crash() -> None:
    text = page(GOLD, {"last_updated": "2025-02-30"})
    result = plan(ChangedPage(f"{LIB}/a.md", "added", head=text.encode()))
    (finding,) = result.pages[0].findings
    assert (finding.finding.rule, finding.state) == ("front-matter", "new")
    assert "day is out of range for month" in finding.finding.message


@pytest.mark.parametrize(
    "front",
    [
        'excellence_tier: "@octocat <img src=x onerror=alert(1)>"',
        "title: x\nexcellence_tier: gold\nintroduced: @octocat <img src=x onerror=alert(1)>",
        "title: @octocat <img src=x onerror=alert(1)>\n  bad: [indent",
        'introduced: !!int "@octocat <img src=x onerror=alert(1)>"',
    ],
    ids=["tier", "value", "yaml-error", "yaml-error-quoting-the-page"],
)
def test_page_text_cannot_ping_or_inject_html(front: str) -> None:
    text = f"---\n{front}\n---\n# @octocat <img src=x onerror=alert(1)>\n"
    result = plan(ChangedPage(f"{LIB}/@octocat <img>.md", "added", head=text.encode()))
    assert result.conclusion == "failure"
    assert "<img" not in result.comment
    assert re.search(r"@(?!\u200b)", result.comment) is None
    assert f"@{ZWSP}octocat" in result.comment


# --- local git: the acceptance scenarios -----------------------------------------------------


def test_adding_a_clean_gold_page(library: GitRepo) -> None:
    library.commit({f"{LIB}/resilience/breaker-2.md": library.read(BREAKER)})
    result = review(library)
    assert [p.change.status for p in result.pages] == ["added"]
    assert found(result, f"{LIB}/resilience/breaker-2.md") == []
    assert (result.conclusion, result.labels_add) == ("success", ("tier: gold",))


def test_removing_modern_examples_from_a_gold_page(library: GitRepo) -> None:
    library.commit({BREAKER: drop_key(library.read(BREAKER), "modern_examples")})
    result = review(library)
    assert result.conclusion == "failure"
    assert found(result, BREAKER) == [("gold-modern-examples", "new")]
    assert set(result.labels_add) == {"tier: gold", "needs: tier-metadata"}


def test_fixing_a_page(library: GitRepo) -> None:
    examples = "\n  - company: A\n    implementation: B\n    scale: C" * 2
    fixed = library.read(LOAD_BALANCING).replace("modern_examples:", "modern_examples:" + examples)
    library.commit({LOAD_BALANCING: fixed})
    result = review(library)
    assert found(result, LOAD_BALANCING) == [("gold-modern-examples", "fixed")]
    assert result.conclusion == "success"
    fixed = "\n- ✅ Add a `modern_examples` list: at least 2 entries, each with company, "
    assert (
        fixed + "implementation and scale. `gold-modern-examples` · `load-balancing.md` line"
        in (result.comment)
    )
    assert result.summary == "no new problems on 1 page · 1 fixed"


def test_editing_a_failing_page_outside_its_front_matter(library: GitRepo) -> None:
    library.commit({AUTO_SCALING: library.read(AUTO_SCALING) + "\nMore prose.\n"})
    result = review(library)
    assert found(result, AUTO_SCALING) == [("tier-missing", "existing")]
    assert result.conclusion == "success"
    # The base branch by its real name.
    assert "<summary>Not blocking: 1 page with nothing new · 1 problem already on `main`" in (
        result.comment
    )
    assert "\n- `auto-scaling.md` · none · on `main`: `tier-missing`\n" in result.comment


def test_deleting_a_page(library: GitRepo) -> None:
    library.commit({BREAKER: None})
    result = review(library)
    assert found(result, BREAKER) == [("pattern-deleted", "new")]
    assert result.conclusion == "failure"
    # The page is named once (linked where it still is, the fork point, when on GitHub).
    assert "- [ ] ❌ **Restore the page, move it to an `archive/` folder" in result.comment
    said = "`pattern-deleted` — The page is deleted; the library keeps all content."
    assert f"{said} · `circuit-breaker.md` (deleted)\n" in result.comment
    assert result.comment.count("circuit-breaker.md") == 1


def test_moving_a_page_to_archive_is_not_a_deletion(library: GitRepo) -> None:
    library.move(BREAKER, f"{LIB}/archive/circuit-breaker.md")
    library.commit()
    (page_review,) = review(library).pages
    assert (page_review.change.status, page_review.change.previous_path) == ("renamed", BREAKER)
    assert page_review.findings == ()


def test_promotion_from_silver_to_gold(library: GitRepo) -> None:
    library.commit(
        {EVENT_SOURCING: set_key(library.read(EVENT_SOURCING), "excellence_tier", "gold")}
    )
    result = review(library)
    assert ("tier-changed", "new") in found(result, EVENT_SOURCING)
    assert "tier: changed" in result.labels_add and "tier: gold" in result.labels_add
    assert "\n- 🥈 silver → 🏆 gold: `event-sourcing.md`\n" in result.comment
    # The notice asks a maintainer to confirm the change: listed there, not as a problem to fix.
    assert "`tier-changed`" not in result.comment
    assert result.summary.endswith("on 1 of 1 page · 1 promotion")


def test_a_page_losing_its_tier_says_what_it_was(library: GitRepo) -> None:
    library.commit({BREAKER: drop_key(library.read(BREAKER), "excellence_tier")})
    result = review(library)
    (missing,) = [f for f in result.pages[0].findings if f.finding.rule == "tier-missing"]
    assert missing.state == "new"
    assert missing.finding.message.endswith("It was `gold` on the base branch.")
    assert "tier: changed" in result.labels_add


def test_changes_on_main_after_the_branch_point_are_not_the_prs(library: GitRepo) -> None:
    # The branch touches a broken page's prose; main then fixes that page and another one.
    library.commit({LOAD_BALANCING: library.read(LOAD_BALANCING) + "\nMore prose.\n"})
    library.switch("main")
    example = "\n  - company: A\n    implementation: B\n    scale: C" * 2
    text = library.read(LOAD_BALANCING).replace("modern_examples:", "modern_examples:" + example)
    library.commit({LOAD_BALANCING: text, AUTO_SCALING: "---\nexcellence_tier: gold\n---\n"})
    result = review(library)
    assert [p.path for p in result.pages] == [LOAD_BALANCING]
    assert found(result, LOAD_BALANCING) == [("gold-modern-examples", "existing")]
    assert result.conclusion == "success"


WEAKENED_CONFIG = 'severity:\n  gold-modern-examples: "off"\nfail-on: never\n'


@pytest.mark.parametrize("weaken", ["config", "rules"])
def test_a_pr_cannot_weaken_the_rules_it_is_judged_by(library: GitRepo, weaken: str) -> None:
    library.switch("main")
    rules = (EXAMPLES.parent / "rules" / "dstudio.yml").read_text(encoding="utf-8")
    library.commit({".github/tierbot.yml": "rules: rules/tiers.yml\n", "rules/tiers.yml": rules})
    library.switch("feature-2", create=True)
    if weaken == "config":
        library.write({".github/tierbot.yml": WEAKENED_CONFIG})
    else:
        start = rules.index("  - id: gold-modern-examples\n")
        end = rules.index("  - id: gold-modern-examples-count")
        library.write({"rules/tiers.yml": rules[:start] + rules[end:]})
    weakened = library.commit(message="weaken")
    library.commit({BREAKER: drop_key(library.read(BREAKER), "modern_examples")})
    # Control: with the weakened settings on the base, the same page change would pass.
    assert found(review(library, weakened, "feature-2"), BREAKER) == []
    result = review(library, "main", "feature-2")
    assert result.conclusion == "failure"
    assert found(result, BREAKER) == [("gold-modern-examples", "new")]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared DStudio corpus is not present")
def test_real_corpus_prose_edits_blame_nothing_and_a_real_regression_is_found(
    git_repo: GitRepo,
) -> None:
    pages = [p for p in git_repo.copy_tree(CORPUS) if Config().is_pattern_page(p)]
    git_repo.commit(message="the corpus")
    git_repo.switch("feature", create=True)
    git_repo.commit({p: git_repo.read(p) + "\nOne more sentence.\n" for p in pages})
    result = review(git_repo)
    typed = [p for p in pages if Config().other_type(parse_text(p, git_repo.read(p)).meta)]
    assert len(result.pages) == len(pages) - len(typed) > 100  # other types are not reviewed
    assert result.counts[("new", "error")] == result.counts[("new", "warning")] == 0
    assert result.conclusion == "success"

    golds = [p for p in pages if re.search(r"(?m)^excellence_tier: gold\s*$", git_repo.read(p))]
    good = next(p for p in golds if not any(f for f in found(result, p)))
    git_repo.commit({good: drop_key(git_repo.read(good), "modern_examples")})
    again = review(git_repo)
    assert [f for f in found(again, good) if f[1] == "new"] == [("gold-modern-examples", "new")]
    assert again.conclusion == "failure"
