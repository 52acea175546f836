"""`.github/tierbot.yml`: defaults, every setting, unknown keys, and which files get checked."""

from __future__ import annotations

import json

import pytest
from support.pages import BANNERS, GOLD, SILVER, body, page

from bot.cli import main as cli
from bot.core.config import DEFAULT_INCLUDE, Config
from bot.core.config_file import parse_config
from bot.errors import ConfigError
from bot.resources import bundled_rules_path as default_rules_path

FULL = """\
include: docs/patterns/**/*.md
exclude: ["**/drafts/**", "**/index.md"]
types: [pattern, case-study]
rules: policy/tiers.yml
severity:
  tier-banner: error
  key-spelling: "off"
labels:
  gold: "tier: 🏆 gold"
  silver: {name: "tier: silver", color: "#aabbcc", description: Silver pages}
fail-on: warnings
quarterly:
  labels: [quarterly]
  assignees: [octocat, hubot]
  max-age-days: 180
  min-modern-examples: 3
  close-previous: false
  health:
    repos:
      docs/patterns/resilience/circuit-breaker.md: [Netflix/Hystrix, resilience4j/resilience4j]
    max-requests: 5
"""


def label(config: Config, role: str) -> tuple[str, str, str]:
    spec = config.labels[role]
    return spec.name, spec.color, spec.description


@pytest.mark.parametrize(
    "path, checked",
    [
        ("docs/pattern-library/resilience/circuit-breaker.md", True),
        ("docs/pattern-library/communication/observability/health-check.md", True),
        ("docs/pattern-library/observability.md", True),
        ("docs/patterns/sidecar.md", True),
        ("docs/pattern-library/index.md", False),
        ("docs/pattern-library/resilience/index.md", False),
        ("docs/pattern-library/README.md", False),
        ("docs/pattern-library/pattern-template-v2.md", False),
        ("docs/pattern-library/templates/pattern-template.md", False),
        ("docs/pattern-library/resilience/circuit-breaker.txt", False),
        ("docs/pattern-library/resilience/circuit-breaker.mdx", False),
        ("docs/architects-handbook/case-studies/netflix.md", False),
        ("pattern-library/resilience/circuit-breaker.md", False),
        ("other/docs/pattern-library/resilience/circuit-breaker.md", False),
    ],
)
def test_default_globs(path, checked):
    assert Config().is_pattern_page(path) is checked


def test_defaults():
    config = parse_config("", "empty.yml")
    assert config == Config()
    assert config.include == DEFAULT_INCLUDE
    assert config.exclude == ("**/index.md", "**/README.md", "**/*template*.md")
    assert config.types == ("pattern",)
    assert (config.rules, config.severity, config.fail_on) == (None, {}, "new-errors")
    assert label(config, "gold") == ("tier: gold", "FFD700", "Touches a gold-tier pattern")
    assert config.quarterly.max_age_days == 365 and config.quarterly.close_previous is True
    assert config.quarterly.health.max_requests == 30


def test_every_setting_is_parsed():
    config = parse_config(FULL, "tierbot.yml")
    assert config.include == ("docs/patterns/**/*.md",)
    assert config.exclude == ("**/drafts/**", "**/index.md")
    assert config.types == ("pattern", "case-study")
    assert config.is_pattern_page("docs/patterns/caching.md")
    assert not config.is_pattern_page("docs/patterns/drafts/caching.md")
    assert not config.is_pattern_page("docs/pattern-library/caching.md")
    assert config.rules == "policy/tiers.yml"
    assert config.severity == {"tier-banner": "error", "key-spelling": "off"}
    assert label(config, "gold") == ("tier: 🏆 gold", "FFD700", "Touches a gold-tier pattern")
    assert label(config, "silver") == ("tier: silver", "AABBCC", "Silver pages")
    assert config.labels["bronze"] == Config().labels["bronze"]
    assert config.fail_on == "warnings"
    quarterly = config.quarterly
    assert quarterly.labels == ("quarterly",) and quarterly.assignees == ("octocat", "hubot")
    assert (quarterly.max_age_days, quarterly.min_modern_examples) == (180, 3)
    assert quarterly.close_previous is False
    assert quarterly.health.repos == {
        "docs/patterns/resilience/circuit-breaker.md": (
            "Netflix/Hystrix",
            "resilience4j/resilience4j",
        )
    }
    assert quarterly.health.max_requests == 5


