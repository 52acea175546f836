"""The review's sections, each a list of Markdown lines: the new problems (one line per
instruction, its pages on it) and the fixed problems (the tier changes: ``tier_lines``; the
fold: ``fold``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bot.core import markers
from bot.core.links import Links
from bot.core.markdown import code, message
from bot.core.review.model import PageReview
from bot.core.review.suggestions import fingerprint
from bot.core.rules.evaluate import Finding
from bot.core.rules.policy import SEVERITIES
from bot.core.rules.report import plural
from bot.core.tiers import TIER_FIELD

SEVERITY_EMOJI = {"error": "❌", "warning": "⚠️", "notice": "ℹ️"}
#: The check kind whose findings the tier changes show, not the list of new problems.
TIER_CHANGED = "tier-changed"

#: A problem said once: what to do, its rules, what is wrong, and where.
PROBLEM = "{box}{emoji} **{instruction}** {rules}{message}{where}"
PAGES = " · {pages}"
MORE = " … and {count} more"
#: A page of a problem in the full report, under the problem.
PAGE_ITEM = "  - {page}{message}"
FIXED = "- ✅ {instruction} {rules}{where}"
#: The fix waits as a one-click suggestion in the pull request's "Files changed".
SUGGESTED = " (suggested fix on line {line})"
#: The YAML a missing field takes, to fill in (the rules' text, not the page's).
SKELETON = "  ```yaml\n{yaml}  ```"
DELETED = " (deleted)"
OPEN_BOX, NO_BOX = "- [ ] ", "- "


class PageNames(NamedTuple):
    """How the review names pages: under their common directory, linked at head (a deleted
    page at the fork point, where it still is)."""

    prefix: str = ""
    head: Links = Links()
    base: Links = Links()

    def __call__(self, path: str) -> str:
        return code(path.removeprefix(self.prefix))


class Detail(NamedTuple):
    """How much of each problem a rendering shows: the fewer, the shorter."""

    pages: int | None = None  # pages named on a problem's line; None: all
    links: bool = True  # pages linked to their lines
    messages: bool = True  # what is wrong, besides what to do
    skeletons: bool = True  # the YAML of a missing field
    per_page: bool = False  # the full report: a line per page under each problem


#: From the most detailed to the shortest; a comment takes the first that fits.
DETAILS = (
    Detail(),
    Detail(pages=10),
    Detail(pages=5, skeletons=False),
    Detail(pages=3, messages=False, skeletons=False),
    Detail(pages=3, links=False, messages=False, skeletons=False),
    Detail(pages=0, links=False, messages=False, skeletons=False),
)
FULL = Detail(per_page=True)


class PageHit(NamedTuple):
    page: PageReview
    finding: Finding


class SharedProblem(NamedTuple):
    """Findings that ask for the same thing, whatever their messages' details: said once."""

    instruction: str  # the rules' checklist line, filled in
    hits: tuple[PageHit, ...]

    @property
    def severity(self) -> str:
        return min((hit.finding.severity for hit in self.hits), key=SEVERITIES.index)

    @property
    def key(self) -> str:
        """What finds the problem's line again in the next comment (see ``ticks``)."""
        return markers.short_key(self.instruction)

    @property
    def rules(self) -> str:
        return " ".join(code(rule) for rule in dict.fromkeys(h.finding.rule for h in self.hits))

    @property
    def message(self) -> str | None:
        """What is wrong, when every page says the same."""
        said = {hit.finding.message for hit in self.hits}
        return said.pop() if len(said) == 1 else None


class Rendered(NamedTuple):
    """Lines, the keys of their tick boxes in order, and the findings left unnamed."""

    lines: list[str]
    keys: list[str]
    unnamed: int


def group(hits: Iterable[PageHit]) -> list[SharedProblem]:
    """One problem per instruction, the most severe first, then the most pages."""
    found: dict[str, list[PageHit]] = {}
    for hit in hits:
        found.setdefault(hit.finding.checklist, []).append(hit)
    problems = [
        SharedProblem(text, tuple(sorted(hits, key=lambda h: h.page.path)))
        for text, hits in found.items()
    ]
    problems.sort(key=lambda p: (SEVERITIES.index(p.severity), -len(p.hits), p.instruction))
    return problems


