"""The check kinds a rule can name: small registered functions over a parsed page.

Adding a kind is one decorated function: its parameters (required or not), the
placeholders it fills in the rule's message, and whether it judges a page or a change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from bot.core.documents import EMPTY, Document
from bot.core.fixes import Fix
from bot.core.mkdocs import MKDOCS_FILES
from bot.core.page_kinds import untiered_guide
from bot.core.rules.shapes import (
    MAPPING,
    NON_EMPTY_LIST,
    Schema,
    at_least,
    field_is,
    items_with,
    mapping_of_lists,
    one_of_values,
    present,
    text_matching,
)
from bot.core.tiers import TIER_FIELD, tier_of


class Hit(NamedTuple):
    """One failure found by a check; ``values`` fill the rule's message placeholders."""

    line: int | None = None
    values: Mapping[str, Any] = EMPTY
    field: str | None = None  # when the hit concerns another field than the rule's
    fix: Fix | None = None  # an edit of the page certain to repair it
    # ``note`` and ``todo`` are templates, as the rule's texts, filled with the same values.
    note: str = ""  # a sentence after the rule's message: what this page's case adds to it
    todo: str = ""  # the instruction, when this hit's cause needs another than the rule's
    skeleton: str = ""  # the YAML to add for a missing field, for a person to fill in
    spelling: str | None = None  # the hyphenated key the page writes instead of ``field``


class Context:
    """What a page-level check sees."""

    __slots__ = ("document", "known_fields", "meta", "tier")

    def __init__(self, document: Document, known_fields: frozenset[str]) -> None:
        self.document = document
        self.known_fields = known_fields
        self.meta: Mapping[str, Any] = document.meta or EMPTY
        self.tier = tier_of(self.meta)

    def misspelling_of(self, field_name: str) -> str | None:
        """The key the page writes ``field_name`` with, hyphens for (some of) its underscores,
        as `key-spelling` reads it; the first one, if any."""
        return next((key for key in self.meta if spelt_for(key) == field_name), None)

    def fallback_line(self, field_name: str | None) -> int:
        """Where to point for a field: its key, a misspelt key, the tier, else line 1."""
        if self.document.problem is not None:
            return self.document.problem.line
        lines = self.document.key_lines
        misspelt = self.misspelling_of(field_name) if field_name else None
        for key in (field_name, misspelt, TIER_FIELD):
            if key and key in lines:
                return lines[key]
        return 1


def spelt_for(key: Any) -> str | None:
    """The underscore spelling a hyphenated key stands for (`last-updated`: `last_updated`)."""
    return key.replace("-", "_") if isinstance(key, str) and "-" in key else None


class PageChange(NamedTuple):
    """What a pull-request-level check sees: one page's change."""

    path: str
    status: str  # added | modified | renamed | removed
    previous_path: str | None
    tier_base: str | None
    tier_head: str | None
    # Where head sends the page's readers: deleted and redirected by mkdocs.yml's
    # redirect_maps, or kept as a redirect (its `redirect_to`, or redirect_maps)
    merged_into: str | None = None
    merged_by: str = MKDOCS_FILES[0]  # what redirects it: the site file, or `redirect_to`

    @property
    def tier_changed(self) -> bool:
        """A page kept (edited or moved) whose valid tier is now another, none, or its first;
        a page made a redirect is a merge, not a change of tier."""
        kept = self.status in ("modified", "renamed") and self.merged_into is None
        return kept and self.tier_base != self.tier_head


#: Raises ValueError naming what a parameter's value must be.
Validator = Callable[[str, Any], None]


class Param(NamedTuple):
    """A check kind's parameter: whether a rule must give it, and what a value must be."""

    required: bool = True
    validate: Validator | None = None  # None: any value


#: A parameter as a kind declares it: required (True) or optional (False), any value; a
#: validator, which makes it required; or a ``Param`` (say, optional and validated).
ParamSpec = bool | Validator | Param


def _param(spec: ParamSpec) -> Param:
    if isinstance(spec, Param):
        return spec
    if isinstance(spec, bool):
        return Param(required=spec)
    return Param(validate=spec)


#: The JSON Schema fragment (over the whole front matter) that fails where a kind's check
#: does, from a rule's parameters; see `shapes`.
SchemaOf = Callable[[Mapping[str, Any]], Schema]


