"""Hypothesis strategies for the core's inputs: pages, YAML values, rules files, issue bodies.

Contributor text is drawn with the characters that matter most for escaping (``@`` mentions,
HTML tags, Markdown specials, backticks, pipes, newlines, emoji outside the BMP) mixed into
arbitrary Unicode, so the properties meet them often at modest example counts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from hypothesis import strategies as st

from bot.core import markers
from bot.core.rules.kinds import CHECK_KINDS
from bot.core.rules.policy import SEVERITIES
from bot.core.tiers import TIERS

LIB = "docs/pattern-library"
#: Pieces a contributor could put anywhere to ping people or inject HTML.
HOSTILE = (
    "@octocat",
    "@org/team",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- x -->",
    "</details>",
    "`",
    "|",
    "*",
    "_",
    "[x](javascript:alert(1))",
    "\n",
    "\r\n",
    "😀",
    "{field}",
    "---",
    '!!! success "🏆 Gold Standard Pattern"',
)
#: Front-matter keys the default rules read, their misspellings, and any key at all.
FIELDS = (
    "title",
    "excellence_tier",
    "pattern_status",
    "modern_examples",
    "production_checklist",
    "trade_offs",
    "best_for",
    "modern_alternatives",
    "deprecation_reason",
    "last_updated",
    "last-updated",
    "last_reviewed",
    "modern-examples",
    "health",
)

contributor_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), max_size=8
).map("".join)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(TIERS),
    contributor_text,
)
#: Any value YAML can hold: scalars, lists and mappings of them, nested.
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(("company", "scale")), st.text()), inner, max_size=4
        ),
    ),
    max_leaves=12,
)


def dump(value: Any) -> str:
    """``value`` as YAML (block style, Unicode kept)."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


front_matters = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=10)), yaml_values, max_size=8
)
bodies = st.lists(
    st.one_of(
        contributor_text,
        st.sampled_from(
            [f'!!! {k} "{t}"' for k in ("info", "warning") for t in ("🥈 Silver", "Gold")]
        ),
    ),
    max_size=5,
).map("\n".join)


@st.composite
def page_texts(draw: st.DrawFn) -> str:
    """A page: YAML front matter of any values, or damaged text, then a body."""
    meta = draw(front_matters)
    front = dump(meta) if meta else ""
    mangled = draw(st.sampled_from(["", "unclosed", "tab", "text"]))
    if mangled == "unclosed":
        return f"---\n{front}{draw(bodies)}"
    if mangled == "tab":
        front = front.replace("  ", "\t", 1)
    if mangled == "text":
        front = draw(contributor_text)
    return f"---\n{front}---\n{draw(bodies)}"


#: Any bytes a file can hold, and pages (well formed or not) as UTF-8, with or without a BOM.
page_bytes = st.one_of(
    st.binary(max_size=300),
    page_texts().map(lambda text: text.encode("utf-8")),
    page_texts().map(lambda text: ("\ufeff" + text).encode("utf-8")),
    page_texts().map(lambda text: text.replace("\n", "\r\n").encode("utf-8")),
)
page_paths = contributor_text.map(
    lambda name: f"{LIB}/{name.replace(chr(0), '').replace('/', '')[:40] or 'p'}.md"
)


# --- Rules files from the schema's pieces ----------------------------------------------------