def is_carried(page: PageReview, finding: Finding) -> bool:
    """A new problem of the tier field on a page whose tier changed: the tier change says it."""
    return page.change.tier_changed and finding.field == TIER_FIELD


def new_hits(pages: Sequence[PageReview]) -> list[PageHit]:
    """The new problems the list shows (tier changes and what they carry have their own)."""
    return [
        PageHit(page, item.finding)
        for page in pages
        for item in page.findings
        if item.state == "new" and item.check != TIER_CHANGED and not is_carried(page, item.finding)
    ]


def problems(pages: Sequence[PageReview], name: PageNames, detail: Detail, boxes: bool) -> Rendered:
    """A line per instruction, its pages (and their lines) on it."""
    lines: list[str] = []
    keys: list[str] = []
    unnamed = 0
    for problem in group(new_hits(pages)):
        said = problem.message if detail.messages else None
        where, hidden = _pages(problem.hits, name, detail)
        unnamed += hidden
        lines.append(
            PROBLEM.format(
                box=OPEN_BOX if boxes else NO_BOX,
                emoji=SEVERITY_EMOJI[problem.severity],
                instruction=message(problem.instruction),
                rules=problem.rules,
                message=f" — {message(said)}" if said else "",
                where=where,
            )
        )
        keys.append(problem.key)
        if detail.per_page:
            lines += [
                PAGE_ITEM.format(
                    page=_at(hit, name),
                    message="" if said else f": {message(hit.finding.message)}",
                )
                for hit in problem.hits
            ]
        skeleton = problem.hits[0].finding.skeleton
        if detail.skeletons and skeleton:
            lines.append(SKELETON.format(yaml="".join(f"  {y}\n" for y in skeleton.splitlines())))
    return Rendered(lines, keys, unnamed)


def _pages(hits: Sequence[PageHit], name: PageNames, detail: Detail) -> tuple[str, int]:
    """`` · 77 pages: a, b, … and 74 more`` (nothing in the full report, which lists them);
    and how many findings it leaves unnamed."""
    if detail.per_page:
        return "", 0
    shown = hits if detail.pages is None else hits[: detail.pages]
    named = [_at(hit, name) if detail.links else _short(hit, name) for hit in shown]
    text = ", ".join(named)
    hidden = len(hits) - len(shown)
    pages = len({hit.page.path for hit in hits})
    if hidden:
        text = f"{text}{MORE.format(count=hidden)}" if text else ""
        text = f"{plural(pages, 'page')}: {text}" if text else plural(pages, "page")
    elif len(hits) > 3:
        text = f"{plural(pages, 'page')}: {text}"
    return PAGES.format(pages=text), hidden


def _short(hit: PageHit, name: PageNames) -> str:
    line = hit.finding.line
    return name(hit.page.path) + (f" line {line}" if line else "")


def _at(hit: PageHit, name: PageNames) -> str:
    """A page of a problem, linked to the line at head (a deleted page: the page at base)."""
    page, line = hit.page, hit.finding.line
    if page.change.status == "removed":
        url = name.base.blob(page.path)
        text = name(page.path) + DELETED
    else:
        url = name.head.blob(page.path, line)
        text = _short(hit, name)
    return (f"[{text}]({url})" if url else text) + _suggested(page, hit.finding)


def _suggested(page: PageReview, finding: Finding) -> str:
    """Where the finding's fix waits as a suggestion on the pull request, if it does."""
    wanted = fingerprint(page.path, finding.rule, finding.field)
    edit = next((e for e in page.suggestions if e.fingerprint == wanted), None)
    return SUGGESTED.format(line=edit.first) if edit else ""


def fixed(pages: Sequence[PageReview], name: PageNames, detail: Detail) -> Rendered:
    """A ✅ line per instruction the change no longer needs, with its pages."""
    hits = [PageHit(p, i.finding) for p in pages for i in p.findings if i.state == "fixed"]
    lines, unnamed = [], 0
    for problem in group(hits):
        where, hidden = _pages(problem.hits, name, detail._replace(per_page=False, links=False))
        unnamed += hidden
        lines.append(
            FIXED.format(instruction=message(problem.instruction), rules=problem.rules, where=where)
        )
    return Rendered(lines, [], unnamed)
