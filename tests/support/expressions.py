"""GitHub Actions expressions (`github.event_name == 'issues' && contains(...)`), for tests.

The part of the language tierbot's workflows and action use: literals, context properties
(``a.b``, and the ``a.*.b`` filter), ``!``, ``==``, ``!=``, ``&&``, ``||``, parentheses
and ``contains()``, with GitHub's rules: string comparison ignores case, ``&&`` and ``||``
return an operand, and null, false, 0 and '' are falsy. Anything else is an error, never a
guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<op>==|!=|&&|\|\||[!().,*])|(?P<name>[A-Za-z_][\w-]*))"
)
LITERALS = {"true": True, "false": False, "null": None}


class Filtered(list[Any]):
    """What an ``.*`` filter gives: the properties named after it are each item's."""


def evaluate_expression(text: str, contexts: Mapping[str, Any]) -> Any:
    """The value of the expression ``text`` over ``contexts`` (`github`, `inputs`, ...)."""
    parser = _Parser(_tokens(text), contexts)
    value = parser.either()
    if parser.tokens:
        raise NotImplementedError(f"expression not simulated: {text}")
    return value


def to_string(value: Any) -> str:
    """A value as ``${{ }}`` puts it in a string: null is '', booleans are lower case."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def is_truthy(value: Any) -> bool:
    return value not in (None, False, 0, "")


def _tokens(text: str) -> list[tuple[str, str]]:
    found, at = [], 0
    text = text.rstrip()
    while at < len(text):
        match = TOKEN.match(text, at)
        if not match or match.end() == at:
            raise NotImplementedError(f"expression not simulated: {text}")
        kind = match.lastgroup or ""
        found.append((kind, match[kind]))
        at = match.end()
    return found


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return bool(left == right)


def _contains(search: Any, item: Any) -> bool:
    if isinstance(search, list):
        return any(_equal(entry, item) for entry in search)
    return to_string(item).casefold() in to_string(search).casefold()


def _property(value: Any, name: str) -> Any:
    """``value.name``: case-insensitive, as GitHub's; null when there is none."""
    if isinstance(value, Filtered):
        return Filtered(p for p in (_property(v, name) for v in value) if p is not None)
    if isinstance(value, Mapping):
        return next((v for k, v in value.items() if str(k).casefold() == name.casefold()), None)
    return None


class _Parser:
    """Recursive descent, lowest precedence first: ``||``, ``&&``, ``==``/``!=``, ``!``."""

    def __init__(self, tokens: list[tuple[str, str]], contexts: Mapping[str, Any]) -> None:
        self.tokens, self.contexts = tokens, contexts

    def take(self, *ops: str) -> str | None:
        if self.tokens and self.tokens[0][0] == "op" and self.tokens[0][1] in ops:
            return self.tokens.pop(0)[1]
        return None

    def expect(self, op: str) -> None:
        if self.take(op) is None:
            raise NotImplementedError(f"expected {op!r} at {self.tokens[:3]}")

    def either(self) -> Any:
        value = self.both()
        while self.take("||"):
            other = self.both()
            value = value if is_truthy(value) else other
        return value

    def both(self) -> Any:
        value = self.comparison()
        while self.take("&&"):
            other = self.comparison()
            value = other if is_truthy(value) else value
        return value

    def comparison(self) -> Any:
        value = self.negation()
        op = self.take("==", "!=")
        if op is None:
            return value
        return _equal(value, self.negation()) == (op == "==")

    def negation(self) -> Any:
        if self.take("!"):
            return not is_truthy(self.negation())
        return self.postfix(self.primary())

    def primary(self) -> Any:
        if self.take("("):
            value = self.either()
            self.expect(")")
            return value
        if not self.tokens:
            raise NotImplementedError("an expression ends too soon")
        kind, text = self.tokens.pop(0)
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind == "name" and text in LITERALS:
            return LITERALS[text]
        if kind == "name" and self.take("("):
            return self.call(text)
        if kind == "name":
            return self.contexts[text]  # an unknown context is an error, as for the runner
        raise NotImplementedError(f"expression not simulated at {text!r}")

    def call(self, function: str) -> Any:
        arguments = [self.either()]
        while self.take(","):
            arguments.append(self.either())
        self.expect(")")
        if function != "contains" or len(arguments) != 2:
            raise NotImplementedError(f"function not simulated: {function}")
        return _contains(*arguments)

    def postfix(self, value: Any) -> Any:
        while True:
            if not self.take("."):
                return value
            elif self.take("*"):
                value = Filtered(value.values() if isinstance(value, Mapping) else value or [])
            else:
                kind, name = self.tokens.pop(0)
                if kind != "name":
                    raise NotImplementedError(f"a property name, not {name!r}")
                value = _property(value, name)
