"""Parse a pattern page into its front matter, the line of every key, and its body."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import YAMLHandler

from bot.core.page_kinds import other_page_word, without_front_matter

#: The core's records are named tuples, not dataclasses: on the `tierbot check` path they
#: import and build faster. This is their shared empty-mapping default.
EMPTY: Mapping[str, Any] = MappingProxyType({})

# The C loader is ten times faster; the pure-Python one behaves the same.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Pages larger than this are reported, not parsed: no real pattern page comes near it.
MAX_PAGE_BYTES = 2 * 1024 * 1024
#: A front matter expanding (through aliases) to more nodes than this is refused.
MAX_YAML_NODES = 100_000


class Problem(NamedTuple):
    """Why a page's front matter could not be read, and where."""

    message: str
    line: int = 1
    todo: str = ""  # what to do, when it is not to repair the front matter


class Document(NamedTuple):
    """A parsed page. ``meta`` is None exactly when ``problem`` is set."""

    path: str
    meta: dict[str, Any] | None
    body: str = ""
    body_line: int = 1  # the file line the body starts on
    key_lines: Mapping[str, int] = EMPTY
    item_lines: Mapping[str, tuple[int, ...]] = EMPTY
    problem: Problem | None = None
    text: str = ""  # the whole page as parsed (without a BOM): what fixes edit

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)


class _PageHandler(YAMLHandler):
    """python-frontmatter's YAML handler, strict about where the block starts and ends.

    The stock boundary pattern also swallows blank lines after ``---``, which would shift
    every line number; this one matches the delimiter line alone.
    """

    FM_BOUNDARY = re.compile(r"^-{3}[ \t]*\r?$", re.MULTILINE)


_HANDLER = _PageHandler()


def parse_document(path: str, data: bytes) -> Document:
    """Parse the raw bytes of a page. Never raises: a bad page becomes a ``Problem``."""
    if len(data) > MAX_PAGE_BYTES:
        return _broken(
            path,
            f"the file is {len(data) / 1048576:.1f} MB; tierbot reads pages up to "
            f"{MAX_PAGE_BYTES // 1048576} MB. Split the page or move the bulk out of docs/",
        )
    if b"\0" in data:
        return _broken(path, "the file is binary (it contains NUL bytes), not a Markdown page")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return _broken(
            path,
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x} on line {line}); "
            "save it as UTF-8",
            line,
        )
    return parse_text(path, text.removeprefix("\ufeff"))


def parse_text(path: str, text: str) -> Document:
    """Parse a page's text. Never raises."""
    if not _HANDLER.detect(text):
        word = other_page_word(path, text)
        if word:
            message, todo = without_front_matter(word)
            return Document(path, None, problem=Problem(message, todo=todo))
        return _broken(path, "the page has no front matter: start line 1 with ---")
    try:
        front, body = _HANDLER.split(text)
    except ValueError:
        return _broken(path, "the front matter opened on line 1 is never closed with ---")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    try:
        root = yaml.compose(front, Loader=SafeLoader)
    except yaml.YAMLError as error:
        return _broken(path, *_yaml_error(error))
    if root is None:
        return _broken(path, "the front matter is empty; it must be a mapping of keys")
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        return _broken(path, f"the front matter is {kind}, not a mapping of keys", 2)
    # Only aliases (`*name`) can make a small text expand: skip the walk without them.
    if "*" in front and _expanded_size(root) > MAX_YAML_NODES:
        return _broken(
            path,
            f"the front matter expands to more than {MAX_YAML_NODES:,} YAML nodes "
            "through anchors and aliases (an alias bomb?); write the values out",
        )
    try:
        meta = SafeLoader(front).construct_document(root)
    except yaml.YAMLError as error:
        return _broken(path, *_yaml_error(error))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        # PyYAML's constructors let these out for a value its type cannot hold: an impossible
        # date (`last_updated: 2025-02-30`), `!!int "ten"`, `!!bool "maybe"`.
        detail = str(error) if isinstance(error, ValueError) else "a value does not fit its type"
        return _broken(path, f"the front matter is not valid YAML: {detail}")
    if not isinstance(meta, dict):  # e.g. a merge key gone wrong
        return _broken(path, "the front matter is not a mapping of keys", 2)
    key_lines, item_lines = _lines(root)
    return Document(path, meta, body, body_line, key_lines, item_lines, text=text)


def _broken(path: str, message: str, line: int = 1) -> Document:
    return Document(path, None, problem=Problem(message, line))


def _yaml_error(error: yaml.YAMLError) -> tuple[str, int]:
    """A message and file line for a YAML error (the block starts on file line 2)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    what = getattr(error, "problem", None) or str(error).splitlines()[0]
    if "could not determine a constructor" in str(error):
        what = "it uses a YAML tag tierbot does not load (only plain YAML is allowed)"
    if mark is None:
        return f"the front matter is not valid YAML: {what}", 1
    line = mark.line + 1  # mark lines are 0-based from the newline after `---`
    return (
        f"the front matter is not valid YAML: {what} (line {line}, column {mark.column + 1})",
        line,
    )


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has once aliases are expanded; cycles count as huge."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            return MAX_YAML_NODES + 1
        visiting.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child)
                if total > MAX_YAML_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node) + size(value_node)
                if total > MAX_YAML_NODES:
                    break
        visiting.discard(key)
        sizes[key] = total
        return total

    return size(root)


def _lines(root: yaml.MappingNode) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """File lines of the top-level keys, and of the entries of top-level lists."""
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key_lines.setdefault(key_node.value, key_node.start_mark.line + 1)
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key_node.value] = tuple(n.start_mark.line + 1 for n in value_node.value)
    return key_lines, item_lines
