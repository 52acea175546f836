"""A patch's hunks, and the suggestion comments built from line edits on them."""

from __future__ import annotations

from bot.core import markers
from bot.core.review.diff import Hunk, changed_span, hunks
from bot.core.review.suggestions import SuggestedEdit, drafts, fingerprint, review_body

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


def _edit(first: int, last: int, lines: tuple[str, ...], print_: str = "abc") -> SuggestedEdit:
    return SuggestedEdit(
        "p.md",
        first,
        last,
        lines,
        fingerprint("p.md", "key-spelling", print_),
        "key-spelling",
        "Spelled `modern-alternatives`.",
    )


def test_drafts_only_for_edits_on_the_diff_not_yet_suggested() -> None:
    files = {"p.md": hunks(PATCH)}
    on_diff = _edit(3, 3, ("modern_alternatives: [x]",))
    elsewhere = _edit(10, 10, ("x",), "other")
    done = _edit(22, 22, ("newer",), "done")
    (draft,) = drafts([on_diff, elsewhere, done], files, frozenset({done.fingerprint}))
    assert (draft.path, draft.line, draft.start_line) == ("p.md", 3, None)
    assert "```suggestion\nmodern_alternatives: [x]\n```" in draft.body
    assert markers.suggestion_fingerprints([draft.body]) == {on_diff.fingerprint}
    assert draft.fingerprint == on_diff.fingerprint


def test_a_multi_line_edit_spans_its_lines() -> None:
    (draft,) = drafts([_edit(2, 4, ("a", "b"))], {"p.md": hunks(PATCH)}, frozenset())
    assert (draft.line, draft.start_line) == (4, 2)


def test_the_fence_outgrows_the_page_own_fences() -> None:
    (draft,) = drafts([_edit(3, 3, ("````python",))], {"p.md": hunks(PATCH)}, frozenset())
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
