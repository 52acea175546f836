"""`tierbot schema` on the real DStudio corpus: the JSON Schema and `tierbot check` give every
page the same verdict, rule by rule, for each rule the schema can say. Skips without it."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator
from support.front_schema import failing_rules, rule_titles

from bot.adapters.files import load_settings
from bot.cli import main as cli
from bot.core.documents import parse_document


def tierbot_json(capsys, *argv: str) -> dict:
    cli.main(list(argv))
    return json.loads(capsys.readouterr().out)


def test_the_schema_agrees_with_check_on_every_corpus_page(corpus, capsys, monkeypatch):
    monkeypatch.chdir(corpus)
    schema = tierbot_json(capsys, "schema", "--all", "--format", "json")
    Draft202012Validator.check_schema(schema)
    expressed = rule_titles(schema)
    # Every rule in force is said by the schema or named in its description, never dropped.
    for rule in load_settings(None, None).policy.rules:
        assert rule.id in expressed or f"`{rule.id}`" in schema["description"], rule.id
    checked = tierbot_json(capsys, "check", "--format", "json", "docs/pattern-library")
    compared, failed = 0, set()
    for page in checked["files"]:
        found = {finding["rule"] for finding in page["findings"]}
        if "front-matter" in found:
            continue  # no front matter to validate
        document = parse_document(page["path"], Path(page["path"]).read_bytes())
        by_schema = failing_rules(schema, dict(document.meta or {}))
        assert by_schema == found & expressed, page["path"]
        compared += 1
        failed |= by_schema
    assert compared > 100  # the corpus has 116 pattern pages
    # Real disagreements were possible: the corpus fails rules of each tier and of any page.
    assert {"gold-production-checklist", "silver-trade-offs", "tier-missing"} <= failed
