"""`tierbot check`: exit codes and the text, JSON, GitHub and SARIF outputs."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.pages import BANNERS, BRONZE, DROP, GOLD, SILVER, body, default_policy, page
from support.sarif import sarif_errors

from bot.cli import main as cli
from bot.core.rules.evaluate import Finding
from bot.core.rules.formats.github import annotation

NETWORK = ("aiohttp", "gidgethub", "github", "requests", "urllib3")
PAGES = {
    "gold.md": page(GOLD),
    "silver-warning.md": page(SILVER, {"best_for": ""}),
    "no-tier.md": page(GOLD, {"excellence_tier": DROP}),
    "bronze-both.md": page(BRONZE, {"modern_alternatives": ""}, body(BANNERS["gold"])),
    "broken.md": "---\ntitle: Saga: Distributed Transactions\n---\n",
    "bronze-spelt.md": page(BRONZE, {"modern_alternatives": DROP, "modern-alternatives": "[Mesh]"}),
}


def write(tmp_path: Path, *names: str) -> list[str]:
    for name in names:
        (tmp_path / name).write_text(PAGES[name])
    return list(names)


def run(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )


def in_process(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["check", *argv])
    except SystemExit as exit_:  # argparse
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


CODES = [
    pytest.param(["gold.md"], [], 0, id="clean"),
    pytest.param(["gold.md", "silver-warning.md"], [], 0, id="warnings-only"),
    pytest.param(["gold.md", "no-tier.md"], [], 1, id="error"),
    pytest.param(["broken.md"], [], 1, id="broken-page"),
    pytest.param(["gold.md"], ["--format", "xml"], 2, id="bad-format"),
    pytest.param(["gold.md"], ["--config", "absent.yml"], 2, id="missing-config"),
    pytest.param(["gold.md"], ["--rules", "absent.yml"], 2, id="missing-rules"),
    pytest.param(["gold.md", "no-tier.md"], ["--fail-on", "errors"], 1, id="fail-on-errors"),
    pytest.param(["silver-warning.md"], ["--fail-on", "warnings"], 1, id="fail-on-warnings"),
    pytest.param(["gold.md"], ["--fail-on", "warnings"], 0, id="fail-on-warnings-clean"),
    pytest.param(["broken.md", "no-tier.md"], ["--fail-on", "never"], 0, id="fail-on-never"),
    pytest.param(["gold.md"], ["--fail-on", "new-errors"], 2, id="no-new-in-a-check"),
]


@pytest.mark.parametrize("names, options, code", CODES)
def test_exit_code_subprocess(tmp_path, names, options, code):
    result = run(tmp_path, *options, *write(tmp_path, *names))
    assert result.returncode == code, result.stderr
    assert bool(result.stderr) == (code == 2)


@pytest.mark.parametrize("names, options, code", CODES)
def test_exit_code_in_process(tmp_path, monkeypatch, capsys, names, options, code):
    monkeypatch.chdir(tmp_path)
    assert in_process(capsys, *options, *write(tmp_path, *names))[0] == code


def test_json_matches_the_contract_exactly(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    names = write(tmp_path, "gold.md", "silver-warning.md", "no-tier.md", "bronze-both.md")
    code, out, _ = in_process(capsys, "--format", "json", *names)
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"version", "files", "skipped", "summary"} and data["version"] == 1
    assert data["skipped"] == []
    finding_keys = {"rule", "severity", "message", "line", "field", "checklist", "spelling"}
    for entry in data["files"]:
        assert set(entry) == {"path", "tier", "findings"}
        assert entry["tier"] in ("gold", "silver", "bronze", None)
        for finding in entry["findings"]:
            assert set(finding) == finding_keys
            assert finding["severity"] in ("error", "warning", "notice")
            assert isinstance(finding["line"], int) and finding["line"] >= 1
            assert all(isinstance(finding[k], str) for k in ("rule", "message", "checklist"))
            assert finding["field"] is None or isinstance(finding["field"], str)
            assert finding["spelling"] is None  # these pages spell every key right
    found = {e["path"]: [(f["rule"], f["severity"]) for f in e["findings"]] for e in data["files"]}
    assert found == {
        "gold.md": [],
        "silver-warning.md": [("silver-best-for", "warning")],
        "no-tier.md": [("tier-missing", "error")],
        "bronze-both.md": [("bronze-modern-alternatives", "error"), ("tier-banner", "warning")],
    }
    assert [e["tier"] for e in data["files"]] == ["gold", "silver", None, "bronze"]
    assert data["summary"] == {
        "files": 4,
        "errors": 2,
        "warnings": 2,
        "notices": 0,
        "tiers": {"gold": 1, "silver": 1, "bronze": 1, "none": 1},
    }


def unescape(text: str) -> str:
    for code, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(code, char)
    return text


ANNOTATION = re.compile(
    r"::(?P<level>error|warning|notice) file=(?P<file>[^,:\n]+)"
    r"(?:,line=(?P<line>\d+))?,title=(?P<title>[^,:\n]+)::(?P<message>[^\n]*)"
)


def test_github_format_escapes_as_workflow_commands_require(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "rules.yml"
    rules.write_text(
        "rules:\n"
        "  - id: 'house:tagline,v2'\n"
        "    severity: notice\n"
        "    check: required\n"
        "    field: tagline\n"
        "    message: |-\n"
        "      100% of pages need a tagline: a one-liner,\n"
        "      shown in search.\n"
        "    checklist: Add a tagline.\n"
    )
    odd = tmp_path / "50%,key:value.md"
    odd.write_text(page(GOLD))
    code, out, _ = in_process(capsys, "--format", "github", "--rules", str(rules), odd.name)
    assert code == 0
    [line] = out.splitlines()
    assert line == (
        "::notice file=50%25%2Ckey%3Avalue.md,line=6,title=house%3Atagline%2Cv2::"
        "100%25 of pages need a tagline: a one-liner,%0Ashown in search."
    )
    parts = ANNOTATION.fullmatch(line).groupdict()
    assert unescape(parts["file"]) == odd.name
    assert unescape(parts["title"]) == "house:tagline,v2"
    assert unescape(parts["message"]) == (
        "100% of pages need a tagline: a one-liner,\nshown in search."
    )


def test_github_format_one_line_per_finding(tmp_path):
    names = write(tmp_path, "gold.md", "no-tier.md", "bronze-both.md", "broken.md")
    result = run(tmp_path, "--format", "github", *names)
    assert result.returncode == 1
    parsed = [ANNOTATION.fullmatch(line).groupdict() for line in result.stdout.splitlines()]
    assert [(p["level"], p["file"], p["title"]) for p in parsed] == [
        ("error", "no-tier.md", "tier-missing"),
        ("error", "bronze-both.md", "bronze-modern-alternatives"),
        ("warning", "bronze-both.md", "tier-banner"),
        ("error", "broken.md", "front-matter"),
    ]
    assert all(p["line"] for p in parsed)


def test_annotation_without_a_line_leaves_the_property_out():
    finding = Finding("pattern-deleted", "error", "`a.md` is deleted", None, None, "Restore")
    assert annotation("docs/a.md", finding) == (
        "::error file=docs/a.md,title=pattern-deleted::`a.md` is deleted"
    )


def test_sarif_is_sarif_2_1_0(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    names = write(tmp_path, "gold.md", "silver-warning.md", "bronze-both.md", "broken.md")
    code, out, _ = in_process(capsys, "--format", "sarif", *names)
    sarif = json.loads(out)
    code_json, out_json, _ = in_process(capsys, "--format", "json", *names)
    assert code == code_json == 1
    assert sarif_errors(sarif) == []
    assert sarif["version"] == "2.1.0"
    assert "sarif" in sarif["$schema"] and "2.1.0" in sarif["$schema"]
    [run_] = sarif["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "tierbot" and driver["version"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [rule.id for rule in default_policy().rules]
    assert all(rule["shortDescription"]["text"] for rule in driver["rules"])
    levels = {"error": "error", "warning": "warning", "notice": "note"}
    expected = [
        (f["rule"], levels[f["severity"]], f["message"], entry["path"], f["line"])
        for entry in json.loads(out_json)["files"]
        for f in entry["findings"]
    ]
    got = []
    for result in run_["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        got.append(
            (
                result["ruleId"],
                result["level"],
                result["message"]["text"],
                physical["artifactLocation"]["uri"],
                physical["region"]["startLine"],
            )
        )
    assert got == expected and len(got) == 4


def drop(key: str) -> Callable[[dict[str, Any]], object]:
    return lambda place: place.pop(key)


@pytest.mark.parametrize(
    ("where", "damage", "said"),
    [
        ((), drop("runs"), "'runs' is a required property"),
        ((), lambda log: log.update(version="2.1"), "'2.1' is not one of"),
        (("runs", 0, "tool", "driver"), drop("name"), "'name' is a required property"),
        (("runs", 0, "results", 0), drop("message"), "'message' is a required property"),
        (("runs", 0, "results", 0), lambda r: r.update(level="fatal"), "'fatal' is not one of"),
        (("runs", 0, "results", 0), lambda r: r.update(line=3), "('line' was unexpected)"),
        (
            ("runs", 0, "results", 0, "locations", 0, "physicalLocation", "region"),
            lambda region: region.update(startLine=0),
            "0 is less than the minimum of 1",
        ),
    ],
    ids=["no-runs", "version", "no-tool-name", "no-message", "level", "extra-field", "line-0"],
)
def test_the_sarif_check_fails_on_a_broken_report(
    tmp_path, monkeypatch, capsys, where, damage, said
):
    monkeypatch.chdir(tmp_path)
    _, out, _ = in_process(capsys, "--format", "sarif", *write(tmp_path, "silver-warning.md"))
    report = json.loads(out)
    place = report
    for step in where:
        place = place[step]
    damage(place)
    [error] = sarif_errors(report)
    assert error.startswith("/" + "/".join(map(str, where))) and said in error


def test_text_format_without_a_terminal_has_no_colour(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    names = write(tmp_path, "gold.md", "silver-warning.md", "no-tier.md")
    code, out, _ = in_process(capsys, *names)
    assert code == 1
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0] == "silver-warning.md (tier: silver)"
    assert re.fullmatch(r"  \d+: warning \[silver-best-for\] .+", lines[1])
    fix = "fix: Add `best_for`: the situations this pattern fits best (a sentence or a list)."
    assert lines[2] == " " * lines[1].index("warning") + fix  # under the finding it fixes
    assert lines[3] == "no-tier.md (tier: none)"
    assert lines[4].startswith("  1: error [tier-missing] No `excellence_tier`")
    assert (
        lines[5]
        == "     fix: Add `excellence_tier: gold`, `silver` or `bronze` to the front matter."
    )
    assert lines[-1] == "3 pages checked: 1 error, 1 warning, 0 notices"
    result = run(tmp_path, *names)
    assert result.stdout == out and "\x1b[" not in result.stdout


def test_text_format_on_a_terminal_is_coloured(tmp_path):
    names = write(tmp_path, "no-tier.md")
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "check", *names], stdout=follower, cwd=tmp_path
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 1
    finally:
        os.close(leader)
    assert b"\x1b[31merror\x1b[0m" in b"".join(chunks)


def test_a_bad_page_does_not_stop_the_others(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "gold.md", "broken.md", "silver-warning.md")
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "huge.md").write_bytes(b"---\ntitle: x\n---\n" + b"x" * (20 * 1024 * 1024))
    names = ["gold.md", "broken.md", "missing.md", "binary.md", "huge.md", "silver-warning.md"]
    code, out, err = in_process(capsys, "--format", "json", *names)
    assert code == 1 and err == ""
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == names
    rules = [[finding["rule"] for finding in f["findings"]] for f in files]
    assert rules == [
        [],
        ["front-matter"],
        ["front-matter"],
        ["front-matter"],
        ["front-matter"],
        ["silver-best-for"],
    ]
    assert [f["tier"] for f in files] == ["gold", None, None, None, None, "silver"]


#: `check` and `fix` (which checks again after fixing), each with its marker of a real run.
LIGHT_COMMANDS = [
    pytest.param(["check", "--format", "sarif"], '"results"', id="check"),
    pytest.param(["fix"], "fixed 1 problem", id="fix"),
]


@pytest.mark.parametrize("command, ran", LIGHT_COMMANDS)
def test_check_imports_no_network_library(tmp_path, command, ran):
    names = write(tmp_path, "gold.md", "bronze-both.md")
    script = (
        "import json, sys, bot.cli.main\n"
        f"code = bot.cli.main.main([*{command!r}, *{names!r}])\n"
        f"print(json.dumps([m for m in {NETWORK!r} if m in sys.modules]), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 1  # bronze-both.md has an error: the command really ran
    assert json.loads(result.stderr.splitlines()[-1]) == []
    assert ran in result.stdout


@pytest.mark.parametrize("command", ["check", "fix"])
def test_check_imports_no_network_library_at_startup(tmp_path, command):
    names = write(tmp_path, "gold.md")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", command, *names],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert f"bot.cli.{command}" in imported
    assert not {name.split(".")[0] for name in imported} & set(NETWORK)


def test_a_spelling_is_machine_visible_in_json_and_sarif(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    names = write(tmp_path, "bronze-spelt.md")
    _, out, _ = in_process(capsys, "--format", "json", *names)
    [finding] = json.loads(out)["files"][0]["findings"]
    assert (finding["rule"], finding["field"]) == (
        "bronze-modern-alternatives",
        "modern_alternatives",
    )
    assert finding["spelling"] == "modern-alternatives"
    assert finding["checklist"] == "Rename `modern-alternatives` to `modern_alternatives`."
    _, out, _ = in_process(capsys, "--format", "sarif", *names)
    [result] = json.loads(out)["runs"][0]["results"]
    assert result["ruleId"] == "bronze-modern-alternatives"
    assert result["properties"] == {"spelling": "modern-alternatives"}
    assert sarif_errors(json.loads(out)) == []
