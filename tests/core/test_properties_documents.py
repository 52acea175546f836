"""Properties of reading pages: any bytes, any YAML value in any field, never an exception."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from support.pages import default_policy
from support.strategies import FIELDS, dump, page_bytes, yaml_values

from bot.core.documents import parse_document
from bot.core.rules.evaluate import check_page
from bot.core.rules.policy import SEVERITIES
from bot.core.tiers import TIERS

PATH = "docs/pattern-library/page.md"


@given(page_bytes)
def test_any_bytes_parse_to_a_document_or_a_problem_on_a_real_line(data: bytes) -> None:
    document = parse_document(PATH, data)
    lines = data.count(b"\n") + 1
    assert (document.meta is None) == (document.problem is not None)
    if document.problem is not None:
        assert document.problem.message and 1 <= document.problem.line <= lines
    else:
        assert isinstance(document.meta, dict)
        assert all(1 <= line <= lines for line in document.key_lines.values())
        assert 1 <= document.body_line <= lines + 1


@given(page_bytes)
def test_any_page_is_judged_with_findings_of_the_policy(data: bytes) -> None:
    policy = default_policy()
    document, report = check_page(PATH, data, policy)
    assert report.tier in (*TIERS, None)
    for finding in report.findings:
        assert policy.by_id(finding.rule) is not None
        assert finding.severity in SEVERITIES and finding.message and finding.checklist
        assert finding.line is None or finding.line >= 1
    if document.problem is not None:  # a page not read is never clean
        assert [f.rule for f in report.findings] == ["front-matter"]


@given(st.dictionaries(st.sampled_from(FIELDS), yaml_values, min_size=1))
def test_any_yaml_value_in_any_field_gives_findings_not_exceptions(meta: dict) -> None:
    data = f"---\n{dump(meta)}---\n# Body\n".encode()
    document, report = check_page(PATH, data, default_policy())
    assert document.problem is None, document.problem  # safe_dump's output always reads back
    assert all(f.message and f.severity in SEVERITIES for f in report.findings)
