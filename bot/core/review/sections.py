"""The review comment's sections, each a list of Markdown lines: the checklist of new
problems, the tier changes, the fixed problems, and the fold for everything else."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

from bot.core.links import Links
from bot.core.markdown import code, message
from bot.core.review.headline import plural
from bot.core.review.model import PageReview
from bot.core.review.suggestions import fingerprint
from bot.core.rules.evaluate import Finding
from bot.core.rules.policy import SEVERITIES
from bot.core.tiers import TIER_EMOJI

SEVERITY_EMOJI = {"error": "❌", "warning": "⚠️", "notice": "ℹ️"}
#: The check kind whose findings the list of tier changes shows, not the checklist.
TIER_CHANGED = "tier-changed"

#: A problem several pages share: said once, its pages listed under it.
SHARED_PROBLEM = "{emoji} **{fix}** {rule} — {message}"
PAGE_TITLE = "{emoji} **{page}**{moved}"
PROBLEM_ITEM = "- [ ] {emoji} {where}{fix} {rule} — {message}"
#: The fix waits as a one-click suggestion in the pull request's "Files changed".
SUGGESTED = " · suggested fix on line {line}"
#: After a page's (or a shared problem's) items when a safe fix repairs every one of them.
FIX_LOCALLY = "{command} applies {what} in a checkout."
#: The YAML a missing field takes, to fill in (the rules' text, not the page's).
SKELETON = "{indent}```yaml\n{yaml}{indent}```"
MOVED = " (moved from {page})"
DELETED = " (deleted)"
FOLDED_OPEN = "<details><summary>Not blocking: {what}</summary>\n"
FOLDED_CLOSE = "</details>"

Name = Callable[[str], str]  # a page's path as the comment shows it


class _Problem(NamedTuple):
    """What makes two pages' findings the same problem, to be said once."""

    severity: str
    rule: str
    message: str
    checklist: str


def _emoji(page: PageReview) -> str:
    return TIER_EMOJI.get(page.change.tier_head or page.change.tier_base or "", "📄")


def _tier(tier: str | None) -> str:
    return f"{TIER_EMOJI[tier]} {tier}" if tier else "none"


def _moved(page: PageReview, name: Name) -> str:
    """Where the page came from, or that it is gone: said after its name."""
    if page.change.status == "removed":
        return DELETED
    moved = page.change.previous_path
    return MOVED.format(page=name(moved)) if moved else ""


def _todo(page: PageReview) -> list[Finding]:
    """The page's new findings the checklist lists (tier changes have a list of their own)."""
    return [i.finding for i in page.findings if i.state == "new" and i.check != TIER_CHANGED]


def _problem(finding: Finding) -> _Problem:
    return _Problem(finding.severity, finding.rule, finding.message, finding.checklist)


def checklist(pages: Sequence[PageReview], name: Name, links: Links) -> list[str]:
    """Blocks of ``- [ ]`` items, the most severe first: a problem on several pages once with
    the pages under it, every other problem under its page."""
    found: dict[_Problem, list[tuple[PageReview, Finding]]] = {}
    for page in pages:
        for finding in _todo(page):
            found.setdefault(_problem(finding), []).append((page, finding))
    shared = {key for key, hits in found.items() if len({page.path for page, _ in hits}) > 1}
    blocks: list[tuple[tuple[int, str], list[str]]] = []
    for problem, hits in found.items():
        if problem not in shared:
            continue
        head = SHARED_PROBLEM.format(
            emoji=SEVERITY_EMOJI[problem.severity],
            fix=message(problem.checklist),
            rule=code(problem.rule),
            message=message(problem.message),
        )
        hits.sort(key=lambda hit: hit[0].path)
        items = [
            f"- [ ] {_at(page, finding.line, name, links)}{_suggested(page, finding)}"
            for page, finding in hits
        ]
        hint = _fix_locally([page.path for page, finding in hits if finding.fix], len(hits))
        yaml = _skeleton(hits[0][1], indent="")
        lines = [head, *items, *hint, *(["", yaml] if yaml else [])]
        blocks.append(((SEVERITIES.index(problem.severity), hits[0][0].path), lines))
    for page in pages:
        own = [finding for finding in _todo(page) if _problem(finding) not in shared]
        if not own:
            continue
        head = PAGE_TITLE.format(emoji=_emoji(page), page=name(page.path), moved=_moved(page, name))
        items = [line for finding in own for line in _item(page, finding, links)]
        hint = _fix_locally([page.path] * sum(bool(f.fix) for f in own), len(own))
        worst = min(SEVERITIES.index(finding.severity) for finding in own)
        blocks.append(((worst, page.path), [head, *items, *hint]))
    blocks.sort(key=lambda block: block[0])
    return [line for _, lines in blocks for line in (*lines, "")]


