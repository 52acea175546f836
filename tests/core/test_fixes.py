"""Fixes as data: each kind's exact edit, and everything outside it kept byte for byte."""

from __future__ import annotations

import pytest
from support.pages import BANNERS, BRONZE, DROP, GOLD, SILVER, body, default_policy, findings, page

from bot.core.fixes import Edit, Fix, apply_fixes, line_edit
from bot.core.rules.kinds import CHECK_KINDS, CheckKind, Hit
from bot.core.rules.policy import parse_policy
from bot.core.rules.repair import fixes_of, repair_page, unified_diff
from bot.errors import RulesError

PATH = "docs/pattern-library/page.md"
NO_ALTERNATIVES = {"modern_alternatives": DROP}


def repaired(text: str) -> str:
    page_ = repair_page(PATH, text.encode(), default_policy())
    assert page_.problem is None
    return page_.after.decode()


def fixable(text: str) -> dict[str, Fix | None]:
    return {finding.rule: finding.fix for finding in findings(text)}


def only_changes(before: str, after: str, old: str, new: str) -> None:
    """``after`` is ``before`` with the one occurrence of ``old`` replaced by ``new``."""
    assert before.count(old) == 1, before
    assert after == before.replace(old, new)


# --- key-spelling ------------------------------------------------------------------------


def test_a_hyphenated_key_is_renamed_and_nothing_else_changes():
    text = page(BRONZE, {**NO_ALTERNATIVES, "modern-alternatives": "\n- Data Mesh"})
    only_changes(text, repaired(text), "modern-alternatives:", "modern_alternatives:")
    assert "key-spelling" not in {f.rule for f in findings(repaired(text))}


def test_an_empty_twin_is_removed_with_the_rename():
    text = page(BRONZE, {"modern_alternatives": "", "modern-alternatives": "\n- Data Mesh"})
    after = repaired(text)
    assert after == text.replace("modern_alternatives:\n", "").replace(
        "modern-alternatives:", "modern_alternatives:"
    )
    [fix] = [f.fix for f in findings(text) if f.spelling]  # bronze-modern-alternatives's
    assert "empty `modern_alternatives` removed" in fix.summary


def test_a_filled_twin_blocks_the_fix_and_the_finding_says_why():
    text = page(BRONZE, {"modern-alternatives": "\n- Data Mesh"})
    [finding] = [f for f in findings(text) if f.rule == "key-spelling"]
    assert finding.fix is None
    assert "not renamed automatically" in finding.message
    assert "`modern_alternatives`" in finding.message
    assert repaired(text) == text


def test_an_empty_twin_with_a_comment_is_not_deleted():
    text = page(BRONZE, {"modern_alternatives": " # fill in", "modern-alternatives": "[x]"})
    assert fixable(text)["bronze-modern-alternatives"] is None
    assert "key-spelling" not in fixable(text)


def test_two_spellings_of_one_field_are_left_to_a_person():
    texts = "severity: warning, message: No., checklist: No."
    rules = (
        f"rules:\n  - {{id: k, check: key-spelling, {texts}}}\n"
        f"  - {{id: r, check: required, field: a_b_c, {texts}}}\n"
    )
    policy = parse_policy(rules, "rules.yml")
    text = "---\na-b_c: 1\na_b-c: 2\n---\n"
    # The rule failing for want of a_b_c says the first spelling, key-spelling the other.
    said = [(f.rule, f.spelling, f.fix) for f in findings(text, policy)]
    assert said == [("k", "a_b-c", None), ("r", "a-b_c", None)]
    assert fixes_of(PATH, "---\na-b_c: 1\n---\n", policy)


# --- The text outside the edits --------------------------------------------------------------

KEEPS = [
    pytest.param(
        "---\n# who: the team\ntitle: X  # a comment\nexcellence_tier: bronze\n"
        "modern-alternatives: [Mesh]  # see below\ndeprecation_reason: old\n---\n# X\n",
        "modern-alternatives:",
        "modern_alternatives:",
        id="comments",
    ),
    pytest.param(
        "---\r\ntitle: X\r\nexcellence_tier: bronze\r\nmodern-alternatives:\r\n- Mesh\r\n"
        "deprecation_reason: old\r\n---\r\n\r\n# X\r\n\r\n" + BANNERS["bronze"] + "\r\n",
        "modern-alternatives:",
        "modern_alternatives:",
        id="crlf",
    ),
    pytest.param(
        '---\ntitle: "Tabs\there"\ndescription: |\n  a\tb\nexcellence_tier: bronze\n'
        "'modern-alternatives': [Mesh]\ndeprecation_reason: old\n---\n# X\n\n\tcode\n",
        "'modern-alternatives'",
        "'modern_alternatives'",
        id="tabs-and-a-quoted-key",
    ),
    pytest.param(
        '---\nexcellence_tier: bronze\n"modern-alternatives" : {Mesh: "1", Lake: 2}\n'
        "deprecation_reason: old\n---\n# X\n",
        '"modern-alternatives"',
        '"modern_alternatives"',
        id="double-quoted-key-flow-mapping",
    ),
    pytest.param(
        "---\n{excellence_tier: bronze, modern-alternatives: [Mesh], deprecation_reason: old}\n"
        "---\n# X\n",
        "modern-alternatives",
        "modern_alternatives",
        id="flow-mapping-front-matter",
    ),
]


