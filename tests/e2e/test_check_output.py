"""`tierbot check` output a person can act on: skipped files, line order, fixes, statistics."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import shlex
from pathlib import Path

import pytest
from support.pages import BANNERS, BRONZE, DROP, GOLD, SILVER, body, page

from bot.cli import main as cli
from bot.core.rules import formats
from bot.core.rules.formats.model import OutputFormat

LIB = Path("docs/pattern-library")
PAGES = {
    LIB / "resilience/breaker.md": page(GOLD),
    LIB / "resilience/bulkhead.md": page(SILVER, {"best_for": ""}),
    LIB / "scaling/sharding.md": page(SILVER, {"best_for": ""}),
    LIB / "guides/choosing.md": page(GOLD, {"type": "guide", "excellence_tier": DROP}),
    LIB / "guides/tour.md": page(GOLD, {"type": "guide", "excellence_tier": DROP}),
    LIB / "learn/exam.md": page(GOLD, {"type": "examination", "excellence_tier": DROP}),
    LIB / "index.md": "# Patterns\n",
    LIB / "data-pipeline-exam.md": "# Data Pipelines - Comprehensive Examination\n",
    # Every kind of finding on one page, written so that rule order is not line order.
    LIB / "data/lake.md": page(
        BRONZE,
        {"introduced": "1960s", "deprecation_reason": "", "modern_alternatives": DROP},
        body(BANNERS["gold"]),
    ),
}

SUMMARY = [
    "5 pages checked: 2 errors, 5 warnings, 0 notices",
    "4 skipped: type guide 2, examination 1; exclude **/index.md 1",
    "1 problem can be fixed with `tierbot fix`",  # lake.md's banner
]
STATISTICS = [  # count, severity, rule, the rule's description: as `ruff --statistics`
    "2  warning  silver-best-for             A silver pattern says where it fits best.",
    "1  warning  bronze-deprecation-reason   A bronze pattern explains why it is no longer"
    " recommended.",
    "1  error    bronze-modern-alternatives  A bronze pattern points readers to what replaced it.",
    "1  error    front-matter                The page starts with a readable YAML front matter"
    " block that is a mapping.",
    "1  warning  introduced-format           `introduced` is a year or a year and month.",
    "1  warning  tier-banner                 The page's first tier banner agrees with its front"
    " matter.",
]


@pytest.fixture
def library(tmp_path: Path, monkeypatch) -> Path:
    for path, text in PAGES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = cli.main(["check", *argv])
    except SystemExit as exit_:  # argparse
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out or err


def test_skipped_files_are_counted_by_reason(library, capsys):
    code, out = check(capsys)
    assert code == 1
    assert out.splitlines()[-3:] == SUMMARY
    assert "guides/" not in out and "learn/exam.md" not in out


def test_json_lists_every_skipped_file(library, capsys):
    code, out = check(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["skipped"] == [
        {"path": f"{LIB}/guides/choosing.md", "reason": "type", "detail": "guide"},
        {"path": f"{LIB}/guides/tour.md", "reason": "type", "detail": "guide"},
        {"path": f"{LIB}/index.md", "reason": "exclude", "detail": "**/index.md"},
        {"path": f"{LIB}/learn/exam.md", "reason": "type", "detail": "examination"},
    ]
    assert data["summary"]["files"] == len(data["files"]) == 5


def test_a_named_file_of_another_type_is_skipped_too(library, capsys):
    # The pre-commit hook names the staged files: a staged guide must not fail it.
    code, out = check(capsys, f"{LIB}/guides/tour.md", f"{LIB}/index.md")
    assert code == 1  # index.md, named, is checked whatever its name: no front matter
    assert out.splitlines()[-2:] == [
        "1 page checked: 1 error, 0 warnings, 0 notices",
        "1 skipped: type guide 1",
    ]


def test_nothing_skipped_says_nothing_about_skips(library, capsys):
    code, out = check(capsys, f"{LIB}/resilience/breaker.md")
    assert (code, out) == (0, "1 page checked: 0 errors, 0 warnings, 0 notices\n")


def test_types_setting_checks_the_listed_types(library, capsys):
    (library / ".github").mkdir()
    (library / ".github/tierbot.yml").write_text("types: [pattern, guide]\n")
    _, out = check(capsys)
    assert "guides/tour.md (tier: none)" in out
    assert out.splitlines()[-2] == "2 skipped: type examination 1; exclude **/index.md 1"


def test_a_page_without_front_matter_is_checked_and_the_instruction_suggests_exclude(
    library, capsys
):
    _, out = check(capsys, "--format", "json")
    [exam] = [f for f in json.loads(out)["files"] if f["path"].endswith("data-pipeline-exam.md")]
    [finding] = exam["findings"]
    assert finding["rule"] == "front-matter" and finding["severity"] == "error"
    assert "(“exam”)" in finding["message"]
    assert "exclude globs" in finding["checklist"] and "`type: examination`" in finding["checklist"]


def test_findings_come_in_line_order_each_with_its_fix(library, capsys):
    _, out = check(capsys, f"{LIB}/data/lake.md")
    lines = out.splitlines()
    assert lines[0] == f"{LIB}/data/lake.md (tier: bronze)"
    findings, fixes = lines[1:-2:2], lines[2:-2:2]
    numbers = [int(line.split(":")[0]) for line in findings]
    assert numbers == sorted(numbers) and len(numbers) == 4
    assert [line.split("[")[1].split("]")[0] for line in findings] == [
        "bronze-modern-alternatives",  # the tier's line: the field is missing
        "introduced-format",
        "bronze-deprecation-reason",
        "tier-banner",
    ]
    assert all(fix.lstrip().startswith("fix: ") for fix in fixes)
    assert fixes[1].strip() == "fix: Write `introduced` as YYYY or YYYY-MM."
    assert lines[-2:] == [
        "1 page checked: 1 error, 3 warnings, 0 notices",
        f"1 problem can be fixed with `tierbot fix {LIB}/data/lake.md`",
    ]


@pytest.mark.parametrize(
    "minimum, shown, note",
    [
        ("error", {"error"}, " (warnings and notices not shown: --severity error)"),
        ("warning", {"error", "warning"}, " (notices not shown: --severity warning)"),
        ("notice", {"error", "warning"}, ""),
    ],
)
def test_severity_is_a_minimum_and_the_totals_still_count_everything(
    library, capsys, minimum, shown, note
):
    code, out = check(capsys, "--severity", minimum)
    assert code == 1  # exit codes do not depend on what is shown
    assert set(re.findall(r"(?m)^  \d+: (\w+) \[", out)) == shown
    assert f"5 pages checked: 2 errors, 5 warnings, 0 notices{note}" in out.splitlines()


def test_severity_filters_json_and_annotations_but_not_the_summary(library, capsys):
    _, out = check(capsys, "--format", "json", "--severity", "error")
    data = json.loads(out)
    assert {f["severity"] for entry in data["files"] for f in entry["findings"]} == {"error"}
    assert (data["summary"]["errors"], data["summary"]["warnings"]) == (2, 5)
    _, out = check(capsys, "--format", "github", "--severity", "error")
    assert [line.split()[0] for line in out.splitlines()] == ["::error"] * 2


def test_exit_code_is_unchanged_when_only_warnings_are_hidden(library, capsys):
    code, out = check(capsys, "--severity", "error", f"{LIB}/resilience/bulkhead.md")
    assert code == 0
    assert out == (
        "1 page checked: 0 errors, 1 warning, 0 notices"
        " (warnings and notices not shown: --severity error)\n"
    )


def test_statistics_count_findings_per_rule_most_first(library, capsys):
    code, out = check(capsys, "--statistics")
    assert code == 1
    lines = out.splitlines()
    assert lines[:-3] == STATISTICS
    assert lines[-3:] == SUMMARY


def test_statistics_in_json_and_with_a_minimum_severity(library, capsys):
    _, out = check(capsys, "--statistics", "--format", "json", "--severity", "error")
    data = json.loads(out)
    assert [(row["rule"], row["severity"], row["count"]) for row in data["statistics"]] == [
        ("bronze-modern-alternatives", "error", 1),
        ("front-matter", "error", 1),
    ]
    assert data["skipped"] == {
        "type": {"guide": 2, "examination": 1},
        "exclude": {"**/index.md": 1},
    }
    assert data["summary"]["warnings"] == 5


@pytest.mark.parametrize(
    "argv, command",
    [
        (["docs"], "tierbot fix docs"),  # the directory given
        (  # the page to fix: fewer than the pages named (as the pre-commit hook names them)
            [f"{LIB}/resilience/bulkhead.md", f"{LIB}/data/lake.md", f"{LIB}/scaling/sharding.md"],
            f"tierbot fix {LIB}/data/lake.md",
        ),
        (
            ["--config", ".github/tierbot.yml", "docs"],
            "tierbot fix --config=.github/tierbot.yml docs",
        ),
    ],
)
def test_the_last_line_is_the_fix_command_and_running_it_leaves_nothing_to_fix(
    library, capsys, argv, command
):
    (library / ".github").mkdir()
    (library / ".github/tierbot.yml").write_text("fail-on: errors\n")
    _, out = check(capsys, *argv)
    assert out.splitlines()[-1] == f"1 problem can be fixed with `{command}`"
    assert cli.main(shlex.split(command)[1:]) == 1  # the errors no fix repairs are left
    capsys.readouterr()
    _, out = check(capsys, *argv)
    assert "can be fixed" not in out and "tier-banner" not in out


@pytest.mark.parametrize("format_", ["json", "github", "sarif"])
def test_only_the_text_formats_name_the_fix_command(library, capsys, format_):
    _, out = check(capsys, "--format", format_)
    assert "tierbot fix" not in out


@pytest.mark.parametrize("format_", ["github", "sarif"])
def test_statistics_in_other_formats_is_a_usage_error(library, capsys, format_):
    code, err = check(capsys, "--statistics", "--format", format_)
    assert code == 2 and "--statistics" in err


def test_bad_severity_is_a_usage_error(library, capsys):
    code, err = check(capsys, "--severity", "fatal")
    assert code == 2 and "--severity" in err


def test_a_format_is_one_registered_module(library, capsys, monkeypatch):
    """The choices of --format and its dispatch are the registry's; each module is in it."""
    package = Path(formats.__file__).parent
    modules = {info.name for info in pkgutil.iter_modules([str(package)])} - {"model"}
    registered = {importlib.import_module(f"{formats.__name__}.{name}") for name in modules}
    assert {module.FORMAT for module in registered} == set(formats.FORMATS.values())

    paths = OutputFormat("paths", lambda found: "\n".join(r.path for r in found.reports))
    monkeypatch.setitem(formats.FORMATS, "paths", paths)
    code, out = check(capsys, "--format", "paths", "--severity", "error")
    assert code == 1 and out.splitlines() == [
        "docs/pattern-library/data-pipeline-exam.md",
        "docs/pattern-library/data/lake.md",
        "docs/pattern-library/resilience/breaker.md",
        "docs/pattern-library/resilience/bulkhead.md",
        "docs/pattern-library/scaling/sharding.md",
    ]
    code, out = check(capsys, "--format", "paths", "--statistics")
    assert (code, out) == (2, "tierbot: error: --statistics works with --format text or json\n")
