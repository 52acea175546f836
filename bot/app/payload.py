"""Reading a delivery's payload: a field missing or of the wrong type is the sender's fault."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class MalformedPayload(ValueError):
    """A signed delivery lacks a field of its event, or has one of the wrong type: 400."""


def field(data: Any, path: str, kind: type[T]) -> T:
    """``data["a"]["b"]`` for ``path`` "a.b", which must be a ``kind``."""
    found = optional(data, path, kind)
    if found is None:
        raise MalformedPayload(f"the payload has no `{path}`")
    return found


def optional(data: Any, path: str, kind: type[T]) -> T | None:
    """Like ``field``, but None when the field is absent or null."""
    value = data
    for key in path.split("."):
        if not isinstance(value, Mapping):
            raise MalformedPayload(f"`{path}`: the payload is not shaped like GitHub's")
        value = value.get(key)
        if value is None:
            return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise MalformedPayload(f"`{path}` is not {kind.__name__}")
    return value
