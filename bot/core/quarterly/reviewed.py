"""A ticked box as a page reviewed (pure): `last_reviewed` set by an exact text edit, one
commit per page on the quarter's branch, and the pages a run puts there."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

import yaml

from bot.core import markers
from bot.core.documents import SafeLoader, parse_text
from bot.core.fixes import Edit, apply_edits, front_entries, line_start, newline_at
from bot.core.markers import ITEM_LINE, issue_marker, normalize

FIELD = "last_reviewed"
BRANCH = "tierbot/quarterly-{quarter}"
TITLE = "Quarterly review {quarter}"
SUBJECT = "Quarterly review: {path} reviewed"
TRAILER = "Reviewed-by: {reviewer}"
REFRESHED = "The dashboard {path} counted again with this review."
_SUBJECT_RE = re.compile(r"^Quarterly review: (.+) reviewed$")
_TRAILER_RE = re.compile(r"^Reviewed-by: (.+ <[^<>]+>)$", re.MULTILINE)
BOM = "\ufeff"
DASHBOARD = (
    " Its last commit also refreshes `{path}` (`quarterly.dashboard`) as `tierbot dashboard` "
    "counts the library with these reviews."
)


class Tick(NamedTuple):
    """A page whose box was ticked: the day, and who ticked it (``login <email>``)."""

    path: str
    day: date
    reviewer: str


def reviewer(login: str, user_id: int | None) -> str:
    """A GitHub account as a trailer names it: its login and no-reply address."""
    local = f"{user_id}+{login}" if user_id else login
    return f"{login} <{local}@users.noreply.github.com>"


def commit_message(tick: Tick, refreshed: str | None = None) -> str:
    """The commit of ``tick``, saying when it also refreshes the dashboard page."""
    also = REFRESHED.format(path=refreshed) + "\n\n" if refreshed else ""
    return SUBJECT.format(path=tick.path) + "\n\n" + also + TRAILER.format(reviewer=tick.reviewer)


def tick_of(message: str, day: date) -> Tick | None:
    """The tick a commit of the branch records (its author date the tick's day); None for a
    commit tierbot did not make."""
    subject, _, rest = normalize(message).partition("\n")
    named, credited = _SUBJECT_RE.match(subject), _TRAILER_RE.search(rest)
    if not named or not credited:
        return None
    return Tick(named[1], day, credited[1])


def ticked_keys(body: str) -> tuple[str, ...]:
    """The keys of the ticked boxes of an issue's text, in order."""
    return tuple(key for mark, _, key in ITEM_LINE.findall(normalize(body)) if mark != " ")


def newly_ticked(before: str, after: str) -> tuple[str, ...]:
    """The boxes an edit ticked: ticked in ``after``, not in ``before``."""
    earlier = set(ticked_keys(before))
    return tuple(key for key in ticked_keys(after) if key not in earlier)


def ticks_changed(before: str, after: str) -> bool:
    return ticked_keys(before) != ticked_keys(after)


class BoxEdit(NamedTuple):
    """A person's edit of a quarterly issue's boxes: who made it and the boxes it ticked."""

    login: str
    reviewer: str  # ``login <email>``, as the trailer names them
    ticked: tuple[str, ...]  # the keys of the boxes it ticked


def box_edit(
    before: str | None, after: str, login: str, user_id: int | None, sender_type: str | None
) -> BoxEdit | None:
    """An `issues` `edited` event as an edit of a quarterly issue's boxes; None for any other
    edit (of the title, of no box, of another issue) and for a bot's, tierbot's own first."""
    if before is None or issue_marker(after) is None or not ticks_changed(before, after):
        return None
    if sender_type == "Bot":
        return None
    return BoxEdit(login, reviewer(login, user_id), newly_ticked(before, after))


def planned(
    ticked: Sequence[str],
    paths: Mapping[str, str],
    applied: Sequence[Tick],
    fresh: Mapping[str, str],
    today: date,
) -> list[Tick]:
    """The ticks the branch should hold, in its order.

    A page whose tick is on the branch keeps its day and reviewer while its box stays
    ticked; a page ticked by this run's edit (``fresh``: key -> reviewer) follows, dated
    ``today``. A ticked box with neither is the business of the run of the edit that ticked
    it, which alone knows who did.
    """
    keys = {path: key for key, path in paths.items()}
    still = set(ticked)
    kept = [tick for tick in applied if keys.get(tick.path) in still]
    have = {tick.path for tick in kept}
    added = [
        Tick(paths[key], today, fresh[key])
        for key in ticked
        if key in fresh and key in paths and paths[key] not in have
    ]
    return kept + added


def set_last_reviewed(text: str, day: date) -> str | None:
    """``text`` with its front matter's `last_reviewed` set to ``day``, nothing else touched:
    the value replaced where the key is, else the key added last (in a flow mapping, before
    its ``}``). None when the front matter cannot be read."""
    bom = BOM if text.startswith(BOM) else ""
    document = parse_text("page.md", text.removeprefix(BOM))
    if document.meta is None:
        return None
    body = document.text
    value = day.isoformat()
    entry = front_entries(document).get(FIELD)
    if entry is not None:
        old = body[entry.value_start : entry.value_end]
        quote = old[0] if old[:1] in ("'", '"') else ""
        start = entry.value_start
        if entry.value_start == entry.value_end:  # `last_reviewed:` with no value
            value = " " + value
            start = entry.key_end + body[entry.key_end :].index(":") + 1
        edit = Edit(start, entry.value_end, f"{quote}{value}{quote}")
    else:
        edit = _added(body, len(body) - len(document.body), value)
    return bom + apply_edits(body, [edit])


def _added(text: str, block_end: int, value: str) -> Edit:
    """The key added at the end of the front matter ending at ``block_end``."""
    start = text.find("\n")
    closing = line_start(text, block_end - 1)  # the `---` line
    front = text[start:closing]
    root = yaml.compose(front, Loader=SafeLoader)
    if isinstance(root, yaml.MappingNode) and root.flow_style:
        brace = start + root.end_mark.index - 1
        return Edit(brace, brace, f", {FIELD}: {value}")
    newline = newline_at(text, 0)
    return Edit(closing, closing, f"{FIELD}: {value}{newline}")


def pull_body(
    quarter: str, issue_url: str, ticks: Sequence[Tick], dashboard: str | None = None
) -> str:
    """The pull request's description: what merging it records, page by page, and the
    dashboard page (``quarterly.dashboard``) it refreshes."""
    lines = [
        markers.QUARTERLY_REVIEW_PR.format(quarter=quarter),
        f"Sets `{FIELD}` on the pages whose box was ticked in the {quarter} review "
        f"({issue_url}), one commit per page crediting who ticked it. Merging it records "
        "the reviews: those pages leave the next quarters' budget. Unticking a box takes its "
        "page out; tierbot keeps this branch in step with the boxes."
        + (DASHBOARD.format(path=dashboard) if dashboard else ""),
        "",
        *(
            f"- `{t.path}` reviewed {t.day.isoformat()} by {t.reviewer.split(' ')[0]}"
            for t in ticks
        ),
    ]
    return "\n".join(lines) + "\n"
