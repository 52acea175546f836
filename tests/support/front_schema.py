"""Reading a `tierbot schema` verdict rule by rule: which rules' subschemas a page fails."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError


def rule_titles(schema: Mapping[str, Any]) -> set[str]:
    """The rule ids the schema expresses: its parts' titles, a tier's `then` opened."""
    parts = [part.get("then", {"allOf": [part]})["allOf"] for part in schema["allOf"]]
    return {rule["title"] for rules in parts for rule in rules} - {"excellence_tier"}


def _titles_on(schema: Mapping[str, Any], error: ValidationError) -> Iterator[str]:
    """The titles of the subschemas an error's path passes through, outermost first."""
    node: Any = schema
    for step in error.absolute_schema_path:
        node = node[step]
        if isinstance(node, dict) and "title" in node:
            yield node["title"]


def failing_rules(schema: Mapping[str, Any], meta: Mapping[str, Any]) -> set[str]:
    """The rule ids whose subschemas ``meta`` fails, by the validator's own errors."""
    validator = Draft202012Validator(schema)
    known = rule_titles(schema) | {"excellence_tier"}
    found = set()
    for error in validator.iter_errors(meta):
        named = [title for title in _titles_on(schema, error) if title in known]
        assert named, f"an error no rule explains: {error.message}"
        found.add(named[-1])
    return found - {"excellence_tier"}
