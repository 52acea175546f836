"""Which pages are pattern pages: the `types` setting, and the same choice in every job."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.pages import GOLD, SILVER, default_policy, findings, page, stub
from support.scripted import Script

from bot.adapters.files import library_in
from bot.core.config import CONFIG_PATH, Config
from bot.core.config_file import parse_config
from bot.core.documents import parse_text
from bot.core.review.model import ChangedPage
from bot.core.review.plan import review_pages
from bot.core.rules.evaluate import Finding, evaluate
from bot.core.selection import is_pattern_change
from bot.errors import ConfigError
from bot.jobs.quarterly.gather import library_at
from bot.port.operations import ListTree, ReadFiles, ResolveRef

LIB = "docs/pattern-library"
SHA = "a" * 40
GUIDE = page(GOLD, {"type": "guide", "modern_examples": ""})  # a gold error, if it were checked
PATTERN = page(GOLD, {"type": "pattern"})
UNTYPED = page(SILVER)


@pytest.mark.parametrize(
    "meta, other",
    [
        (None, None),  # unreadable front matter: a finding, never a skip
        ({}, None),
        ({"type": "pattern"}, None),
        ({"type": "guide"}, "guide"),
        ({"type": " learning-module "}, "learning-module"),
        ({"type": "Pattern"}, "Pattern"),  # types are compared exactly
        ({"type": ""}, None),
        ({"type": None}, None),
        ({"type": 3}, None),  # not text: the page stays checked
        ({"type": ["guide"]}, None),
    ],
)
def test_a_declared_type_outside_types_makes_a_page_no_pattern(meta, other):
    assert Config().other_type(meta) == other


def test_types_setting_lists_the_pattern_types():
    config = parse_config("types: [pattern, case-study]\n")
    assert config.other_type({"type": "case-study"}) is None
    assert config.other_type({"type": "guide"}) == "guide"
    assert parse_config("types: pattern\n").types == ("pattern",)


@pytest.mark.parametrize("text", ["types: []\n", "types: [pattern, 3]\n", "types: {a: b}\n"])
def test_bad_types_setting_is_named(text):
    with pytest.raises(ConfigError, match="`types`"):
        parse_config(text, CONFIG_PATH)


@pytest.mark.parametrize(
    "base, head, reviewed",
    [
        (None, GUIDE, False),  # a guide added
        (GUIDE, None, False),  # a guide deleted
        (GUIDE, GUIDE, False),
        (PATTERN, GUIDE, True),  # retyping a pattern away does not take it out of review
        (GUIDE, PATTERN, True),
        (None, UNTYPED, True),
        (None, "# no front matter\n", True),
        (GUIDE, "---\ntitle: a: b\n---\n", True),  # unreadable at head: judged
        (None, None, True),  # nothing read: never skipped
    ],
)
def test_a_change_is_reviewed_unless_every_side_is_another_type(base, head, reviewed):
    sides = [side.encode() if side is not None else None for side in (base, head)]
    assert is_pattern_change(Config(), *sides) is reviewed


def test_a_side_that_is_not_bytes_tells_nothing():
    assert is_pattern_change(Config(), GUIDE.encode(), object()) is True


def test_the_review_skips_pages_of_other_types():
    changes = [
        ChangedPage(f"{LIB}/guides/added.md", "added", head=GUIDE.encode()),
        ChangedPage(f"{LIB}/guides/gone.md", "removed", base=GUIDE.encode()),
        ChangedPage(f"{LIB}/retyped.md", "modified", base=PATTERN.encode(), head=GUIDE.encode()),
        ChangedPage(f"{LIB}/untyped.md", "added", head=UNTYPED.encode()),
    ]
    review = review_pages(changes, Config(), default_policy())
    assert [page.change.path for page in review.pages] == [
        f"{LIB}/retyped.md",
        f"{LIB}/untyped.md",
    ]
    retyped = [item.finding.rule for item in review.pages[0].findings]
    assert retyped == ["gold-modern-examples"]  # judged as it is at head
    assert not any(f.finding.rule == "pattern-deleted" for p in review.pages for f in p.findings)


def test_listing_more_types_reviews_them():
    changes = [ChangedPage(f"{LIB}/guides/added.md", "added", head=GUIDE.encode())]
    config = parse_config("types: [pattern, guide]\n")
    [reviewed] = review_pages(changes, config, default_policy()).pages
    assert reviewed.change.path == f"{LIB}/guides/added.md"


FILES = {
    f"{LIB}/guide.md": GUIDE.encode(),
    f"{LIB}/pattern.md": PATTERN.encode(),
    f"{LIB}/untyped.md": UNTYPED.encode(),
}


def test_the_quarterly_library_at_a_commit_leaves_other_types_out():
    script = Script(
        (ResolveRef("HEAD"), SHA),
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: None}),
        (ListTree(SHA), tuple(FILES)),
        (ReadFiles(SHA, tuple(FILES)), FILES),
    )
    library = script.run(library_at())
    assert [page.path for page in library.pages] == [f"{LIB}/pattern.md", f"{LIB}/untyped.md"]


def test_the_quarterly_library_of_a_directory_leaves_other_types_out(tmp_path: Path):
    for name, data in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    library = library_in(tmp_path)
    assert [page.path for page in library.pages] == [f"{LIB}/pattern.md", f"{LIB}/untyped.md"]


STUB = stub("/circuit-breaker-transformed/").encode()
MAPPED = f"{LIB}/mapped.md"
SITE = b"plugins:\n  - redirects:\n      redirect_maps:\n        pattern-library/mapped.md: x.md\n"


def test_the_quarterly_library_at_a_commit_leaves_redirects_out():
    files = {**FILES, f"{LIB}/stub.md": STUB, MAPPED: UNTYPED.encode()}
    script = Script(
        (ResolveRef("HEAD"), SHA),
        (ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: None}),
        (ListTree(SHA), (*files, "mkdocs.yml")),
        (ReadFiles(SHA, (*files, "mkdocs.yml")), {**files, "mkdocs.yml": SITE}),
    )
    library = script.run(library_at())
    assert [page.path for page in library.pages] == [f"{LIB}/pattern.md", f"{LIB}/untyped.md"]


def test_the_quarterly_library_of_a_directory_leaves_redirects_out(tmp_path: Path):
    files = {**FILES, f"{LIB}/stub.md": STUB, MAPPED: UNTYPED.encode(), "mkdocs.yml": SITE}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    library = library_in(tmp_path)
    assert [page.path for page in library.pages] == [f"{LIB}/pattern.md", f"{LIB}/untyped.md"]


@pytest.mark.parametrize(
    "path, text, word, kind",
    [
        (
            f"{LIB}/data-consistency-exam.md",
            "# Data Consistency\n\nQuestions.\n",
            "exam",
            "examination",
        ),
        (f"{LIB}/LEARNING_MODULES_INDEX.md", "# Index\n", "learning", "learning-module"),
        (
            f"{LIB}/k8s.md",
            "# Kubernetes\n\nThis elite module covers pods.\n",
            "module",
            "learning-module",
        ),
        (f"{LIB}/tour.md", "# A Guide to the Library\n", "guide", "guide"),
    ],
)
def test_a_page_without_front_matter_that_reads_like_another_kind_suggests_exclude(
    path, text, word, kind
):
    problem = parse_text(path, text).problem
    assert problem is not None
    assert problem.message == (
        f"the page has no front matter, and it reads like a page of another kind (“{word}”)"
    )
    # What to do is the instruction's: opt the page out, or give a pattern page its front matter.
    assert problem.todo == (
        "If it is not a pattern page, add its path to the exclude globs in .github/tierbot.yml, "
        f"or start it with front matter that declares its kind (`type: {kind}`); if it is one, "
        "start it with its front matter (--- on line 1)."
    )


@pytest.mark.parametrize(
    "path, text",
    [
        (f"{LIB}/architecture/sidecar.md", "# Sidecar\n\nA helper process beside the app.\n"),
        (f"{LIB}/modular.md", "# Modularity\n\nMany modulesque words.\n"),  # whole words only
    ],
)
def test_a_pattern_page_without_front_matter_gets_no_exclude_hint(path, text):
    problem = parse_text(path, text).problem
    assert (
        problem is not None
        and problem.message == "the page has no front matter: start line 1 with ---"
    )


def test_the_hint_is_a_finding_not_a_skip_whose_instruction_agrees_with_its_message():
    found: list[Finding] = findings("# Resilience Engineering Examination\n")
    assert [(f.rule, f.severity) for f in found] == [("front-matter", "error")]
    assert "reads like a page of another kind (“examination”)" in found[0].message
    assert "exclude globs" in found[0].checklist and "`type: examination`" in found[0].checklist
    assert "exclude" not in found[0].message  # said once, as what to do


MATRIX = {"title": "Pattern Decision Matrix - Choose the Right Patterns", "description": "How"}


@pytest.mark.parametrize(
    "path, meta, word",
    [
        (f"{LIB}/pattern-decision-matrix.md", MATRIX, "matrix"),
        (f"{LIB}/visual-asset-creation-plan.md", {"tagline": "Assets"}, "plan"),  # by its name
        (f"{LIB}/tour.md", {"title": "Pattern Migration Guides"}, "guides"),
    ],
)
def test_no_tier_on_a_page_that_reads_like_a_guide_says_type_guide_is_the_way_out(path, meta, word):
    text = page(meta, text="\n# Title\n")
    [finding] = evaluate(parse_text(path, text), default_policy())
    assert finding.rule == "tier-missing"
    assert finding.message.endswith(f"The page reads like a guide (“{word}”), not a pattern.")
    assert finding.checklist == (
        "If it is a pattern, add `excellence_tier: gold`, `silver` or `bronze` to its front "
        "matter; if it is not, declare its kind there (`type: guide`) or add its path to the "
        "exclude globs in .github/tierbot.yml."
    )


@pytest.mark.parametrize(
    "path, meta",
    [
        (f"{LIB}/resilience/circuit-breaker.md", {"title": "Circuit Breaker"}),
        (f"{LIB}/pattern-decision-matrix.md", {**MATRIX, "type": "pattern"}),  # says it is one
        (f"{LIB}/scaling/sharding.md", {"description": "A guide to splitting data"}),  # title only
    ],
)
def test_no_tier_on_a_pattern_page_asks_for_the_tier_alone(path, meta):
    [finding] = evaluate(parse_text(path, page(meta, text="\n# Title\n")), default_policy())
    assert finding.rule == "tier-missing"
    assert (
        finding.checklist
        == "Add `excellence_tier: gold`, `silver` or `bronze` to the front matter."
    )
    assert "guide" not in finding.message
