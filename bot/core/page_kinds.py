"""Pages of another kind than a pattern (an exam, a learning module, a guide): how one reads,
and what its findings tell its author to take it out of the check.

DStudio keeps such pages beside its patterns and marks most of them with a `type`; one that
has no `type` is checked as a pattern, and its findings then say how to opt it out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.core.tiers import TIER_FIELD, TIERS

#: The front-matter field where a page says what kind of page it is (DStudio: `type: guide`).
TYPE_FIELD = "type"

#: Words in a page's name, title or opening that mark it as something else than a pattern
#: (the corpus's untiered guides: a roadmap, a decision matrix, combination recipes...).
_OTHER_PAGE = re.compile(
    r"\b(exams?|examinations?|quiz(?:zes)?|learning|modules?|guides?|tutorials?|summary|index|"
    r"courses?|handbook|cheat-?sheet|roadmap|matri(?:x|ces)|recipes|tools?|plan|instructions|"
    r"map)\b",
    re.IGNORECASE,
)
#: How much of a page's start the look-alike test reads: its title and first paragraph.
_OPENING = 600
#: The `type` DStudio declares for each kind of page (any other word: a guide).
_EXAMINATION = {"exam", "exams", "examination", "examinations", "quiz", "quizzes"}
_LEARNING_MODULE = {"learning", "module", "modules", "course", "courses"}
_EXCLUDE_IT = "add its path to the exclude globs in .github/tierbot.yml"
_TIER = f"`{TIER_FIELD}: {'`, `'.join(TIERS[:-1])}` or `{TIERS[-1]}`"


def other_page_word(path: str, text: str) -> str | None:
    """A word of the file's name or of ``text`` (its title, or its opening lines) saying the
    page is not a pattern, if there is one."""
    name = path.rsplit("/", 1)[-1].removesuffix(".md").replace("_", " ").replace("-", " ")
    match = _OTHER_PAGE.search(name) or _OTHER_PAGE.search(text[:_OPENING])
    return match.group(0).lower() if match else None


def declared_type(word: str) -> str:
    """The `type` a page that reads like ``word`` declares: `examination`, `guide`..."""
    if word in _EXAMINATION:
        return "examination"
    return "learning-module" if word in _LEARNING_MODULE else "guide"


def without_front_matter(word: str) -> tuple[str, str]:
    """A page without front matter that reads like ``word``: what is wrong, and what to do
    (opt it out, most likely; or give a pattern page its front matter)."""
    return (
        f"the page has no front matter, and it reads like a page of another kind (“{word}”)",
        f"If it is not a pattern page, {_EXCLUDE_IT}, or start it with front matter that "
        f"declares its kind (`type: {declared_type(word)}`); if it is one, start it with its "
        "front matter (--- on line 1).",
    )


def untiered_guide(path: str, meta: Mapping[str, Any]) -> tuple[str, str] | None:
    """A page with neither `type` nor tier whose file name or `title` reads like a guide (its
    prose is not read: it names guides and tools too often): what the tier's finding adds to
    its message, and its instruction (the tier, or the way out). None for any other page."""
    if TYPE_FIELD in meta:
        return None
    title = meta.get("title")
    word = other_page_word(path, title if isinstance(title, str) else "")
    if word is None:
        return None
    kind = declared_type(word)
    return (
        f"The page reads like a {kind.replace('-', ' ')} (“{word}”), not a pattern.",
        f"If it is a pattern, add {_TIER} to its front matter; if it is not, declare its kind "
        f"there (`type: {kind}`) or {_EXCLUDE_IT}.",
    )
