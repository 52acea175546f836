"""Escape contributor text for GitHub Markdown: no pings, no HTML, no broken layout."""

from __future__ import annotations

import re

# Parentheses stay as they are: with both brackets escaped, no link or image can form.
_SPECIAL = re.compile(r"([\\`*_\[\]#!|~])")
_MENTION = re.compile(r"@(?=\w)")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_WHITESPACE = re.compile(r"\s+")
_ZERO_WIDTH_SPACE = "\u200b"


def escape(text: str) -> str:
    """Prose from a page: HTML shown as text, Markdown inert, `@name` pinging nobody."""
    text = _WHITESPACE.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _MENTION.sub("@" + _ZERO_WIDTH_SPACE, text)


def code(text: str, in_table: bool = False) -> str:
    """An inline code span holding ``text`` literally, whatever backticks it contains.

    GitHub neither pings nor renders HTML inside a code span, but the body also reaches
    readers that do not render it (notification e-mails, API clients, other Markdown
    renderers): a zero-width space still breaks every `@name` and `<tag` in it.
    """
    text = _WHITESPACE.sub(" ", text)
    text = _TAG.sub("<" + _ZERO_WIDTH_SPACE, _MENTION.sub("@" + _ZERO_WIDTH_SPACE, text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if longest or text.startswith(" ") else text
    span = f"{fence}{padded}{fence}"
    # In a GFM table a pipe ends the cell even inside a code span.
    return span.replace("|", r"\|") if in_table else span


def code_list(items: list[str] | tuple[str, ...]) -> str:
    """``a``, ``b`` or ``c``: each in a code span, so logins and teams are shown, never pinged."""
    return or_list([code(item) for item in items])


def or_list(items: list[str] | tuple[str, ...]) -> str:
    """a, b or c."""
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


def message(text: str) -> str:
    """A rule's message: its `code spans` (trusted template markup) kept, the rest escaped.

    Values quoted from a page never contain backticks (the rules engine replaces them),
    so an odd count means the text is not what we expect: escape all of it.
    """
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return escape(text)
    return "".join(code(part) if index % 2 else escape(part) for index, part in enumerate(parts))
