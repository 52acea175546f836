"""Every page of the real DStudio corpus: tierbot agrees with a small independent reading of
the policy (yaml.safe_load and a few regexes; no bot.checks). Skips without the corpus."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

TIERS = ("gold", "silver", "bronze")
FIELDS = {
    "excellence_tier",
    "modern_examples",
    "production_checklist",
    "trade_offs",
    "best_for",
    "modern_alternatives",
    "deprecation_reason",
    "introduced",
    "pattern_status",
    "last_updated",  # the quarterly review's dates: tierbot reads them itself
    "last_reviewed",
}
STATUSES = ("recommended", "use-with-expertise", "use-with-caution", "legacy")
#: The field each rule fails for want of.
NEEDS = {
    "tier-missing": "excellence_tier",
    "gold-modern-examples": "modern_examples",
    "gold-production-checklist": "production_checklist",
    "silver-trade-offs": "trade_offs",
    "silver-best-for": "best_for",
    "bronze-modern-alternatives": "modern_alternatives",
    "bronze-deprecation-reason": "deprecation_reason",
    "gold-pattern-status": "pattern_status",
}
FRONT = re.compile(r"---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.DOTALL | re.MULTILINE)
BANNER = re.compile(r'!!! [a-z]+ "([^"\n]*)"')
EMOJI = {"🏆": "gold", "🥈": "silver", "🥉": "bronze"}


def empty(value) -> bool:
    return (
        value is None
        or value == []
        or value == {}
        or (isinstance(value, str) and not value.strip())
    )


def non_empty_list(value) -> bool:
    return isinstance(value, list) and bool(value)


def banner_tier(body: str) -> str | None:
    for line in body.splitlines():
        match = BANNER.match(line)
        if match:
            title = match.group(1).lower()
            words = [tier for tier in TIERS if tier in title]
            if words:
                return min(words, key=title.index)
            emoji = [tier for mark, tier in EMOJI.items() if mark in title]
            if emoji:
                return emoji[0]
    return None


def front_matter(data: bytes) -> dict | None:
    """A page's front matter as plain YAML, or None when it has none or it does not parse."""
    try:
        match = FRONT.match(data.decode("utf-8").removeprefix("\ufeff"))
        meta = yaml.safe_load(match.group(1)) if match and b"\0" not in data else None
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return meta if isinstance(meta, dict) else None


def other_type(data: bytes) -> str | None:
    """The `type` a page declares when it is not `pattern`: tierbot skips such a page."""
    declared = (front_matter(data) or {}).get("type")
    return declared if isinstance(declared, str) and declared != "pattern" else None


