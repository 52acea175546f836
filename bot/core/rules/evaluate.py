"""Evaluate a policy on one page: its findings, formatted with the rules' texts, in order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from bot.core.documents import Document, Problem, parse_document
from bot.core.fixes import Fix
from bot.core.rules.kinds import CHECK_KINDS, Context, Hit
from bot.core.rules.policy import SEVERITIES, Policy, Rule
from bot.core.rules.spelling import one_per_cause
from bot.core.tiers import tier_of


class Finding(NamedTuple):
    rule: str
    severity: str
    message: str
    line: int | None
    field: str | None
    checklist: str
    fix: Fix | None = None  # an exact edit of the page that repairs it (see bot.core.fixes)
    skeleton: str = ""  # for a missing field: the YAML to add, for a person to fill in
    spelling: str | None = None  # a spelling: the hyphenated key the page has for ``field``


class Unreadable(NamedTuple):
    """A page that is there but whose content its source did not give (a submodule, a blob
    that vanished, an object git cannot read): never judged clean."""

    reason: str | None = None  # why, when the source says
    source: str = "GitHub"

    @property
    def problem(self) -> str:
        text = f"{self.source} returned no content for this revision"
        return f"{text} ({self.reason})" if self.reason else text


#: The rule an unreadable page is reported under, whatever the rules file says of it.
UNREADABLE_RULE = "front-matter"
UNREADABLE_CHECKLIST = (
    "Make the page a regular text file (not a symlink or a submodule); if it is one, run the "
    "review again (in a local checkout, after a `git fetch` restores the object)."
)


class PageReport(NamedTuple):
    """One page's verdict: its valid tier and its findings, errors first."""

    path: str
    tier: str | None
    findings: tuple[Finding, ...]

    def tally(self, severity: str) -> int:
        return sum(finding.severity == severity for finding in self.findings)


def check_page(path: str, data: bytes | Unreadable, policy: Policy) -> tuple[Document, PageReport]:
    """Parse and evaluate one page's bytes; a page not read gets one error, and no tier."""
    if isinstance(data, Unreadable):
        document = Document(path, None, problem=Problem(data.problem))
        return document, PageReport(path, None, (unreadable_finding(data, policy),))
    document = parse_document(path, data)
    findings = tuple(sort_findings(evaluate(document, policy)))
    return document, PageReport(path, tier_of(document.meta), findings)


def evaluate(document: Document, policy: Policy) -> list[Finding]:
    """Every page-level finding of ``policy`` on ``document``, in rule order."""
    context = Context(document, policy.fields)
    found: list[tuple[Rule, Hit]] = []
    for rule in policy.rules:
        if rule.scope != "page":
            continue
        if document.problem is not None and rule.check != "front-matter":
            continue
        if rule.tiers is not None and context.tier not in rule.tiers:
            continue
        found.extend((rule, hit) for hit in CHECK_KINDS[rule.check].function(context, rule.params))
    return [make_finding(rule, hit, context) for rule, hit in one_per_cause(found, context, policy)]


def unreadable_finding(unreadable: Unreadable, policy: Policy) -> Finding:
    """The error for a page not read: an error even where the rules soften or drop the rule,
    worded with the rules' `front-matter` message when they have one."""
    rule = policy.by_id(UNREADABLE_RULE)
    template = "Front matter unreadable: {problem}."
    if rule is not None and rule.check == "front-matter":  # its placeholders: field, problem
        template = rule.message
    message = template.format_map({"field": "", "problem": unreadable.problem})
    return Finding(UNREADABLE_RULE, "error", message, 1, None, UNREADABLE_CHECKLIST)


def make_finding(rule: Rule, hit: Hit, context: Context | None = None) -> Finding:
    """Format a check's hit with the rule's texts (or the hit's own note and instruction)."""
    field_name = hit.field or rule.field
    values = {"field": field_name, **{key: _inline(value) for key, value in hit.values.items()}}
    message = rule.message.format_map(values)
    if hit.note:
        message += " " + hit.note.format_map(values)
    line = hit.line
    if line is None and context is not None:
        line = context.fallback_line(field_name)
    checklist = (hit.todo or rule.checklist).format_map(values)
    return Finding(
        rule.id,
        rule.severity,
        message,
        line,
        field_name,
        checklist,
        hit.fix,
        hit.skeleton,
        hit.spelling,
    )


def _inline(value: Any, limit: int = 300) -> str:
    """A page's value made safe to quote inside a message's `code span` on one line."""
    text = " ".join(str(value).split()).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def finding_order(finding: Finding) -> tuple[int, int, str]:
    """Errors first, then by line and rule."""
    return SEVERITIES.index(finding.severity), finding.line or 0, finding.rule


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=finding_order)
