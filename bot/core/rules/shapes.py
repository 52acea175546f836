"""JSON Schema fragments that say what the check kinds test, each over the whole front matter.

A kind names its fragment where it is registered (``@kind(..., schema=...)``); the fragments
here mirror `kinds.is_empty` and the kinds' tests, so a schema and `tierbot check` agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: JSON Schema for a fragment: plain data, dumped as JSON or YAML.
Schema = dict[str, Any]

#: The definitions the fragments refer to, in a whole schema's ``$defs``: said once there.
DEFINITIONS: Schema = {
    # What `is_empty` calls empty: null, a blank string, an empty list or mapping.
    "empty": {
        "anyOf": [
            {"type": "null"},
            {"type": "string", "pattern": r"^\s*$"},
            {"type": "array", "maxItems": 0},
            {"type": "object", "maxProperties": 0},
        ]
    }
}
EMPTY: Schema = {"$ref": "#/$defs/empty"}
NOT_EMPTY: Schema = {"not": EMPTY}
#: What `is_blank_list` is not: a list with an entry filled in.
NON_EMPTY_LIST: Schema = {"type": "array", "contains": NOT_EMPTY}
#: `front-matter`: the front matter is a mapping.
MAPPING: Schema = {"type": "object"}


def field_is(name: str, schema: Schema, *, required: bool = False) -> Schema:
    """The front matter whose ``name`` is as ``schema`` says (when present, unless required)."""
    fragment: Schema = {"properties": {name: schema}}
    return {"required": [name], **fragment} if required else fragment


def present(name: str) -> Schema:
    """`required`: the field is there and not empty."""
    return field_is(name, NOT_EMPTY, required=True)


def empty_or(name: str, schema: Schema) -> Schema:
    """A field that may be absent or empty, and is otherwise as ``schema`` says."""
    return field_is(name, {"anyOf": [EMPTY, schema]})


def one_of_values(name: str, values: Sequence[str]) -> Schema:
    """`one-of`: empty, or one of ``values``."""
    return empty_or(name, {"enum": list(values)})


def at_least(name: str, minimum: int) -> Schema:
    """`min-items`: a list with an entry filled in has at least ``minimum`` entries."""
    return field_is(name, {"not": {**NON_EMPTY_LIST, "maxItems": minimum - 1}})


def items_with(name: str, keys: Sequence[str]) -> Schema:
    """`items-have-fields`: a list with an entry filled in has only mappings whose ``keys``
    are all filled in."""
    entry = {"type": "object", **field_all(keys, NOT_EMPTY)}
    return field_is(name, {"if": NON_EMPTY_LIST, "then": {"items": entry}})


def mapping_of_lists(name: str, keys: Sequence[str]) -> Schema:
    """`mapping-lists`: a mapping whose ``keys`` are all lists with an entry filled in."""
    return field_is(name, {"type": "object", **field_all(keys, NON_EMPTY_LIST)}, required=True)


def text_matching(name: str, regex: str) -> Schema:
    """`pattern`: empty, or text matching ``regex`` in full."""
    return empty_or(name, {"type": "string", "pattern": f"^(?:{regex})$"})


def year_month_text(name: str) -> Schema:
    """`year-month`: empty, a year (YAML reads `2012` as a number) or YYYY-MM."""
    year = {"type": "integer", "minimum": 1000, "maximum": 9999}
    text = {"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2]))?$"}
    return empty_or(name, {"anyOf": [year, text]})


def field_all(keys: Sequence[str], schema: Schema) -> Schema:
    """Every key of ``keys`` required and as ``schema`` says."""
    return {"required": list(keys), "properties": {key: schema for key in keys}}
