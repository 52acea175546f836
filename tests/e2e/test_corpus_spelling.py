"""Keys spelt with hyphens on the real DStudio pages (skips without the corpus): each is one
finding whose instruction is the rename and whose fix `tierbot fix` applies, in `tierbot check`
and in the review of a replayed pull request that hyphenates keys on ~100 pages."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from support.git_repo import GitRepo
from support.replays import corpus_library, hyphenate_keys, hyphenated_fields, keys_renamed

from bot.adapters.files import load_policy
from bot.cli.main import main

Findings = dict[str, list[dict]]


def renames(finding: dict) -> bool:
    """The finding's instruction is the rename (then filling in, where the key is empty)."""
    rename = f"Rename `{finding['spelling']}` to `{finding['field']}`."
    return finding["checklist"] in (rename, f"{rename} Then fill it in.")


def misspelt(text: str, fields: frozenset[str]) -> dict[str, str]:
    """The front matter's hyphenated keys that stand for a field in ``fields``, by that field."""
    front = text.split("\n---", 1)[0] if text.startswith("---") else ""
    keys = [line.split(":", 1)[0] for line in front.splitlines()[1:] if line[:1].isalpha()]
    return {k.replace("-", "_"): k for k in keys if "-" in k and k.replace("-", "_") in fields}


def check(capsys: pytest.CaptureFixture[str]) -> Findings:
    main(["check", "--format", "json", "docs"])
    report = json.loads(capsys.readouterr().out)
    return {entry["path"]: entry["findings"] for entry in report["files"]}


@pytest.fixture
def library(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The corpus's pages copied, the fields tierbot reads spelt with hyphens; the pages
    changed. The working directory is the copy."""
    shutil.copytree(corpus / "docs", tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    changed = []
    for page in sorted(Path("docs").rglob("*.md")):
        data, keys = hyphenate_keys(page.read_bytes(), hyphenated_fields())
        if keys:
            page.write_bytes(data)
            changed.append(page.as_posix())
    return changed


def test_each_hyphenated_key_is_one_finding_the_rename_that_tierbot_fix_applies(
    library: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    fields = load_policy().fields
    found = check(capsys)
    said = Counter()
    for path, findings in found.items():
        for field, key in misspelt(Path(path).read_text(encoding="utf-8"), fields).items():
            [finding] = [f for f in findings if f["field"] == field]  # one, of any rule
            assert finding["spelling"] == key and renames(finding), (path, finding)
            said[finding["rule"]] += 1
    print("hyphenated keys, by the rule that says each:", dict(said.most_common()))
    assert said["gold-modern-examples"] > 20 and said["key-spelling"] > 20  # last-updated

    main(["fix", "docs"])
    capsys.readouterr()
    after = check(capsys)
    assert not [f for findings in after.values() for f in findings if f["spelling"]]
    for path in set(library) & after.keys():  # the pages checked (not guides...): spelt right
        assert misspelt(Path(path).read_text(encoding="utf-8"), fields) == {}, path


def test_a_pull_request_hyphenating_keys_on_100_pages_says_each_once_as_a_rename(
    corpus: Path, git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = corpus_library(git_repo)
    replay = keys_renamed(repo)  # like 2a622afc
    assert replay.pages == 100
    main(["review", "--repo", str(repo.path), "--base", "main", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert len(data["files"]) == replay.pages
    spelt = Counter()
    for page in data["files"]:
        at_head = [f for f in page["findings"] if f["state"] in ("new", "existing")]
        per_field = Counter(f["field"] for f in at_head)
        for finding in at_head:
            if finding["spelling"]:
                assert per_field[finding["field"]] == 1, (page["path"], finding)  # no duplicate
                assert renames(finding), (page["path"], finding)
                spelt[finding["rule"], finding["state"]] += 1
            assert finding["rule"] != "key-spelling" or finding["spelling"], finding
    print("spelling findings, by rule and state:", dict(spelt.most_common()))
    assert spelt["gold-modern-examples", "new"] > 20
    assert spelt["key-spelling", "new"] > 20  # last-updated: no rule fails for want of it