@pytest.mark.parametrize(
    "text, key",
    [
        ("includes: [docs/**/*.md]", "includes"),
        ("fail_on: errors", "fail_on"),
        ("labels:\n  gold: {name: gold, colour: FFD700}", "labels.gold.colour"),
        ("labels:\n  platinum: tier platinum", "labels.platinum"),
        ("quarterly:\n  max_age_days: 90", "quarterly.max_age_days"),
        ("quarterly:\n  health:\n    repo: {}", "quarterly.health.repo"),
    ],
)
def test_unknown_key_at_any_level_is_named(text, key):
    with pytest.raises(ConfigError, match=f"`{key}`") as raised:
        parse_config(text, ".github/tierbot.yml")
    assert str(raised.value).startswith(".github/tierbot.yml:")


@pytest.mark.parametrize(
    "text, key",
    [
        ("include: 3", "include"),
        ("severity: {tier-banner: fatal}", "severity.tier-banner"),
        ("fail-on: sometimes", "fail-on"),
        ("labels:\n  gold: {color: gold}", "labels.gold.color"),
        ("quarterly:\n  max-age-days: 0", "quarterly.max-age-days"),
        ("quarterly:\n  close-previous: 'yes'", "quarterly.close-previous"),
        ("rules: ''", "rules"),
    ],
)
def test_bad_value_is_named(text, key):
    with pytest.raises(ConfigError, match=f"`{key}`"):
        parse_config(text, "tierbot.yml")


@pytest.mark.parametrize("text", ["- include", "include: [", "just words"])
def test_config_that_is_not_a_yaml_mapping(text):
    with pytest.raises(ConfigError, match=r"tierbot\.yml"):
        parse_config(text, "tierbot.yml")


