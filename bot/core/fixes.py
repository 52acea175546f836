"""Repairs as data: exact edits of a page's text, applied without touching anything else.

A fix never re-dumps YAML: it replaces a few characters of the text (offsets into
``Document.text``, the page without its BOM), so key order, comments, quoting, line endings
and the body stay as they were outside its edits. ``line_edit`` gives the whole lines a fix
covers and their new text, which is what a pull request suggestion replaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import yaml

from bot.core.documents import Document, SafeLoader


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``replacement`` (``start == end``: an insertion)."""

    start: int
    end: int
    replacement: str


class Fix(NamedTuple):
    """One finding's repair: what it does, in a few words, and its edits."""

    summary: str
    edits: tuple[Edit, ...]

    @property
    def start(self) -> int:
        return min(edit.start for edit in self.edits)

    @property
    def end(self) -> int:
        return max(edit.end for edit in self.edits)


class LineEdit(NamedTuple):
    """The file lines ``first``..``last`` (1-based) a fix covers, and their text once fixed."""

    first: int
    last: int
    text: str


class Entry(NamedTuple):
    """Where a top-level front-matter entry's key and value are written in the page's text."""

    key_start: int
    key_end: int
    value_start: int
    value_end: int


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def line_end(text: str, offset: int) -> int:
    """The end of the line holding ``offset``, past its newline (or the end of the text)."""
    newline = text.find("\n", offset)
    return len(text) if newline < 0 else newline + 1


def content_end(text: str, offset: int) -> int:
    """The end of the line holding ``offset``, before its line ending (``\\n`` or ``\\r\\n``)."""
    end = line_end(text, offset)
    if text.endswith("\n", 0, end):
        end -= 2 if text.endswith("\r\n", 0, end) else 1
    return end


def newline_at(text: str, offset: int) -> str:
    """The line ending of the line holding ``offset`` (``\\n`` when it has none)."""
    return "\r\n" if text.startswith("\r\n", content_end(text, offset)) else "\n"


def replace_once(text: str, start: int, end: int, old: str, new: str) -> Edit | None:
    """Replace ``old`` inside ``text[start:end]`` when it occurs there exactly once."""
    span = text[start:end]
    if span.count(old) != 1:
        return None
    at = start + span.index(old)
    return Edit(at, at + len(old), new)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping edits applied."""
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """``text`` with every fix applied that does not touch another's edits, and those fixes.

    A fix left out (it overlaps one applied) is found again when the page is checked anew.
    """
    applied: list[Fix] = []
    edits: list[Edit] = []
    for fix in sorted(fixes, key=lambda fix: fix.start):
        if not any(_overlap(mine, other) for mine in fix.edits for other in edits):
            applied.append(fix)
            edits.extend(fix.edits)
    return apply_edits(text, edits), applied


def line_edit(text: str, fix: Fix) -> LineEdit:
    """The whole lines ``fix`` touches and their new text (line endings kept)."""
    first = line_start(text, fix.start)
    last_offset = fix.end - 1 if fix.end > fix.start and text[fix.end - 1] == "\n" else fix.end
    end = line_end(text, last_offset)
    moved = [Edit(e.start - first, e.end - first, e.replacement) for e in fix.edits]
    return LineEdit(
        text.count("\n", 0, first) + 1,
        text.count("\n", 0, last_offset) + 1,
        apply_edits(text[first:end], moved),
    )


def front_entries(document: Document) -> Mapping[str, Entry]:
    """The top-level front-matter entries of a parsed page, by key, as written in its text."""
    text = document.text
    if document.problem is not None or not text:
        return {}
    # The block as the parser saw it: from the newline after `---` to the closing `---` line.
    start = text.find("\n")
    end = line_start(text, len(text) - len(document.body))
    root = yaml.compose(text[start:end], Loader=SafeLoader)
    entries: dict[str, Entry] = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if isinstance(key, yaml.ScalarNode) and key.value not in entries:
            entries[key.value] = Entry(
                start + key.start_mark.index,
                start + key.end_mark.index,
                start + value.start_mark.index,
                start + value.end_mark.index,
            )
    return entries


def delete_entry(text: str, entry: Entry) -> Edit | None:
    """Delete the whole lines of an entry, when they hold nothing else (no comment either)."""
    first = line_start(text, entry.key_start)
    end = line_end(text, max(entry.value_end - 1, entry.key_end))
    if text[first : entry.key_start].strip() or "#" in text[first:end]:
        return None
    if text[entry.value_end : end].strip():
        return None
    return Edit(first, end, "")
