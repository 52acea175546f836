"""A ticked box as `last_reviewed`: the exact text edit, the commit message read back, the
pages a run puts on the branch."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.documents import parse_text
from bot.core.quarterly.reviewed import (
    Tick,
    commit_message,
    newly_ticked,
    planned,
    reviewer,
    set_last_reviewed,
    tick_of,
)

DAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "---\ntitle: A\nlast_reviewed: 2025-01-23 # by ana\nexcellence_tier: gold\n---\n# A\n",
            "---\ntitle: A\nlast_reviewed: 2026-11-26 # by ana\nexcellence_tier: gold\n---\n# A\n",
            id="replaced-comment-kept",
        ),
        pytest.param(
            "---\r\ntitle: A\r\n# note\r\nexcellence_tier: gold\r\n---\r\nBody\r\n",
            "---\r\ntitle: A\r\n# note\r\nexcellence_tier: gold\r\nlast_reviewed: 2026-11-26\r\n"
            "---\r\nBody\r\n",
            id="missing-added-crlf",
        ),
        pytest.param(
            "\ufeff---\nlast_reviewed: '2025-01-23'\n---\n",
            "\ufeff---\nlast_reviewed: '2026-11-26'\n---\n",
            id="bom-and-quotes-kept",
        ),
        pytest.param(
            "---\n{excellence_tier: gold, title: A}\n---\nBody\n",
            "---\n{excellence_tier: gold, title: A, last_reviewed: 2026-11-26}\n---\nBody\n",
            id="flow-mapping-missing",
        ),
        pytest.param(
            "---\n{excellence_tier: gold, last_reviewed: 2024-01-01, x: [1, 2]}\n---\n",
            "---\n{excellence_tier: gold, last_reviewed: 2026-11-26, x: [1, 2]}\n---\n",
            id="flow-mapping-replaced",
        ),
        pytest.param(
            "---\ntitle: A\nlast_reviewed:\nexcellence_tier: gold\n---\n",
            "---\ntitle: A\nlast_reviewed: 2026-11-26\nexcellence_tier: gold\n---\n",
            id="empty-value",
        ),
    ],
)
def test_last_reviewed_is_one_exact_edit(before: str, after: str) -> None:
    edited = set_last_reviewed(before, DAY)

    assert edited == after
    meta = parse_text("p.md", after.removeprefix("\ufeff")).meta
    assert meta is not None and str(meta["last_reviewed"]) == "2026-11-26"
    assert set_last_reviewed(edited, DAY) == edited  # set twice: the same text


def test_a_page_whose_front_matter_cannot_be_read_is_not_edited() -> None:
    assert set_last_reviewed("no front matter\n", DAY) is None
    assert set_last_reviewed("---\na: [\n---\n", DAY) is None


def test_a_commit_message_reads_back_as_its_tick() -> None:
    tick = Tick("docs/a.md", DAY, reviewer("ana", 42))

    message = commit_message(tick)

    assert message == (
        "Quarterly review: docs/a.md reviewed\n\nReviewed-by: ana <42+ana@users.noreply.github.com>"
    )
    assert tick_of(message, DAY) == tick
    assert tick_of("Fix a typo\n\nReviewed-by: ana <a@b>", DAY) is None


def test_only_boxes_ticked_by_the_edit_are_new() -> None:
    def line(mark: str, key: str) -> str:
        return f"- [{mark}] `p` <!-- tierbot:item {key} -->"

    before = "\n".join([line("x", "a" * 12), line(" ", "b" * 12), line(" ", "c" * 12)])
    after = "\r\n".join([line("x", "a" * 12), line("x", "b" * 12), line(" ", "c" * 12)])

    assert newly_ticked(before, after) == ("b" * 12,)


def test_the_branch_keeps_applied_ticks_and_adds_this_edits() -> None:
    paths = {"k1": "a.md", "k2": "b.md", "k3": "c.md", "k4": "d.md"}
    applied = [Tick("b.md", date(2026, 10, 1), "bo <b@x>"), Tick("a.md", DAY, "ana <a@x>")]

    ticks = planned(["k1", "k3", "k4"], paths, applied, {"k3": "cy <c@x>"}, DAY)

    # b unticked: out; a kept with its day; c added as ticked now; d ticked by another edit
    assert ticks == [Tick("a.md", DAY, "ana <a@x>"), Tick("c.md", DAY, "cy <c@x>")]