@pytest.mark.parametrize("text, old, new", KEEPS)
def test_the_rest_of_the_page_is_kept_byte_for_byte(text, old, new):
    banner = BANNERS["bronze"]
    after = repaired(text)
    if banner not in text:  # the missing banner is inserted too: take it out to compare
        after = after.replace(f"\n\n{banner}\n", "\n", 1)
    only_changes(text, after, old, new)


def test_a_bom_is_kept():
    text = page(BRONZE, {**NO_ALTERNATIVES, "modern-alternatives": "[Mesh]"})
    data = b"\xef\xbb\xbf" + text.encode()
    fixed = repair_page(PATH, data, default_policy())
    assert fixed.after.startswith(b"\xef\xbb\xbf")
    assert fixed.after[3:].decode() == text.replace("modern-alternatives", "modern_alternatives")


# --- tier banners ----------------------------------------------------------------------------


def test_a_banner_naming_another_tier_gets_the_rules_banner():
    text = page(SILVER, text=body(BANNERS["gold"] + " "))
    only_changes(text, repaired(text), BANNERS["gold"] + " ", BANNERS["silver"] + " ")


def test_a_missing_banner_goes_under_the_title():
    text = page(GOLD, text=body())
    after = repaired(text)
    assert after == text.replace("# The Pattern\n", f"# The Pattern\n\n{BANNERS['gold']}\n", 1)
    assert {f.rule for f in findings(after)} == set()


@pytest.mark.parametrize(
    "rest, expected",
    [
        ("\nText.\n", f"\n\n{BANNERS['silver']}\n\nText.\n"),
        ("\r\nText.\r\n", f"\r\n\r\n{BANNERS['silver']}\r\n\r\nText.\r\n"),
        ("\n\nText.\n", f"\n\n{BANNERS['silver']}\n\nText.\n"),
        ("", f"\n\n{BANNERS['silver']}"),
        (
            "\n```bash\n# not a title\n```\n",
            f"\n\n{BANNERS['silver']}\n\n```bash\n# not a title\n```\n",
        ),
    ],
    ids=["text", "crlf", "blank-line", "nothing", "comment-in-code"],
)
def test_a_missing_banner_without_a_title_goes_after_the_front_matter(rest, expected):
    newline = "\r\n" if "\r" in rest else "\n"
    head = f"---{newline}excellence_tier: silver{newline}best_for: x{newline}---"
    assert repaired(head + rest).startswith(head)
    assert repaired(head + rest)[len(head) :] == expected


def test_rules_without_banners_find_but_do_not_fix():
    rules = (
        "rules:\n  - {id: b, severity: warning, check: tier-banner-missing, when: {tier: any},"
        " message: 'No banner ({banner}).', checklist: Add one.}\n"
    )
    policy = parse_policy(rules, "rules.yml")
    text = page(GOLD, text=body())
    assert fixes_of(PATH, text, policy) == []
    [finding] = findings(text, policy)
    assert finding.message == "No banner (a gold tier banner)."


@pytest.mark.parametrize(
    "banners",
    [
        "{gold: '!!! info \"🥈 Silver Tier Pattern\"'}",
        "{gold: 'Gold Standard'}",
        "{platinum: '!!! info \"Platinum\"'}",
        "'!!! info \"🏆 Gold\"'",
        '{gold: "!!! info \\"🏆 Gold\\"\\nmore"}',
    ],
    ids=["other-tier", "not-a-banner", "unknown-tier", "not-a-mapping", "two-lines"],
)
def test_banners_that_would_not_resolve_the_finding_are_refused(banners):
    rules = (
        "rules:\n  - {id: b, severity: warning, check: tier-banner, banners: " + banners + ","
        " message: No., checklist: Add one.}\n"
    )
    with pytest.raises(RulesError, match="banners"):
        parse_policy(rules, "rules.yml")