def _url(page: PageReview, line: int | None, links: Links) -> str | None:
    return None if page.change.status == "removed" else links.blob(page.path, line)


def _at(page: PageReview, line: int | None, name: Name, links: Links) -> str:
    """A page of a shared problem: its name and line, linked to that line at head."""
    text = f"{name(page.path)} line {line}" if line else name(page.path)
    url = _url(page, line, links)
    return f"[{text}]({url})" if url else text


def _item(page: PageReview, finding: Finding, links: Links) -> list[str]:
    """The finding's ``- [ ]`` line; under it, for a missing field, the YAML to fill in."""
    where = ""
    if finding.line:
        url = _url(page, finding.line, links)
        where = f"[line {finding.line}]({url}): " if url else f"line {finding.line}: "
    item = PROBLEM_ITEM.format(
        emoji=SEVERITY_EMOJI[finding.severity],
        where=where,
        fix=message(finding.checklist),
        rule=code(finding.rule),
        message=message(finding.message),
    )
    yaml = _skeleton(finding, indent="  ")  # inside the item
    return [item + _suggested(page, finding), *([yaml] if yaml else [])]


def _skeleton(finding: Finding, indent: str) -> str:
    if not finding.skeleton:
        return ""
    yaml = "".join(f"{indent}{line}\n" for line in finding.skeleton.splitlines())
    return SKELETON.format(indent=indent, yaml=yaml)


def _suggested(page: PageReview, finding: Finding) -> str:
    """Where the finding's fix waits as a suggestion on the pull request, if it does."""
    if not page.suggestions:
        return ""
    wanted = fingerprint(page.path, finding.rule, finding.field)
    edit = next((e for e in page.suggestions if e.fingerprint == wanted), None)
    return SUGGESTED.format(line=edit.first) if edit else ""


def _fix_locally(fixable: Sequence[str], items: int) -> list[str]:
    """The `tierbot fix` command, when a safe fix repairs each of the ``items``."""
    if not items or len(fixable) < items:
        return []
    command = code(f"tierbot fix {' '.join(dict.fromkeys(fixable))}")
    what = "this fix" if items == 1 else f"these {items} fixes"
    return ["", FIX_LOCALLY.format(command=command, what=what)]


def tier_changes(pages: Sequence[PageReview], name: Name) -> list[str]:
    """``saga.md: 🏆 gold → none``; a tick box when a rule makes the change block the merge."""
    lines = []
    for page in sorted(pages, key=lambda page: page.path):
        if not page.change.tier_changed:
            continue
        blocking = [
            i.finding.severity
            for i in page.findings
            if i.check == TIER_CHANGED and i.state == "new" and i.finding.severity != "notice"
        ]
        box = f"- [ ] {SEVERITY_EMOJI[min(blocking, key=SEVERITIES.index)]} " if blocking else "- "
        change = f"{_tier(page.change.tier_base)} → {_tier(page.change.tier_head)}"
        lines.append(f"{box}{name(page.path)}{_moved(page, name)}: {change}")
    return [*lines, ""] if lines else []


def fixed(pages: Sequence[PageReview], name: Name) -> list[str]:
    """One ✅ line a page: the rules it no longer breaks."""
    lines = []
    for page in sorted(pages, key=lambda page: page.path):
        rules = [item.finding.rule for item in page.findings if item.state == "fixed"]
        if rules:
            lines.append(f"- ✅ {name(page.path)}: {_rules(rules)}")
    return [*lines, ""] if lines else []


def _rules(rules: Sequence[str]) -> str:
    """``rule-a``, ``rule-b ×2``: each rule id once, with how often it was found."""
    counted = Counter(rules)  # in the order first found
    return ", ".join(code(rule + (f" ×{n}" if n > 1 else "")) for rule, n in counted.items())


def folded(pages: Sequence[PageReview], name: Name) -> list[str]:
    """One ``<details>`` block: a line per page with nothing new or problems on main."""
    lines = []
    quiet = existing = 0
    for page in sorted(pages, key=lambda page: page.path):
        on_main = [item.finding.rule for item in page.findings if item.state == "existing"]
        shown = page.change.tier_changed or any(f.state != "existing" for f in page.findings)
        if on_main or not shown:
            tier = _tier(page.change.tier_head or page.change.tier_base)
            line = f"- {name(page.path)}{_moved(page, name)} · {tier}"
            lines.append(line + (f" · on main: {_rules(on_main)}" if on_main else ""))
            quiet += not page.tally("new")
            existing += len(on_main)
    if not lines:
        return []
    what = [
        plural(quiet, "page") + " with nothing new" if quiet else "",
        plural(existing, "problem") + " already on main" if existing else "",
    ]
    summary = FOLDED_OPEN.format(what=" · ".join(part for part in what if part))
    return [summary, *lines, FOLDED_CLOSE, ""]
