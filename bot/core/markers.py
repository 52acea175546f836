"""Every hidden ``<!-- tierbot:... -->`` marker, and the regexes built from the same constants.

GitHub is tierbot's database: its comments and issues are found again by these markers, so a
template and the pattern that reads it back are made from one string (as bedevere's util.py
builds its regexes from its tag constants).
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable

#: The sticky pull-request comment.
REVIEW = "<!-- tierbot:review -->"
#: The review comment's tick boxes: the keys of the open ones in order, then of those done.
CHECKLIST = "<!-- tierbot:checklist open={open} done={done} -->"
#: Where the review comment's done items go, struck through, after the open ones.
DONE_HERE = "<!-- tierbot:done-here -->"
#: A quarterly issue: its quarter and the commit it was computed at.
QUARTERLY_ISSUE = "<!-- tierbot:quarterly {quarter} sha={sha} -->"
#: How many parts (the body, then continuation comments) a quarterly issue has.
QUARTERLY_PARTS = "<!-- tierbot:quarterly-parts {count} -->"
#: A continuation comment of a quarterly issue.
QUARTERLY_PART = "<!-- tierbot:quarterly-part {quarter} {index} -->"
#: A continuation comment no longer needed.
QUARTERLY_UNUSED = "<!-- tierbot:quarterly-unused -->"
#: A quarterly issue closed as a duplicate (its issue marker rewritten to this).
QUARTERLY_DUPLICATE = "<!-- tierbot:quarterly-duplicate {quarter} of=#{number} -->"
#: The comment saying why a duplicate was closed.
DUPLICATE_NOTE = "<!-- tierbot:duplicate -->"
#: The comment on an earlier quarter's issue closed in favour of a later one.
SUPERSEDED = "<!-- tierbot:superseded-by {quarter} -->"
#: Where the list of resolved items goes in a quarterly issue.
RESOLVED_ANCHOR = "<!-- tierbot:resolved-here -->"
#: The quarterly issue's progress line: how many of its pages are reviewed (ticked or resolved).
PROGRESS = "<!-- tierbot:progress -->"
#: A page of the quarterly issue (a ``- [ ]`` line) and a page resolved since the issue opened.
ITEM = "<!-- tierbot:item {key} -->"
RESOLVED = "<!-- tierbot:resolved {key} -->"
#: The pull request that records the quarter's ticked boxes as `last_reviewed` dates.
QUARTERLY_REVIEW_PR = "<!-- tierbot:quarterly-review-pr {quarter} -->"
#: The note in a quarterly issue that its boxes cannot be acted on, and why (said once).
TICKS_REFUSED = "<!-- tierbot:ticks-refused -->"
#: A review comment suggesting a finding's fix, and the review that carries such comments.
SUGGESTION = "<!-- tierbot:suggestion {fingerprint} -->"
SUGGESTIONS = "<!-- tierbot:suggestions -->"
#: The ``sha=`` of a quarterly issue computed in a plain directory.
NO_SHA = "none"

_QUARTER = r"\d{4}-Q[1-4]"
_KEY = r"[0-9a-f]{12}"


def short_key(*parts: str) -> str:
    """A marker's key for what ``parts`` name: 12 hex digits, the same on every run."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def regex(template: str, **groups: str) -> str:
    """``template`` as a regex: its text literal, each ``{name}`` a group of ``groups[name]``."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is not None:
            out.append(f"({groups[name]})")
    return "".join(out)


_ISSUE_RE = re.compile(regex(QUARTERLY_ISSUE, quarter=_QUARTER, sha=f"[0-9a-f]{{4,64}}|{NO_SHA}"))
_PART_RE = re.compile(regex(QUARTERLY_PART, quarter=_QUARTER, index=r"\d+"))
_CHECKLIST_RE = re.compile(regex(CHECKLIST, open=r"[0-9a-f,]*", done=r"[0-9a-f,]*"))
_SUGGESTION_RE = re.compile(regex(SUGGESTION, fingerprint=_KEY))
#: ``- [ ] text <!-- tierbot:item KEY -->``: (tick mark, text, key).
ITEM_LINE = re.compile(r"^- \[([ xX])\] (.*) " + regex(ITEM, key=_KEY) + "$", re.MULTILINE)
#: ``- ✅ text <!-- tierbot:resolved KEY -->``: (text, key).
RESOLVED_LINE = re.compile(r"^- ✅ (.*) " + regex(RESOLVED, key=_KEY) + "$", re.MULTILINE)


def normalize(text: str) -> str:
    """GitHub hands back bodies edited in the browser with CRLF line ends."""
    return text.replace("\r\n", "\n")


def issue_marker(body: str) -> tuple[str, str | None] | None:
    """(quarter id, commit SHA or None) from a quarterly issue body's marker."""
    match = _ISSUE_RE.search(body or "")
    if not match:
        return None
    return match[1], (None if match[2] == NO_SHA else match[2])


def replace_issue_marker(body: str, replacement: str) -> str:
    """The body with its issue marker replaced (a closed duplicate is found no more)."""
    return _ISSUE_RE.sub(replacement, normalize(body), count=1)


def part_marker(body: str) -> tuple[str, int] | None:
    """(quarter id, part index) from a continuation comment."""
    match = _PART_RE.search(body or "")
    return (match[1], int(match[2])) if match else None


def checklist_keys(body: str) -> tuple[list[str], list[str]] | None:
    """(open keys, done keys) from a review comment's checklist marker; None without one."""
    match = _CHECKLIST_RE.search(body or "")
    return (_keys(match[1]), _keys(match[2])) if match else None


def checklist_marker(open_keys: Iterable[str], done_keys: Iterable[str] = ()) -> str:
    return CHECKLIST.format(open=",".join(open_keys), done=",".join(done_keys))


def _keys(text: str) -> list[str]:
    return [key for key in text.split(",") if key]


def suggestion_fingerprints(bodies: Iterable[str]) -> frozenset[str]:
    """The fingerprints named by suggestion markers in ``bodies``."""
    return frozenset(match[1] for body in bodies for match in _SUGGESTION_RE.finditer(body or ""))


#: Where `tierbot init`'s section of a pull request template starts and ends.
TEMPLATE_START = "<!-- tierbot:template -->"
TEMPLATE_END = "<!-- /tierbot:template -->"
