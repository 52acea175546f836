"""The review comment as a reader sees it on GitHub: its rendered text and its first screen.

GitHub renders comments with cmark-gfm (``cmarkgfm`` is its Python binding) and keeps
``<details>``, so a closed ``<details>`` shows its ``<summary>`` alone. The visible text
puts each block (paragraph, heading, list item, code line, summary) on its own line, a
blank line after a paragraph, a heading, a list, a code block or a fold, as GitHub's
margins do; a task list's checkbox shows as ``☐``/``☑``.

The first screen is what a reader sees before scrolling, on a laptop: ``SCREEN_LINES``
lines of ``SCREEN_WIDTH`` characters (the conversation column is about 880 px wide, 14 px
text, 21 px lines: about 100 characters a line, and 40 lines fill the 840 px or so of a
1080-pixel-high window that the page's header, the title and the tab bar leave).
"""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

SCREEN_LINES = 40
SCREEN_WIDTH = 100
#: Blocks that end a line, and those GitHub sets a margin (a blank line) after.
_LINE_ENDS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "br", "hr", "tr"}
_MARGIN_AFTER = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "details", "hr"}
CHECKBOX = re.compile(r"(?m)^\s*[-*+] \[[ xX]\] ")


def html(comment: str) -> str:
    """The comment as GitHub renders it (raw HTML such as ``<details>`` kept)."""
    return cmarkgfm.github_flavored_markdown_to_html(comment, options=Options.CMARK_OPT_UNSAFE)


def raw_html(markdown: str) -> int:
    """How many pieces of raw HTML (tags, comments) cmark-gfm's safe mode leaves out of
    ``markdown``: a page with none renders the same wherever raw HTML is filtered."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown).count("<!-- raw HTML omitted -->")


class _Visible(HTMLParser):
    """Collects the text a reader sees, a closed ``<details>`` folded to its summary."""

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.folded = 0  # depth inside closed <details>, outside their <summary>
        self.details = 0
        self.pre = 0  # inside <pre>, where line breaks are the text's own

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.pre += 1
        elif tag == "details":
            self.details += 1
            self.folded += 1
        elif tag == "summary" and self.folded:
            self.folded -= 1  # the summary shows
        elif tag == "input" and not self.folded:
            self.out.append("☑" if any(name == "checked" for name, _ in attrs) else "☐")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.pre -= 1
        elif tag == "summary" and self.details:
            self.folded += 1
        elif tag == "details":
            self.details -= 1
            self.folded -= 1
        if self.folded:
            return
        if tag in _LINE_ENDS:
            self.out.append("\n")
        if tag in _MARGIN_AFTER:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.folded:
            return
        if not self.pre:  # a line break in the HTML is a space on screen, none at a line start
            data = re.sub(r"\s+", " ", data)
            if not self.out or self.out[-1].endswith("\n"):
                data = data.lstrip()
        if data:
            self.out.append(data)


def visible_text(comment: str) -> str:
    """The rendered comment's text, one block a line, folds closed."""
    parser = _Visible()
    parser.feed(html(comment))
    parser.close()
    lines = "\n".join(line.rstrip() for line in "".join(parser.out).splitlines())
    return re.sub(r"\n{3,}", "\n\n", lines).strip() + "\n"


def first_screen(comment: str) -> str:
    """The visible text's first ``SCREEN_LINES`` lines, wrapped at ``SCREEN_WIDTH``."""
    screen: list[str] = []
    for line in visible_text(comment).splitlines():
        screen += textwrap.wrap(line, SCREEN_WIDTH, break_on_hyphens=False) or [""]
    return "\n".join(screen[:SCREEN_LINES])


def seen(needle: str, screen: str) -> bool:
    """Whether ``needle`` (Markdown inline text: its backticks and bold are not shown) is
    read whole on ``screen``, whatever line breaks the wrapping put in it (`tier-banner`
    is not seen in `tier-banner-missing`)."""
    plain = " ".join(needle.replace("`", "").replace("**", "").split())
    return (
        re.search(rf"(?<![\w-]){re.escape(plain)}(?![\w-])", " ".join(screen.split())) is not None
    )


def section(page: str, head: str) -> str:
    """The section of a Markdown page under the heading ``head``, up to the next one."""
    return page.split(f"\n{head}\n", 1)[1].split("\n## ", 1)[0]
