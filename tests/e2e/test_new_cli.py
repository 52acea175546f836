"""`tierbot new`: a page of each tier that `tierbot check` faults only where it says to fill in."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from bot.cli import main as cli
from bot.core.rules.kinds import is_empty

PAGE = "docs/pattern-library/resilience/retry-budget.md"


def tierbot(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def blank(value) -> bool:
    """Nothing filled in: empty, or lists of empty entries, or a mapping of such."""
    if isinstance(value, list):
        return all(blank(entry) for entry in value)
    if isinstance(value, dict):
        return all(blank(entry) for entry in value.values())
    return is_empty(value)


@pytest.mark.parametrize("tier", ["gold", "silver", "bronze"])
def test_check_faults_a_new_page_only_on_its_placeholders(tmp_path, monkeypatch, capsys, tier):
    monkeypatch.chdir(tmp_path)
    code, out, _ = tierbot(capsys, "new", PAGE, "--tier", tier, "--date", "2026-05-01")
    assert code == 0
    named = dict(re.findall(r"(?m)^  (\d+): (\w+): ", out))
    assert named, out
    assert out.startswith(f"wrote {PAGE} ({tier}): {len(named)} placeholder")
    text = (tmp_path / PAGE).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["type"] == "pattern" and meta["excellence_tier"] == tier
    assert str(meta["last_reviewed"]) == "2026-05-01"
    assert "\n# Retry Budget\n" in text
    banner = {"gold": "🏆 Gold", "silver": "🥈 Silver", "bronze": "🥉 Bronze"}[tier]
    assert f'"{banner}' in text
    # Each placeholder is a field of the page, on the line named, left to fill in.
    lines = text.splitlines()
    for line, field in named.items():
        assert lines[int(line) - 1].startswith(f"{field}:")
        assert blank(meta[field]), field
    # `tierbot check` faults every placeholder and nothing else: each finding lies within
    # its field's placeholder (from its line to the next placeholder's).
    code, report, _ = tierbot(capsys, "check", "--format", "json", PAGE)
    findings = json.loads(report)["files"][0]["findings"]
    assert {finding["field"] for finding in findings} == set(named.values())
    starts = sorted(int(line) for line in named)
    for finding in findings:
        within = max(start for start in starts if start <= finding["line"])
        assert named[str(within)] == finding["field"], finding
    assert code == (0 if tier == "silver" else 1)  # gold and bronze ask for error-rule fields


def test_a_file_that_exists_is_never_overwritten(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    page = tmp_path / PAGE
    page.parent.mkdir(parents=True)
    page.write_text("mine\n", encoding="utf-8")
    code, out, err = tierbot(capsys, "new", PAGE, "--tier", "gold")
    assert (code, out) == (2, "")
    assert "exists" in err
    assert page.read_text(encoding="utf-8") == "mine\n"