class CheckKind(NamedTuple):
    function: Callable[..., Iterator[Hit]]
    params: Mapping[str, Param]  # name -> spec
    placeholders: frozenset[str]
    scope: str  # "page" or "change"
    schema: SchemaOf | None = None  # None: no JSON Schema says what the check tests

    @property
    def required(self) -> set[str]:
        """The parameters every rule of this kind must give."""
        return {name for name, param in self.params.items() if param.required}

    def validate(self, params: Mapping[str, Any]) -> None:
        """Raise ValueError for the first parameter whose value its validator refuses."""
        for name, param in self.params.items():
            if param.validate is not None and name in params:
                param.validate(name, params[name])


#: Every check kind a rule can name, by name.
CHECK_KINDS: dict[str, CheckKind] = {}


def kind(
    name: str,
    *,
    params: Mapping[str, ParamSpec] | None = None,
    placeholders: tuple[str, ...] = (),
    scope: str = "page",
    schema: SchemaOf | None = None,
) -> Callable[[Callable[..., Iterator[Hit]]], Callable[..., Iterator[Hit]]]:
    """Register a check kind under ``name``, with the JSON Schema of what it tests if any."""

    def register(function: Callable[..., Iterator[Hit]]) -> Callable[..., Iterator[Hit]]:
        declared = {param: _param(spec) for param, spec in (params or {}).items()}
        found = CheckKind(function, declared, frozenset(placeholders), scope, schema)
        CHECK_KINDS[name] = found
        return function

    return register


def _strings(what: str) -> Validator:
    """A validator: a non-empty list of strings (``what`` they are, for the message)."""

    def validate(name: str, value: Any) -> None:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ValueError(f"`{name}` must be a non-empty list of {what}")

    return validate


def _positive(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"`{name}` must be a whole number of at least 1")


def _regex(name: str, value: Any) -> None:
    try:
        re.compile(value)
    except (re.error, TypeError) as error:
        raise ValueError(f"`{name}` is not a regular expression: {error}") from None


STRINGS, KEYS = _strings("strings"), _strings("key names")


