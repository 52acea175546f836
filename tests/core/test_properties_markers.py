"""Properties of the marker and tick parsers: any comment or issue body, never an exception;
tierbot's markers found again in any surroundings; a person's ticks kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from support.strategies import contributor_text, issue_bodies, item_lines, keys, quarters

from bot.core import markers
from bot.core.limits import BODY_LIMIT, size
from bot.core.markers import ITEM_LINE, issue_marker, part_marker, replace_issue_marker
from bot.core.quarterly.facts import parse_quarter
from bot.core.quarterly.parts import PART_BUDGET, join_parts, merge_ticks, split_body

any_body = st.one_of(st.text(), contributor_text, issue_bodies)


@given(any_body)
def test_any_body_is_parsed_without_an_exception(body: str) -> None:
    found = issue_marker(body)
    assert found is None or (parse_quarter(found[0]) and found[1] != markers.NO_SHA)
    part = part_marker(body)
    assert part is None or part[1] >= 0
    assert (
        issue_marker(replace_issue_marker(body, "")) is None or body.count("tierbot:quarterly ") > 1
    )
    assert isinstance(join_parts(body, [body]), str)


@given(contributor_text, quarters, keys, contributor_text)
def test_a_marker_is_found_again_whatever_surrounds_it(
    before: str, quarter: str, sha: str, after: str
) -> None:
    marker = markers.QUARTERLY_ISSUE.format(quarter=quarter, sha=sha)
    assert issue_marker(f"{before.replace('<!--', '')}\n{marker}\n{after}") == (quarter, sha)
    part = markers.QUARTERLY_PART.format(quarter=quarter, index=3)
    assert part_marker(f"{before.replace('<!--', '')}{part}{after}") == (quarter, 3)


@given(any_body, issue_bodies)
def test_ticks_are_kept_and_items_gone_are_listed_resolved(old: str, new: str) -> None:
    merged = merge_ticks(old, new)
    ticked = {key for mark, _, key in ITEM_LINE.findall(markers.normalize(old)) if mark != " "}
    items = ITEM_LINE.findall(new)
    expected = [("x" if mark == " " and key in ticked else mark, key) for mark, _, key in items]
    assert [(mark, key) for mark, _, key in ITEM_LINE.findall(merged)] == expected
    new_keys = [key for _, _, key in items]
    if markers.RESOLVED_ANCHOR in new:
        gone = {key for _, _, key in ITEM_LINE.findall(markers.normalize(old))} - set(new_keys)
        for key in gone:
            assert markers.RESOLVED.format(key=key) in merged


@given(st.lists(st.one_of(item_lines(), contributor_text), max_size=200), quarters)
def test_any_body_splits_into_parts_within_the_limit(lines: list[str], quarter: str) -> None:
    body = "# Pattern review\n" + "\n".join(line for line in lines)
    # Lines are short in tierbot's bodies; a long run of them makes several parts.
    parts = split_body(body * 40, parse_quarter(quarter))
    assert all(size(part) <= BODY_LIMIT for part in parts)
    assert all(size(part) <= PART_BUDGET for part in parts)
    if len(parts) > 1:
        assert all(part_marker(part) == (quarter, n) for n, part in enumerate(parts[1:], 2))
