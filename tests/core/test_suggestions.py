"""A patch's hunks, and the suggestion comments built from line edits on them."""

from __future__ import annotations

from support.fake_github.patches import patch

from bot.adapters.files import load_policy
from bot.core import markers
from bot.core.documents import parse_document
from bot.core.review.diff import Hunk, changed_span, hunks
from bot.core.review.suggestions import (
    SuggestedEdit,
    drafts,
    fingerprint,
    review_body,
    suggested_edits,
)
from bot.core.rules.evaluate import Finding, evaluate

PATCH = """\
@@ -1,4 +1,5 @@
 ---
 title: Saga
+modern-alternatives: [x]
 excellence_tier: gold
 ---
@@ -20,3 +21,3 @@ Some heading
 text
-old
+new
 more
\\ No newline at end of file"""


def test_hunks_count_head_lines_and_added_ones() -> None:
    assert hunks(PATCH) == (
        Hunk(1, 5, frozenset({3})),
        Hunk(21, 23, frozenset({22})),
    )


def test_no_patch_no_hunks() -> None:
    assert hunks(None) == () == hunks("")


def test_a_new_file_is_one_hunk_of_added_lines() -> None:
    assert hunks("@@ -0,0 +1,2 @@\n+a\n+b") == (Hunk(1, 2, frozenset({1, 2})),)


def test_a_span_fits_one_hunk_with_an_added_line() -> None:
    found = hunks(PATCH)
    assert changed_span(found, 3, 3)
    assert changed_span(found, 2, 4)
    assert not changed_span(found, 1, 2)  # in the hunk, but nothing the PR added
    assert not changed_span(found, 4, 22)  # across two hunks
    assert not changed_span(found, 10, 10)  # outside the diff


BASE_PAGE = """\
---
title: Saga
excellence_tier: bronze
deprecation_reason: Choreography drifts.
---

# Saga

!!! warning "🥉 Bronze Tier Pattern"

Text.
"""
#: The pull request adds a misspelt key: its fix (a rename) sits on the line it added.
HEAD_PAGE = BASE_PAGE.replace("---\n\n", "modern-alternatives: [Temporal]\n---\n\n", 1)


def _new_findings(text: str) -> list[Finding]:
    return evaluate(parse_document("p.md", text.encode()), load_policy())


def test_a_fix_on_a_line_the_pull_request_added_is_suggested() -> None:
    diff = patch(BASE_PAGE.encode(), HEAD_PAGE.encode())
    (edit,) = suggested_edits("p.md", HEAD_PAGE, _new_findings(HEAD_PAGE), diff)
    # The rule failing for want of the field carries the rename (key-spelling says it no more).
    rule = "bronze-modern-alternatives"
    assert (edit.path, edit.first, edit.last, edit.rule) == ("p.md", 5, 5, rule)
    assert edit.lines == ("modern_alternatives: [Temporal]",)
    assert edit.fingerprint == fingerprint("p.md", rule, "modern_alternatives")


def test_a_fix_off_the_changed_lines_is_not_suggested() -> None:
    # The misspelt key was there before; the pull request only edits the body.
    base = HEAD_PAGE
    head = HEAD_PAGE.replace("Text.", "More text.")
    assert (
        suggested_edits("p.md", head, _new_findings(head), patch(base.encode(), head.encode()))
        == ()
    )
    assert suggested_edits("p.md", head, _new_findings(head), None) == ()


def _edit(first: int, last: int, lines: tuple[str, ...], print_: str = "abc") -> SuggestedEdit:
    message = "Spelled `modern-alternatives`."
    return SuggestedEdit(
        "p.md", first, last, lines, fingerprint("p.md", "r", print_), "key-spelling", message
    )


def test_drafts_for_edits_not_yet_suggested() -> None:
    one, done = _edit(3, 3, ("modern_alternatives: [x]",)), _edit(22, 22, ("new",), "done")
    (draft,) = drafts([one, done], frozenset({done.fingerprint}))
    assert (draft.path, draft.line, draft.start_line) == ("p.md", 3, None)
    assert "```suggestion\nmodern_alternatives: [x]\n```" in draft.body
    assert markers.suggestion_fingerprints([draft.body]) == {one.fingerprint}
    assert draft.fingerprint == one.fingerprint


def test_a_multi_line_edit_spans_its_lines() -> None:
    (draft,) = drafts([_edit(2, 4, ("a", "b"))], frozenset())
    assert (draft.line, draft.start_line) == (4, 2)


def test_the_fence_outgrows_the_page_own_fences() -> None:
    (draft,) = drafts([_edit(3, 3, ("````python",))], frozenset())
    assert "`````suggestion\n````python\n`````" in draft.body


def test_fingerprints_are_short_stable_and_distinct() -> None:
    one = fingerprint("a.md", "key-spelling", "modern_alternatives")
    assert one == fingerprint("a.md", "key-spelling", "modern_alternatives")
    assert len(one) == 12 and int(one, 16) >= 0
    assert one != fingerprint("b.md", "key-spelling", "modern_alternatives")
    assert one != fingerprint("a.md", "key-spelling", None)


def test_the_review_body_carries_its_marker_and_count() -> None:
    assert review_body(1).startswith(markers.SUGGESTIONS)
    assert "1 fix for" in review_body(1) and "2 fixes for" in review_body(2)


def test_markers_of_other_shapes_are_not_fingerprints() -> None:
    bodies = ["<!-- tierbot:suggestion nothex -->", "<!-- tierbot:suggestion 0123456789abc -->"]
    assert markers.suggestion_fingerprints(bodies) == frozenset()