def is_empty(value: Any) -> bool:
    """Null, a blank string, an empty list or an empty mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


def is_blank_list(value: Any) -> bool:
    """A list with no entry filled in: none, or only blank ones (a skeleton's ``- ``)."""
    return isinstance(value, list) and all(is_empty(entry) for entry in value)


def describe_shape(value: Any) -> str:
    """A short description of a value's shape, for messages."""
    if is_empty(value):
        return "empty"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list of blank entries" if is_blank_list(value) else "a list"
    return f"a {type(value).__name__}"


def _field_line(context: Context, name: str) -> int | None:
    return context.document.line_of(name)


def _skeleton(context: Context, name: str, yaml_text: str) -> str:
    """The YAML to add for an absent field (none when the page has it)."""
    return yaml_text if name not in context.meta else ""


# --- Page checks -------------------------------------------------------------------------


@kind("front-matter", placeholders=("problem",), schema=lambda params: MAPPING)
def front_matter(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    problem = context.document.problem
    if problem is not None:
        yield Hit(problem.line, {"problem": problem.message}, todo=problem.todo)


@kind("required", params={"field": True}, schema=lambda params: present(params["field"]))
def required(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    name = params["field"]
    if is_empty(context.meta.get(name)):
        hit = Hit(_field_line(context, name), skeleton=_skeleton(context, name, f"{name}: "))
        guide = untiered_guide(context.document.path, context.meta) if name == TIER_FIELD else None
        yield hit._replace(note=guide[0], todo=guide[1]) if guide else hit


@kind(
    "one-of",
    params={"field": True, "values": STRINGS},
    placeholders=("value", "allowed"),
    schema=lambda params: one_of_values(params["field"], params["values"]),
)
def one_of(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    value = context.meta.get(params["field"])
    if not is_empty(value) and value not in params["values"]:
        allowed = ", ".join(params["values"])
        yield Hit(_field_line(context, params["field"]), {"value": value, "allowed": allowed})


@kind(
    "non-empty-list",
    params={"field": True},
    placeholders=("shape",),
    schema=lambda params: field_is(params["field"], NON_EMPTY_LIST, required=True),
)
def non_empty_list(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    name = params["field"]
    value = context.meta.get(name)
    if not isinstance(value, list) or is_blank_list(value):
        shape = describe_shape(value) if name in context.meta else "missing"
        skeleton = _skeleton(context, name, f"{name}:\n  - ")
        yield Hit(_field_line(context, name), {"shape": shape}, skeleton=skeleton)


@kind(
    "min-items",
    params={"field": True, "min": _positive},
    placeholders=("count", "min"),
    schema=lambda params: at_least(params["field"], params["min"]),
)
def min_items(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    value = context.meta.get(params["field"])
    # A list of blank entries is no list (`non-empty-list` says so), however long.
    if isinstance(value, list) and not is_blank_list(value) and len(value) < params["min"]:
        counts = {"count": len(value), "min": params["min"]}
        yield Hit(_field_line(context, params["field"]), counts)


@kind(
    "items-have-fields",
    params={"field": True, "fields": KEYS},
    placeholders=("entries", "missing"),
    schema=lambda params: items_with(params["field"], params["fields"]),
)
def items_have_fields(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    """Every entry of a list with an entry filled in is a mapping whose named fields are all
    non-empty (a list of blank entries is no list: `non-empty-list` says so)."""
    entries = context.meta.get(params["field"])
    if not isinstance(entries, list) or is_blank_list(entries):
        return
    bad: list[int] = []
    missing: list[str] = []
    for index, entry in enumerate(entries):
        lacking = [
            name
            for name in params["fields"]
            if not isinstance(entry, dict) or is_empty(entry.get(name))
        ]
        if lacking:
            bad.append(index)
            missing.extend(name for name in lacking if name not in missing)
    if bad:
        lines = context.document.item_lines.get(params["field"], ())
        line = lines[bad[0]] if bad[0] < len(lines) else _field_line(context, params["field"])
        yield Hit(
            line,
            {
                "entries": ", ".join(f"#{index + 1}" for index in bad),
                "missing": ", ".join(missing),
            },
        )


@kind(
    "mapping-lists",
    params={"field": True, "keys": KEYS},
    placeholders=("missing",),
    schema=lambda params: mapping_of_lists(params["field"], params["keys"]),
)
def mapping_lists(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    """The field is a mapping whose named keys are all lists with an entry filled in."""
    value = context.meta.get(params["field"])
    mapping = value if isinstance(value, dict) else {}
    missing = [
        key
        for key in params["keys"]
        if not isinstance(mapping.get(key), list) or is_blank_list(mapping.get(key))
    ]
    if missing:
        name = params["field"]
        lists = "".join(f"  {key}:\n    - \n" for key in params["keys"])
        skeleton = _skeleton(context, name, f"{name}:\n{lists}".rstrip("\n"))
        yield Hit(_field_line(context, name), {"missing": ", ".join(missing)}, skeleton=skeleton)


@kind(
    "pattern",
    params={"field": True, "regex": _regex},
    placeholders=("value",),
    schema=lambda params: text_matching(params["field"], params["regex"]),
)
def pattern(context: Context, params: Mapping[str, Any]) -> Iterator[Hit]:
    """When present, the field's value (as written) matches ``regex`` in full."""
    value = context.meta.get(params["field"])
    if not is_empty(value) and not re.fullmatch(params["regex"], str(value)):
        yield Hit(_field_line(context, params["field"]), {"value": value})


# --- Change checks (pull requests) -----------------------------------------------------------


@kind("pattern-deleted", scope="change", placeholders=("path",))
def pattern_deleted(change: PageChange, params: Mapping[str, Any]) -> Iterator[Hit]:
    """A deleted page that no redirect sends to a page kept at head."""
    if change.status == "removed" and change.merged_into is None:
        yield Hit(None, {"path": change.path})


@kind("pattern-merged", scope="change", placeholders=("path", "target", "change", "by"))
def pattern_merged(change: PageChange, params: Mapping[str, Any]) -> Iterator[Hit]:
    """A page deleted and redirected to a page that exists, or kept as a redirect: a merge."""
    if change.merged_into is not None:
        how = "is deleted" if change.status == "removed" else "is now a redirect"
        values = {"path": change.path, "target": change.merged_into, "change": how}
        yield Hit(None, {**values, "by": change.merged_by})


@kind("tier-changed", scope="change", placeholders=("base", "head"))
def tier_changed(change: PageChange, params: Mapping[str, Any]) -> Iterator[Hit]:
    if change.tier_changed:
        yield Hit(None, {"base": change.tier_base or "none", "head": change.tier_head or "none"})
