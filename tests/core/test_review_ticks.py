"""The comment's checklist, ticked by tierbot: what a push solved stays, ticked, struck out."""

from __future__ import annotations

from support.pages import GOLD, default_policy, page

from bot.core import markers
from bot.core.config import Config
from bot.core.limits import BODY_LIMIT
from bot.core.review.comment import SCREENS, outside_fold
from bot.core.review.model import ChangedPage
from bot.core.review.plan import review_pages
from bot.core.review.ticks import ALL_DONE_TITLE, carry_ticks

LIB = "docs/pattern-library"
#: Three problems: gold without modern_examples (error), without a production checklist and
#: with a pattern_status no one knows (warnings).
BROKEN = {"modern_examples": "", "production_checklist": None, "pattern_status": "beta"}
HALF_FIXED = {"production_checklist": None}


def comment(*pages: tuple[str, dict]) -> str:
    """The comment of a pull request adding gold pages with these fields changed."""
    changes = [
        ChangedPage(f"{LIB}/{name}", "added", head=page(GOLD, fields).encode())
        for name, fields in pages
    ]
    return review_pages(changes, Config(), default_policy()).comment


def boxes(body: str, mark: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith(f"- [{mark}] ")]


def test_what_a_push_solved_is_ticked_and_struck_out_and_stays_on_later_pushes() -> None:
    first = comment(("a.md", BROKEN), ("b.md", BROKEN))
    assert len(boxes(first, " ")) == 3 and boxes(first, "x") == []
    solved = [line for line in boxes(first, " ") if "production_checklist" not in line]

    second = carry_ticks(comment(("a.md", HALF_FIXED), ("b.md", HALF_FIXED)), first, BODY_LIMIT)
    (still,) = boxes(second, " ")
    assert "production_checklist" in still
    # The two solved, ticked, with what they asked, right after what is still open.
    assert boxes(second, "x") == [f"- [x] ~~{line.removeprefix('- [ ] ')}~~" for line in solved]
    lines = second.splitlines()
    assert lines.index(still) < lines.index(boxes(second, "x")[0]) < lines.index("---")
    assert markers.checklist_keys(second) is not None

    third = carry_ticks(comment(("a.md", {}), ("b.md", {})), second, BODY_LIMIT)
    assert boxes(third, " ") == [] and ALL_DONE_TITLE in third
    # The newest done first, then those done before, each once.
    assert boxes(third, "x") == [f"- [x] ~~{still.removeprefix('- [ ] ')}~~", *boxes(second, "x")]
    # A rerun on the same head: nothing changes, so nothing is written.
    assert carry_ticks(comment(("a.md", {}), ("b.md", {})), third, BODY_LIMIT) == third


def test_a_problem_that_comes_back_is_open_again_not_done() -> None:
    first = comment(("a.md", BROKEN))
    second = carry_ticks(comment(("a.md", HALF_FIXED)), first, BODY_LIMIT)
    assert len(boxes(second, "x")) == 2
    third = carry_ticks(comment(("a.md", BROKEN)), second, BODY_LIMIT)
    assert len(boxes(third, " ")) == 3 and boxes(third, "x") == []


def test_a_comment_edited_by_hand_starts_the_list_again() -> None:
    first = comment(("a.md", BROKEN))
    edited = first.replace("- [ ] ", "- ", 1)  # a maintainer's edit: boxes and keys disagree
    fresh = comment(("a.md", HALF_FIXED))
    assert carry_ticks(fresh, edited, BODY_LIMIT) == fresh
    assert carry_ticks(fresh, "a comment of someone else", BODY_LIMIT) == fresh


def test_many_solved_problems_are_counted_past_two_screens() -> None:
    keys = [f"{n:010x}" for n in range(100)]
    asked = [f"- [ ] ⚠️ **Problem {n}** " + "x" * 200 for n in range(100)]
    previous = "\n".join([markers.REVIEW, *asked, markers.checklist_marker(keys)])
    fresh = comment(("a.md", {}))
    ticked = carry_ticks(fresh, previous, BODY_LIMIT)
    assert outside_fold(ticked) <= SCREENS
    shown = boxes(ticked, "x")
    assert 1 < len(shown) < 100 and shown[-1] == f"- [x] … and {101 - len(shown)} more done earlier"
    # Every key stays done, shown or counted: the next push says the same.
    assert markers.checklist_keys(ticked) == ([], keys)
    assert carry_ticks(fresh, ticked, BODY_LIMIT) == ticked