def expected(data: bytes) -> set[str]:
    """The rule ids the spec gives for a page, computed from scratch."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return {"front-matter"}
    match = FRONT.match(text)
    if b"\0" in data or not match:
        return {"front-matter"}
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {"front-matter"}
    if not isinstance(meta, dict):
        return {"front-matter"}
    ids = set()
    tier = meta.get("excellence_tier")
    if empty(tier):
        ids.add("tier-missing")
    elif tier not in TIERS:
        ids.add("tier-invalid")
    if tier == "gold":
        examples = meta.get("modern_examples")
        if not non_empty_list(examples):
            ids.add("gold-modern-examples")
        else:
            if len(examples) < 2:
                ids.add("gold-modern-examples-count")
            for entry in examples:
                fields = ("company", "implementation", "scale")
                if not isinstance(entry, dict) or any(empty(entry.get(k)) for k in fields):
                    ids.add("modern-example-fields")
        if not non_empty_list(meta.get("production_checklist")):
            ids.add("gold-production-checklist")
    if tier == "silver":
        trade_offs = meta.get("trade_offs")
        if not isinstance(trade_offs, dict) or not all(
            non_empty_list(trade_offs.get(key)) for key in ("pros", "cons")
        ):
            ids.add("silver-trade-offs")
        if empty(meta.get("best_for")):
            ids.add("silver-best-for")
    if tier == "bronze":
        if empty(meta.get("modern_alternatives")):
            ids.add("bronze-modern-alternatives")
        if empty(meta.get("deprecation_reason")):
            ids.add("bronze-deprecation-reason")
    if tier in TIERS and banner_tier(text[match.end() :]) not in (None, tier):
        ids.add("tier-banner")
    if tier in TIERS and banner_tier(text[match.end() :]) is None:
        ids.add("tier-banner-missing")
    # A hyphenated key is said by the rule failing for want of its field, else by key-spelling.
    wanting = {field for rule, field in NEEDS.items() if rule in ids and empty(meta.get(field))}
    if any(
        isinstance(k, str) and "-" in k and k.replace("-", "_") in FIELDS - wanting for k in meta
    ):
        ids.add("key-spelling")
    status = meta.get("pattern_status")
    if tier in TIERS and not empty(status) and status not in STATUSES:
        ids.add("pattern-status")
    if tier == "gold" and empty(status):
        ids.add("gold-pattern-status")
    introduced = meta.get("introduced")
    if not empty(introduced) and not re.fullmatch(r"[0-9]{4}(-(0[1-9]|1[0-2]))?", str(introduced)):
        ids.add("introduced-format")
    return ids


@pytest.fixture(scope="module")
def checked(corpus: Path, tmp_path_factory) -> tuple[list[Path], dict]:
    pages = sorted((corpus / "docs").rglob("*.md"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        cwd=tmp_path_factory.mktemp("cwd"),
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    # Pages that declare another `type` are skipped, even when named on the command line.
    return [page for page in pages if not other_type(page.read_bytes())], report


def test_pages_of_other_types_are_skipped_and_counted(corpus: Path, checked):
    _, report = checked
    everything = sorted((corpus / "docs").rglob("*.md"))
    typed = {str(page): other_type(page.read_bytes()) for page in everything}
    skipped = [(s["path"], s["reason"], s["detail"]) for s in report["skipped"]]
    assert skipped == [(path, "type", kind) for path, kind in typed.items() if kind]
    assert Counter(kind for _, _, kind in skipped) == {
        "pattern-learning-module": 3,
        "learning-module": 2,
        "learning_module": 1,
        "examination": 1,
    }


def test_every_page_gets_the_rule_ids_the_spec_gives(checked):
    pages, report = checked
    assert [entry["path"] for entry in report["files"]] == [str(page) for page in pages]
    tool = {entry["path"]: {f["rule"] for f in entry["findings"]} for entry in report["files"]}
    mine = {str(page): expected(page.read_bytes()) for page in pages}
    disagreements = {path: (mine[path], tool[path]) for path in mine if mine[path] != tool[path]}
    assert disagreements == {}
    totals = Counter(
        rule for entry in report["files"] for rule in {f["rule"] for f in entry["findings"]}
    )
    print("pages per rule id:", dict(sorted(totals.items())))
    assert set(totals) >= {"front-matter", "tier-missing", "tier-invalid", "tier-banner"}


def test_corpus_shape_matches_its_readme(checked):
    pages, report = checked
    assert len(pages) == 174 - 7  # the pages of other types are skipped
    assert report["summary"]["files"] == 167
    # One gold and one platinum page are learning modules, skipped with the other five.
    assert report["summary"]["tiers"] == {"gold": 44, "silver": 57, "bronze": 7, "none": 59}
    per_page = Counter(
        rule for entry in report["files"] for rule in {f["rule"] for f in entry["findings"]}
    )
    assert per_page["front-matter"] == 10  # pages without front matter: checked, not skipped
    assert per_page["tier-missing"] == 48  # front matter but no tier
    assert per_page["tier-invalid"] == 1  # the template's gold|silver|bronze
    assert per_page["pattern-status"] == 8  # `production-ready`, on tiered pages
    assert per_page["gold-pattern-status"] == 9


def test_pages_without_front_matter_that_read_like_other_pages_suggest_exclude(checked):
    _, report = checked
    hints = {
        Path(entry["path"]).name: (
            "reads like a page of another kind" in finding["message"]
            and "to the exclude globs" in finding["checklist"]
            and "`type: " in finding["checklist"]
        )
        for entry in report["files"]
        for finding in entry["findings"]
        if finding["rule"] == "front-matter"
    }
    assert len(hints) == 10 and all(hints.values()), hints  # exams, modules, an index


def test_untiered_guides_are_told_type_guide_and_untiered_patterns_are_not(checked):
    _, report = checked
    told = sorted(
        entry["path"].split("/docs/pattern-library/")[1]
        for entry in report["files"]
        for finding in entry["findings"]
        if finding["rule"] == "tier-missing" and "`type: guide`" in finding["checklist"]
    )
    # The guides at the library's root and among its visual assets, no page in a category.
    assert told == [
        "pattern-antipatterns-guide.md",
        "pattern-combination-recipes.md",
        "pattern-comparison-tool.md",
        "pattern-decision-matrix.md",
        "pattern-implementation-roadmap.md",
        "pattern-migration-guides.md",
        "pattern-relationship-map.md",
        "pattern-synthesis-guide.md",
        "visual-asset-creation-plan.md",
        "visual-assets/pattern-selection-matrix.md",
    ]


def key_line(lines: list[str], key: str) -> int | None:
    end = lines.index("---", 1) if "---" in lines[1:] else len(lines)
    return next((n for n, line in enumerate(lines[:end], 1) if line.startswith(key + ":")), None)


def test_findings_point_at_the_spec_lines(checked):
    pages, report = checked
    for page, entry in zip(pages, report["files"], strict=True):
        lines = page.read_text(encoding="utf-8").splitlines()
        for finding in entry["findings"]:
            rule, field, line = finding["rule"], finding["field"], finding["line"]
            if rule == "tier-banner":
                assert lines[line - 1].startswith("!!! "), (page, finding)
            elif rule == "tier-banner-missing":  # the title, else the tier
                assert lines[line - 1].startswith(("# ", "excellence_tier:")), (page, finding)
            elif rule == "key-spelling":
                assert lines[line - 1].split(":")[0].replace("-", "_") == field, (page, finding)
            elif rule != "front-matter":  # a hyphen-spelt field points at that key
                hyphenated = key_line(lines, field.replace("_", "-"))
                spot = key_line(lines, field) or hyphenated or key_line(lines, "excellence_tier")
                assert line == (spot or 1), (page, finding)
