"""The comment's first screen, as support/rendered.py reads it off GitHub's rendering."""

from __future__ import annotations

from support.rendered import SCREEN_LINES, SCREEN_WIDTH, first_screen, seen, visible_text

COMMENT = """<!-- tierbot:review -->
### ❌ tierbot: 1 new error

❌ **Add `modern_examples`.** `gold-modern-examples` — Gold pattern without it.
- [ ] [`a.md` line 4](https://github.com/o/r/blob/c/a.md#L4)
- [x] `b.md` line 2

```yaml
modern_examples:
  - a
```

<details><summary>Not blocking: 1 page</summary>

- `c.md` · `tier-banner-missing`
</details>

---
<sub>tierbot</sub>
"""


def test_the_visible_text_folds_details_to_its_summary_and_shows_the_checkboxes() -> None:
    assert visible_text(COMMENT) == (
        "❌ tierbot: 1 new error\n\n"
        "❌ Add modern_examples. gold-modern-examples — Gold pattern without it.\n\n"
        "☐ a.md line 4\n☑ b.md line 2\n\n"
        "modern_examples:\n  - a\n\n"  # a code block keeps its lines
        "Not blocking: 1 page\n\n"
        "tierbot\n"
    )


def test_the_first_screen_is_so_many_lines_of_so_many_characters() -> None:
    comment = "\n".join(f"- [ ] {n:03} " + "word " * 50 for n in range(SCREEN_LINES))
    screen = first_screen(comment).splitlines()
    assert len(screen) == SCREEN_LINES and max(map(len, screen)) <= SCREEN_WIDTH
    assert screen[0].startswith("☐ 000 word") and seen("000", "\n".join(screen))
    # Three lines an item: the last line of the screen is the first of item 13.
    assert screen[-1].startswith("☐ 013 word") and not seen("014", "\n".join(screen))


def test_seen_reads_words_whole_across_line_breaks() -> None:
    screen = first_screen(COMMENT)
    assert seen("Add `modern_examples`.", screen) and seen("gold-modern-examples", screen)
    assert not seen("modern-examples", screen)  # a part of a rule id is not the rule
    assert not seen("tier-banner-missing", screen)  # folded
    assert seen("Gold pattern\nwithout it.", screen)