# --- introduced-format -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, fixed",
    [
        ("2012-3", "2012-03"),
        ("'2012-3'", "'2012-03'"),
        ('"1999-9"  # approx', '"1999-09"  # approx'),
    ],
)
def test_a_one_digit_month_is_padded(value, fixed):
    text = page(GOLD, {"introduced": value})
    only_changes(text, repaired(text), f"introduced: {value}", f"introduced: {fixed}")


@pytest.mark.parametrize("value", ["1960s", "2010-13", "2010-01-15", "Jan 2010", "2012-3-1"])
def test_an_unclear_date_stays_a_finding_without_a_fix(value):
    text = page(GOLD, {"introduced": value})
    assert "introduced-format" in fixable(text)
    assert fixable(text)["introduced-format"] is None
    assert repaired(text) == text


# --- Missing fields: a skeleton, never invented content -----------------------------------


def test_an_absent_field_gets_a_skeleton_and_no_fix():
    text = page(GOLD, {"production_checklist": DROP})
    [finding] = [f for f in findings(text) if f.rule == "gold-production-checklist"]
    assert (finding.fix, finding.skeleton) == (None, "production_checklist:\n  - ")
    text = page(SILVER, {"best_for": DROP})
    [finding] = [f for f in findings(text) if f.rule == "silver-best-for"]
    assert (finding.fix, finding.skeleton) == (None, "best_for: ")


def test_a_present_or_misspelt_field_gets_no_skeleton():
    empty = page(SILVER, {"best_for": ""})
    misspelt = page(SILVER, {"best_for": DROP, "best-for": "x"})
    for text in (empty, misspelt):
        [finding] = [f for f in findings(text) if f.rule == "silver-best-for"]
        assert finding.skeleton == ""


# --- Applying ----------------------------------------------------------------------------


def test_a_page_with_every_fix_is_repaired_in_one_go_and_a_rerun_changes_nothing():
    text = page(
        BRONZE,
        {**NO_ALTERNATIVES, "modern-alternatives": "[Mesh]", "introduced": "2010-1"},
        body(),
    )
    after = repaired(text)
    assert {f.rule for f in findings(after)} == set()
    assert repaired(after) == after
    assert fixes_of(PATH, after, default_policy()) == []


def test_a_fix_that_does_not_resolve_its_finding_is_not_applied(monkeypatch):
    """A kind whose fix leaves its finding (a bug) must not grow the page pass after pass."""

    def stubborn(context, params):
        end = len(context.document.text)
        yield Hit(1, fix=Fix("an x added", (Edit(end, end, "x"),)))

    monkeypatch.setitem(CHECK_KINDS, "stubborn", CheckKind(stubborn, {}, frozenset(), "page"))
    rules = (
        "rules:\n  - {id: s, severity: warning, check: stubborn, message: No., checklist: No.}\n"
    )
    text = "---\ntitle: X\n---\n"
    fixed = repair_page(PATH, text.encode(), parse_policy(rules, "rules.yml"))
    assert (fixed.after.decode(), fixed.done) == (text, ())


def test_overlapping_fixes_apply_the_first_only():
    first = Fix("a", (Edit(2, 4, "XY"),))
    second = Fix("b", (Edit(3, 5, "Z"),))
    insertion = Fix("c", (Edit(4, 4, "!"),))
    assert apply_fixes("abcdefg", [second, first, insertion]) == ("abXYefg", [first])


def test_line_edit_covers_whole_lines():
    text = "a\nbc\r\nd\n"
    assert line_edit(text, Fix("", (Edit(3, 4, "X"),))) == (2, 2, "bX\r\n")
    assert line_edit(text, Fix("", (Edit(2, 6, ""),))) == (2, 2, "")
    assert line_edit(text, Fix("", (Edit(4, 4, "\r\nnew"),))) == (2, 2, "bc\r\nnew\r\n")
    assert line_edit(text, Fix("", (Edit(0, 1, "A"), Edit(6, 7, "D")))) == (1, 3, "A\nbc\r\nD\n")


def test_an_unreadable_page_is_left_untouched():
    data = b"---\ntitle: Saga: Distributed\n---\n"
    fixed = repair_page(PATH, data, default_policy())
    assert (fixed.after, fixed.changed) == (data, False)
    assert fixed.problem.startswith("line 2: the front matter is not valid YAML")


def test_the_diff_is_a_unified_diff_with_git_paths():
    text = page(BRONZE, {**NO_ALTERNATIVES, "modern-alternatives": "[Mesh]"})
    diff = unified_diff(repair_page(PATH, text.encode(), default_policy()))
    assert diff.startswith(f"--- a/{PATH}\n+++ b/{PATH}\n@@ ")
    assert "\n-modern-alternatives: [Mesh]\n+modern_alternatives: [Mesh]\n" in diff