@st.composite
def rules(draw: st.DrawFn) -> dict[str, Any]:
    """One rule: mostly the schema's pieces, sometimes any value in any key."""
    name = draw(st.sampled_from(sorted(CHECK_KINDS)))
    kind = CHECK_KINDS[name]
    placeholders = sorted(kind.placeholders | {"field", "nope"})
    template = st.lists(
        st.one_of(st.text(max_size=8), st.sampled_from(placeholders).map(lambda p: f"{{{p}}}")),
        max_size=4,
    ).map("".join)
    rule: dict[str, Any] = {
        "id": draw(st.one_of(st.sampled_from(("r1", "r2", "r3")), yaml_values)),
        "severity": draw(st.one_of(st.sampled_from(SEVERITIES), yaml_values)),
        "check": draw(st.one_of(st.just(name), yaml_values)),
        "message": draw(st.one_of(template, yaml_values)),
        "checklist": draw(st.one_of(template, yaml_values)),
    }
    for param in kind.params:
        if draw(st.integers(0, 9)):  # usually given
            rule[param] = draw(param_values(param))
    if draw(st.booleans()):
        when = st.sampled_from(("any", *TIERS, ["gold", "silver"], ["copper"]))
        rule["when"] = {"tier": draw(st.one_of(when, yaml_values))}
    if draw(st.integers(0, 4)) == 0:  # a key no rule takes, or one dropped
        rule[draw(st.sampled_from(("description", "extra", "min", "field")))] = draw(yaml_values)
    if draw(st.integers(0, 4)) == 0:
        rule.pop(draw(st.sampled_from(sorted(rule))))
    return rule


def param_values(param: str) -> st.SearchStrategy[Any]:
    """Values a check parameter takes, right and wrong."""
    right = {
        "field": st.sampled_from(FIELDS),
        "values": st.just(list(TIERS)),
        "fields": st.just(["company", "scale"]),
        "keys": st.just(["pros", "cons"]),
        "min": st.integers(-1, 3),
        "regex": st.sampled_from([r"\d{4}-\d{2}(-\d{2})?", "(", "[a-z]+"]),
    }.get(param, yaml_values)
    return st.one_of(right, yaml_values)


rules_files = st.one_of(
    st.fixed_dictionaries(
        {"version": st.one_of(st.just(1), yaml_values), "rules": st.lists(rules(), max_size=4)}
    ),
    yaml_values,
).map(dump)


# --- Issue bodies for the marker and tick parsers --------------------------------------------

keys = st.text(alphabet="0123456789abcdef", min_size=12, max_size=12)
quarters = st.builds(lambda y, q: f"{y}-Q{q}", st.integers(2000, 2099), st.integers(1, 4))


@st.composite
def item_lines(draw: st.DrawFn) -> str:
    """An attention item, ticked or not, as tierbot writes it (or as a person mangled it)."""
    mark = draw(st.sampled_from([" ", "x", "X"]))
    text = draw(contributor_text).replace("\n", " ")
    return f"- [{mark}] {text} " + markers.ITEM.format(key=draw(keys))


issue_bodies = st.lists(
    st.one_of(
        item_lines(),
        contributor_text,
        st.just(markers.RESOLVED_ANCHOR),
        st.builds(lambda q, s: markers.QUARTERLY_ISSUE.format(quarter=q, sha=s), quarters, keys),
        st.builds(
            lambda q, i: markers.QUARTERLY_PART.format(quarter=q, index=i),
            quarters,
            st.integers(0, 99),
        ),
        st.builds(
            lambda t, k: f"- ✅ {t} " + markers.RESOLVED.format(key=k), contributor_text, keys
        ),
    ),
    max_size=12,
).map(lambda lines: "\n".join(lines))


# --- Config files: any YAML value in any setting -----------------------------------------------

SETTINGS = ("include", "exclude", "rules", "severity", "labels", "fail-on", "quarterly")
QUARTERLY = ("labels", "assignees", "max-age-days", "min-modern-examples", "close-previous")
config_files = st.one_of(
    st.dictionaries(st.sampled_from(SETTINGS), yaml_values),
    st.fixed_dictionaries(
        {},
        optional={
            "severity": st.dictionaries(st.sampled_from(("tier-missing", "nope")), yaml_values),
            "labels": st.dictionaries(
                st.sampled_from(("gold", "needs-metadata", "nope")),
                st.one_of(
                    yaml_values, st.dictionaries(st.sampled_from(("name", "color")), yaml_values)
                ),
            ),
            "quarterly": st.dictionaries(
                st.sampled_from((*QUARTERLY, "health", "nope")),
                st.one_of(
                    yaml_values,
                    st.dictionaries(st.sampled_from(("repos", "max-requests")), yaml_values),
                ),
            ),
        },
    ),
    yaml_values,
).map(dump)
