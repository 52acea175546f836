"""The quarterly issue as a busy maintainer reads it on GitHub (cmark-gfm, folds closed): the
first screen says what to do and shows the boxes; nothing is said twice."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from support.rendered import first_screen, seen, visible_text

from bot.core.links import Links
from bot.core.quarterly.model import Quarter
from bot.core.quarterly.parts import merge_ticks, split_body
from bot.core.quarterly.plan import plan_quarter


def corpus_issue(corpus) -> str:
    from bot.adapters.files import library_in

    library = library_in(corpus)
    plan = plan_quarter(
        library.pages,
        date(2026, 11, 26),
        library.config.quarterly,
        Quarter(2026, 4),
        sha="9a0cc0b2" + "0" * 32,
        links=Links("https://github.com", "deepaucksharma/DStudio", "9a0cc0b2" + "0" * 32),
    )
    [body] = split_body(merge_ticks("", plan.body), plan.quarter)
    return body


def test_the_first_screen_says_what_to_do_and_shows_the_boxes(corpus) -> None:
    screen = first_screen(corpus_issue(corpus))

    assert screen.splitlines()[0] == "🔎 Pattern review 2026-Q4"
    for needed in (
        "25 pages to review this quarter",
        "fix what its line names",
        "tick its box",
        "a pull request setting the page's `last_reviewed`",
        "0 of 25 reviewed",
    ):
        assert seen(needed, screen), needed
    assert screen.count("☐") >= 5  # the boxes start on the first screen


def test_nothing_is_said_twice(corpus) -> None:
    text = visible_text(corpus_issue(corpus))
    pages = re.findall(r"(?m)^☐ (\S+) ·", text)
    assert len(pages) == len(set(pages)) == 25  # one line per page
    # A failing rule's fix and problem are written out once; later pages point to them.
    said = Counter(re.findall(r"❌ ([^·]{60,}?) ·", text))
    assert said and max(said.values()) == 1
    assert text.count("fixed as above") >= 10
    for once in ("of 25 reviewed", "more pages need a review", "Summary", "Inventory"):
        assert text.count(once) == 1, once
