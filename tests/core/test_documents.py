"""Parsing pages: key and item lines, the body's line, and bad input that must not raise."""

from __future__ import annotations

import pytest
from support.pages import GOLD, SILVER, body, default_policy, key_line, line_of, page

from bot.core.documents import parse_document, parse_text
from bot.core.rules.evaluate import check_page


def test_key_lines_and_item_lines_point_at_the_file():
    text = page(SILVER, {"best_for": "\n- File uploads\n- Streaming", "tags": "[a, b]"})
    document = parse_text("p.md", text)
    assert document.problem is None
    for key in ("title", "excellence_tier", "trade_offs", "best_for", "last_updated", "tags"):
        assert document.line_of(key) == key_line(text, key)
    assert "pros" not in document.key_lines  # only top-level keys
    first = line_of(text, "- File uploads")
    assert document.item_lines["best_for"] == (first, first + 1)
    assert document.item_lines["tags"] == (key_line(text, "tags"),) * 2  # a flow list
    assert document.meta["best_for"] == ["File uploads", "Streaming"]


def test_item_lines_of_block_and_flow_mapping_entries():
    text = page(GOLD)
    document = parse_text("p.md", text)
    assert document.item_lines["modern_examples"] == (
        line_of(text, "  - company: Netflix"),
        line_of(text, "  - {'company': 'Amazon'"),
    )


def test_dates_and_nulls_load_as_yaml_says():
    document = parse_text("p.md", page(GOLD, {"modern_examples": "", "last_updated": "2025-01-23"}))
    assert document.meta["modern_examples"] is None
    assert str(document.meta["last_updated"]) == "2025-01-23"
    assert document.meta["introduced"] == "2007-03"


@pytest.mark.parametrize("blank_lines", [0, 1, 3])
def test_body_line_counts_blank_lines_after_the_closing_delimiter(blank_lines):
    text = page(GOLD, text="\n" * blank_lines + "\n---\n\n# Title\n")
    document = parse_text("p.md", text)
    offset = document.body.index("# Title")
    assert document.body_line + document.body.count("\n", 0, offset) == line_of(text, "# Title")
    assert "# Title" in document.body and "excellence_tier" not in document.body


def test_crlf_page_has_the_same_lines_and_values_as_lf():
    text = page(SILVER, text=body('!!! info "🥈 Silver Tier Pattern"'))
    lf = parse_text("p.md", text)
    crlf = parse_document("p.md", text.replace("\n", "\r\n").encode())
    assert crlf.problem is None
    assert crlf.meta == lf.meta
    assert crlf.key_lines == lf.key_lines
    assert crlf.body_line == lf.body_line


def test_byte_order_mark_is_ignored():
    text = page(GOLD)
    document = parse_document("p.md", b"\xef\xbb\xbf" + text.encode())
    assert document.problem is None
    assert document.meta["excellence_tier"] == "gold"
    assert document.key_lines == parse_text("p.md", text).key_lines


def billion_laughs() -> bytes:
    lines = ["---", "title: lol", 'a: &a ["lol"' + ', "lol"' * 9 + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join([*lines, "excellence_tier: gold", "---", "# Lol", ""]).encode()


BAD_PAGES = [
    pytest.param(
        b"---\ntitle: Saga: Distributed\nexcellence_tier: gold\n---\n", "line 2", id="yaml"
    ),
    pytest.param(b"---\ntitle: x\n\tcategory: y\n---\n", "line 3", id="tab"),
    pytest.param(b"---\n- title: x\n- excellence_tier: gold\n---\n", "list", id="list"),
    pytest.param(b"---\nJust a sentence.\n---\n", "single value", id="scalar"),
    pytest.param(b"---\n---\n# Title\n", "empty", id="empty-block"),
    pytest.param(billion_laughs(), "alias", id="billion-laughs"),
    pytest.param(b"---\nrelated: &r [*r]\n---\n", "alias", id="self-alias"),
    pytest.param(b"---\nrelated: &r {again: *r}\n---\n", "alias", id="self-alias-mapping"),
    pytest.param(b"---\ntitle: x\n\x00\x01\x02\n---\n", "binary", id="nul-bytes"),
    pytest.param("---\ntitle: Caf\xe9\n---\n".encode("latin-1"), "UTF-8", id="latin-1"),
    pytest.param(b"---\ntitle: x\n---\n" + b"x" * (20 * 1024 * 1024), "MB", id="20MB"),
    pytest.param(b"", "no front matter", id="empty-file"),
    pytest.param(b"# Title\n\n---\ntitle: x\n---\n", "no front matter", id="late-block"),
    pytest.param(b"---\ntitle: x\nexcellence_tier: gold\n# Title\n", "never closed", id="unclosed"),
]


@pytest.mark.parametrize("data, fragment", BAD_PAGES)
def test_bad_page_is_one_front_matter_finding(data, fragment):
    # How fast: benchmarks/check_corpus.py; here, what is said (no clock in a test).
    document, report = check_page("p.md", data, default_policy())
    assert document.meta is None and fragment in document.problem.message
    assert [finding.rule for finding in report.findings] == ["front-matter"]
    assert report.findings[0].line == document.problem.line
    assert report.tier is None


@pytest.mark.parametrize(
    "front, line, column",
    [
        ("title: Saga: Distributed Transactions", 2, 12),
        ("title: x\nbest_for: [a, b\nexcellence_tier: gold", 4, 16),
        ("title: x\n  category: y", 3, 11),
        ("title: 'unclosed", 3, 1),
    ],
)
def test_invalid_yaml_problem_names_line_and_column(front, line, column):
    problem = parse_text("p.md", f"---\n{front}\n---\n").problem
    assert problem is not None
    assert problem.line == line
    assert f"line {line}, column {column}" in problem.message


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    data = f"---\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n".encode()
    document, report = check_page("p.md", data, default_policy())
    assert not marker.exists()
    assert [(f.rule, f.line) for f in report.findings] == [("front-matter", 2)]
    assert "line 2, column 4" in document.problem.message


def test_undecodable_byte_is_located():
    data = "---\ntitle: ok\ndescription: Caf\xe9\n---\n".encode("latin-1")
    problem = parse_document("p.md", data).problem
    assert problem.line == 3 and "0xe9" in problem.message