def repo(tmp_path, config: str | None = None):
    """A small repository: pages, an index, a README, the template, a non-page."""
    library = tmp_path / "docs" / "pattern-library"
    files = {
        "resilience/circuit-breaker.md": page(GOLD),
        "scaling/chunking.md": page(SILVER),
        "index.md": "# Patterns\n",
        "resilience/README.md": "# Resilience\n",
        "pattern-template-v2.md": page(GOLD, {"excellence_tier": "gold|silver|bronze"}),
        "notes.txt": "not a page",
        ".drafts/hidden.md": "no front matter",
    }
    for name, text in files.items():
        (library / name).parent.mkdir(parents=True, exist_ok=True)
        (library / name).write_text(text)
    (tmp_path / "docs" / "architects-handbook.md").write_text("# Not a pattern\n")
    if config is not None:
        (tmp_path / ".github").mkdir()
        (tmp_path / ".github" / "tierbot.yml").write_text(config)
    return tmp_path


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = cli.main(["check", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else {"err": err})


def paths(result: dict) -> list[str]:
    return [entry["path"] for entry in result["files"]]


@pytest.mark.parametrize(
    "argument",
    ["", "docs", "docs/pattern-library", "{root}"],
    ids=["cwd", "docs", "library", "absolute"],
)
def test_directory_argument_walks_the_configured_globs(tmp_path, monkeypatch, capsys, argument):
    root = repo(tmp_path)
    monkeypatch.chdir(root)
    argv = [argument.format(root=root)] if argument else []
    code, result = run_json(capsys, *argv)
    assert code == 0
    assert paths(result) == [
        "docs/pattern-library/resilience/circuit-breaker.md",
        "docs/pattern-library/scaling/chunking.md",
    ]


def test_files_named_explicitly_are_checked_even_when_excluded(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(repo(tmp_path))
    named = ["docs/pattern-library/index.md", "docs/pattern-library/pattern-template-v2.md"]
    code, result = run_json(capsys, *named)
    assert code == 1
    assert paths(result) == named
    assert [f["rule"] for f in result["files"][0]["findings"]] == ["front-matter"]
    assert "tier-invalid" in [f["rule"] for f in result["files"][1]["findings"]]


def test_repository_config_is_used_for_globs_rules_and_severity(tmp_path, monkeypatch, capsys):
    config = """\
include: ["docs/**/*.md"]
exclude: ["**/scaling/**"]
rules: policy.yml
severity: {tier-banner: error}
"""
    root = repo(tmp_path, config)
    extra = "\n  - {id: needs-tagline, severity: notice, check: required, field: tagline,"
    extra += " message: No tagline., checklist: Add a tagline.}\n"
    (root / "policy.yml").write_text(default_rules_path().read_text(encoding="utf-8") + extra)
    (root / "docs/pattern-library/resilience/circuit-breaker.md").write_text(
        page(GOLD, text=body(BANNERS["silver"]))
    )
    monkeypatch.chdir(root)
    code, result = run_json(capsys, "docs")
    assert paths(result) == [  # `exclude` replaces the default list
        "docs/architects-handbook.md",
        "docs/pattern-library/index.md",
        "docs/pattern-library/pattern-template-v2.md",
        "docs/pattern-library/resilience/README.md",
        "docs/pattern-library/resilience/circuit-breaker.md",
    ]
    assert code == 1
    assert [(s["path"], s["reason"], s["detail"]) for s in result["skipped"]] == [
        ("docs/pattern-library/scaling/chunking.md", "exclude", "**/scaling/**")
    ]
    breaker = result["files"][-1]["findings"]
    assert [(f["rule"], f["severity"]) for f in breaker] == [  # in line order
        ("needs-tagline", "notice"),
        ("tier-banner", "error"),
    ]


@pytest.mark.parametrize(
    "config, fragment",
    [
        ("includes: [docs/**/*.md]\n", "`includes`"),
        ("quarterly:\n  health:\n    max_requests: 3\n", "`quarterly.health.max_requests`"),
        ("rules: missing.yml\n", "missing.yml"),
    ],
)
def test_bad_repository_config_exits_2(tmp_path, monkeypatch, capsys, config, fragment):
    monkeypatch.chdir(repo(tmp_path, config))
    assert cli.main(["check", "docs"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("tierbot: error: ") and fragment in err


def test_explicit_config_file_and_a_missing_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(repo(tmp_path))
    (tmp_path / "strict.yml").write_text("severity: {key-spelling: error}\nfail_on: never\n")
    assert cli.main(["check", "--config", "strict.yml", "docs"]) == 2
    assert "`fail_on`" in capsys.readouterr().err
    assert cli.main(["check", "--config", "absent.yml", "docs"]) == 2
    assert "absent.yml" in capsys.readouterr().err


def test_unknown_rule_id_under_severity_is_a_config_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(repo(tmp_path, "severity:\n  tier-bannr: 'off'\n"))
    assert cli.main(["check", "docs"]) == 2
    err = capsys.readouterr().err
    assert "severity" in err and "`tier-bannr`" in err


def test_anchored_exclude_holds_with_a_double_star_include(tmp_path, monkeypatch, capsys):
    root = repo(tmp_path, 'include: ["**/*.md"]\nexclude: ["docs/pattern-library/scaling/**"]\n')
    monkeypatch.chdir(root)
    _, result = run_json(capsys, ".")
    assert "docs/pattern-library/scaling/chunking.md" not in paths(result)


def test_quarterly_enabled_is_off_unless_set() -> None:
    assert Config().quarterly.enabled is False
    assert parse_config("quarterly:\n  enabled: true\n").quarterly.enabled is True
    with pytest.raises(ConfigError, match=r"quarterly\.enabled"):
        parse_config("quarterly:\n  enabled: sometimes\n")
