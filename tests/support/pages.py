"""Build DStudio-shaped pattern pages inline, and run the default policy on them.

A page is front matter plus a body. Front matter is given as ``{key: raw YAML}``: the value
is written after ``key:`` exactly as given, so ``""`` makes a null (``modern_examples:`` with
nothing after it, as DStudio writes it), ``"\\n  - a"`` a block list, and ``DROP`` removes a
key from the base page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from bot.adapters.files import load_policy
from bot.core.documents import parse_text
from bot.core.rules.evaluate import Finding, evaluate
from bot.core.rules.policy import Policy

DROP = None  # a change that removes the key

GOLD_EXAMPLES = """
  - company: Netflix
    implementation: Hystrix wrapped every call between microservices
    scale: 100B+ requests per day
  - {'company': 'Amazon', 'implementation': 'Breakers in the mesh', 'scale': '1M+ RPS'}"""

GOLD = {
    "title": "Circuit Breaker Pattern",
    "description": "Prevent cascade failures by failing fast",
    "type": "pattern",
    "category": "resilience",
    "excellence_tier": "gold",
    "pattern_status": "recommended",
    "introduced": "2007-03",
    "last_updated": "2025-01-23",
    "related_laws": "\n  primary:\n    - number: 1\n      aspect: correlation_prevention",
    "modern_examples": GOLD_EXAMPLES,
    "production_checklist": "\n  - Configure thresholds per dependency\n  - Alert on trips",
}

SILVER = {
    "title": "Chunking",
    "category": "scaling",
    "description": "Break large datasets into smaller pieces for\n  improved memory usage",
    "excellence_tier": "silver",
    "introduced": "1990-01",
    "last_updated": "2025-08-03",
    "reading-time": "30 min",
    "pattern_status": "recommended",
    "trade_offs": "\n  cons:\n  - Increased complexity\n  pros:\n  - Reduced memory footprint",
    "best_for": "Simple, linear event-driven workflows where service autonomy is critical\n"
    "  and debugging complexity is acceptable",
}

BRONZE = {
    "title": "Data Lake Pattern",
    "excellence_tier": "bronze",
    "pattern_status": "use-with-caution",
    "introduced": "2010-01",
    "deprecation_reason": "Consider modern alternatives for new implementations",
    "last_updated": "2025-01-26",
    "modern_alternatives": "\n- Data Lakehouse (Delta Lake, Iceberg)\n- Data Mesh",
    "modern_examples": "",
}

BANNERS = {
    "gold": '!!! success "🏆 Gold Standard Pattern"',
    "silver": '!!! info "🥈 Silver Tier Pattern"',
    "bronze": '!!! warning "🥉 Bronze Tier Pattern"',
}


#: A small custom rule, for rules files written by tests.
NEEDS_TITLE_RULE = """\
  - id: needs-title
    severity: warning
    check: required
    field: title
    message: "No `{field}`."
    checklist: "Add `{field}`."
"""


def rules_text(rule: str = NEEDS_TITLE_RULE) -> str:
    """A whole rules file holding ``rule``."""
    return "version: 1\nrules:\n" + rule


def body(banner: str | None = None) -> str:
    """A DStudio-like body: blank line, title, banner, a `---` rule, more text."""
    lines = ["", "# The Pattern", ""]
    if banner:
        lines += [banner, "    **Battle-tested at scale**", ""]
    lines += ["---", "", "## The Complete Blueprint", "", "Some prose.", ""]
    return "\n".join(lines)


def front(base: Mapping[str, str | None], changes: Mapping[str, str | None] | None = None) -> str:
    """Front matter lines (without the `---` delimiters) from a base page and changes."""
    lines = []
    for key, value in {**base, **(changes or {})}.items():
        if value is DROP:
            continue
        separator = "" if not value or value.startswith("\n") else " "
        lines.append(f"{key}:{separator}{value}")
    return "\n".join(lines)


def page(
    base: Mapping[str, str | None] = GOLD,
    changes: Mapping[str, str | None] | None = None,
    text: str | None = None,
) -> str:
    """A whole page; the body has the banner of the base page's tier unless ``text`` is given."""
    if text is None:
        text = body(BANNERS.get(str(base.get("excellence_tier"))))
    return f"---\n{front(base, changes)}\n---\n{text}"


def stub(target: str, title: str = "Circuit Breaker Pattern") -> str:
    """A redirect stub as DStudio writes them (2a233545's circuit-breaker.md, 12 lines): a
    title and `redirect_to` in the front matter, a short body pointing to the new page."""
    return (
        f"---\ntitle: {title}\ndescription: This pattern has moved\nredirect_to: {target}\n---\n\n"
        f'# {title}\n\n!!! info "This page has moved"\n'
        f"    The content now lives at [{title}]({target}).\n\nRedirecting…\n"
    )


def line_of(text: str, start: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``text`` starting with ``start``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start)]
    return hits[occurrence - 1]


def key_line(text: str, key: str) -> int:
    """The line of a top-level front-matter key."""
    return next(
        n for n, line in enumerate(text.splitlines(), 1) if re.match(rf"{re.escape(key)}:", line)
    )


@cache
def default_policy() -> Policy:
    return load_policy()


def findings(text: str, policy: Policy | None = None) -> list[Finding]:
    """The default policy's findings on a page's text, in rule order."""
    return evaluate(parse_text("docs/pattern-library/page.md", text), policy or default_policy())


def rule_ids(text: str, policy: Policy | None = None) -> list[str]:
    return [finding.rule for finding in findings(text, policy)]
