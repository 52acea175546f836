"""Keys spelt with hyphens (`modern-examples` for `modern_examples`): the key-spelling check,
the rename that fixes one, and one finding, the rename, where a rule fails for want of the
field the page spells that way.

Registered on import by ``bot.core.rules`` (the package), beside the kinds of ``kinds``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bot.core.fixes import Fix, delete_entry, front_entries, replace_once
from bot.core.rules.kinds import Context, Hit, is_empty, kind, spelt_for
from bot.core.rules.policy import SEVERITIES, Policy, Rule

KEY_SPELLING = "key-spelling"
#: The rename's instruction when the rules have no key-spelling rule (on) to word it.
RENAME = "Rename `{key}` to `{field}`."
#: What a failing rule's finding adds when the page has its field under a hyphenated key.
SPELT = "The page spells it `{key}`."
SPELT_EMPTY = "The page spells it `{key}`, and leaves it empty."
FILL_IN = " Then fill it in."
BOTH = "(not renamed automatically: the page also has `{field}`; keep one by hand)"


@kind(KEY_SPELLING, placeholders=("key",))
def key_spelling(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    """A hyphenated key whose underscore spelling is a field the policy reads.

    The fix renames the key when the right spelling is absent, or present but empty (its
    empty entry is then deleted); a page that has both filled in is left to a person.
    """
    for key in context.meta:
        right = spelt_for(key)
        if right is None or right not in context.known_fields:
            continue
        line = context.document.line_of(key)
        if right in context.meta and not is_empty(context.meta[right]):
            yield Hit(line, {"key": key}, field=right, note=BOTH, spelling=key)
        else:
            fix = rename_fix(context, key, right)
            yield Hit(line, {"key": key}, field=right, fix=fix, spelling=key)


def rename_fix(context: Context, key: str, right: str) -> Fix | None:
    """Rename ``key`` to ``right`` (an empty ``right`` entry is deleted); no fix while another
    key of the page also stands for ``right``, or where the text cannot be edited exactly."""
    if any(other != key and spelt_for(other) == right for other in context.meta):
        return None
    entries = front_entries(context.document)
    text = context.document.text
    if key not in entries:
        return None
    found = entries[key]
    edits = [replace_once(text, found.key_start, found.key_end, key, right)]
    if right in entries:
        edits.append(delete_entry(text, entries[right]))
    if None in edits:
        return None
    summary = f"`{key}` renamed to `{right}`"
    if right in entries:
        summary += f" (the empty `{right}` removed)"
    return Fix(summary, tuple(edit for edit in edits if edit is not None))


def one_per_cause(
    found: Sequence[tuple[Rule, Hit]], context: Context, policy: Policy
) -> list[tuple[Rule, Hit]]:
    """``found`` with each misspelt field said once: the rules failing for want of it make one
    hit, the most severe rule's (the first on a tie), whose instruction and fix are the rename;
    `key-spelling` does not report that key again. Whether `key-spelling` is on or off: the
    rename is what makes the failing rule pass either way."""
    chosen: dict[str, tuple[Rule, Hit]] = {}
    for rule, hit in found:
        key = _wanting(rule, hit, context)
        if key and (key not in chosen or _rank(rule) < _rank(chosen[key][0])):
            chosen[key] = (rule, hit)
    kept = []
    for rule, hit in found:
        key = hit.spelling if rule.check == KEY_SPELLING else _wanting(rule, hit, context)
        if key is None or key not in chosen:
            kept.append((rule, hit))
        elif chosen[key][1] is hit:
            kept.append((rule, _as_rename(rule, hit, key, context, policy)))
    return kept


def _rank(rule: Rule) -> int:
    return SEVERITIES.index(rule.severity)


def _wanting(rule: Rule, hit: Hit, context: Context) -> str | None:
    """The key the page spells the rule's field with, when the rule fails for want of it."""
    name = rule.field
    if rule.check == KEY_SPELLING or not name or hit.field not in (None, name):
        return None
    return context.misspelling_of(name) if is_empty(context.meta.get(name)) else None


def _as_rename(rule: Rule, hit: Hit, key: str, context: Context, policy: Policy) -> Hit:
    """The rule's hit as a spelling: the rename to do (and apply), no YAML to add."""
    name = rule.field or ""
    worded = next((r.checklist for r in policy.rules if r.check == KEY_SPELLING), RENAME)
    empty = is_empty(context.meta.get(key))
    return hit._replace(
        values={**hit.values, "key": key},
        fix=rename_fix(context, key, name),
        note=SPELT_EMPTY if empty else SPELT,
        todo=worded + (FILL_IN if empty else ""),
        skeleton="",
        spelling=key,
    )
