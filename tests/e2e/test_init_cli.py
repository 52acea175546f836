"""`tierbot init`: the files it writes, those it leaves alone, and a rerun that writes nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.cli import main as cli
from bot.core.config import Config
from bot.core.config_file import parse_config
from bot.core.markers import TEMPLATE_END, TEMPLATE_START

WRITTEN = [
    ".github/tierbot.yml",
    ".github/workflows/tierbot.yml",
    ".github/pull_request_template.md",
    ".pre-commit-config.yaml",
]
ROOT = Path(__file__).resolve().parents[2]


def init(capsys, repo: Path, *options: str) -> list[str]:
    assert cli.main(["init", "--repo", str(repo), *options]) == 0
    return capsys.readouterr().out.splitlines()


def snapshot(repo: Path) -> dict[str, bytes]:
    return {str(p.relative_to(repo)): p.read_bytes() for p in repo.rglob("*") if p.is_file()}


def test_an_empty_repository_gets_every_file_and_a_rerun_writes_nothing(tmp_path, capsys):
    out = init(capsys, tmp_path)
    assert out[:4] == [f"{path}: wrote" for path in WRITTEN]
    assert out[4].startswith("Next: commit them.") and len(out) == 7  # the next steps
    config = (tmp_path / ".github/tierbot.yml").read_text(encoding="utf-8")
    assert parse_config(config, "tierbot.yml") == Config()  # every setting commented out
    settings = [line.removeprefix("# ") for line in config.splitlines()[2:]]
    uncommented = "\n".join(line for line in settings if not line.startswith("rules:"))
    assert parse_config(uncommented, "tierbot.yml") == Config()  # ... with its default
    # The workflow is the example the README shows, whose jobs test_init_workflow.py runs.
    workflow = (tmp_path / WRITTEN[1]).read_text(encoding="utf-8")
    assert workflow == (ROOT / "examples/workflows/tierbot.yml").read_text(encoding="utf-8")
    assert list(yaml.safe_load(workflow)["jobs"]) == ["review", "quarterly", "boxes"]
    assert list(tmp_path.glob(".github/workflows/*")) == [tmp_path / WRITTEN[1]]
    template = (tmp_path / WRITTEN[2]).read_text(encoding="utf-8")
    boxes = [line.split("**")[1] for line in template.splitlines() if line.startswith("- [ ]")]
    assert boxes == ["gold", "silver", "bronze"]  # one line per tier
    assert "A gold pattern carries a production checklist." in template  # from the rules
    [hook] = yaml.safe_load((tmp_path / WRITTEN[3]).read_text())["repos"][0]["hooks"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook == {"id": "tierbot"} and "tierbot" in {h["id"] for h in hooks}  # a real hook
    before = snapshot(tmp_path)
    assert init(capsys, tmp_path) == [f"{path}: up to date" for path in WRITTEN]
    assert snapshot(tmp_path) == before


def test_existing_files_are_left_and_the_template_gains_a_marked_block(tmp_path, capsys):
    mine = {
        ".github/workflows/tierbot.yml": "name: mine\n",
        ".pre-commit-config.yaml": "repos: []\n",
        ".github/pull_request_template.md": "## What changed\n",
    }
    for path, text in mine.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    assert init(capsys, tmp_path, "--dry-run") == [
        ".github/tierbot.yml: would write",
        ".github/workflows/tierbot.yml: exists, left as it is (--force replaces it)",
        ".github/pull_request_template.md: would update",
        ".pre-commit-config.yaml: exists, left as it is (--force replaces it)",
    ]  # and no next steps: nothing was written
    assert snapshot(tmp_path) == {path: text.encode() for path, text in mine.items()}
    out = init(capsys, tmp_path)
    assert ".github/pull_request_template.md: merged into" in out
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert (tmp_path / ".github/workflows/tierbot.yml").read_text() == "name: mine\n"
    template = (tmp_path / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert template.startswith("## What changed\n\n" + TEMPLATE_START)
    assert template.endswith(TEMPLATE_END + "\n")
    before = snapshot(tmp_path)
    assert init(capsys, tmp_path) == [  # a rerun: nothing written, no next steps
        ".github/tierbot.yml: up to date",
        ".github/workflows/tierbot.yml: exists, left as it is (--force replaces it)",
        ".github/pull_request_template.md: up to date",
        ".pre-commit-config.yaml: exists, left as it is (--force replaces it)",
    ]
    assert snapshot(tmp_path) == before
    assert ".pre-commit-config.yaml: replaced" in init(capsys, tmp_path, "--force")
    assert "tierbot/tierbot" in (tmp_path / ".pre-commit-config.yaml").read_text()
    assert template == (tmp_path / ".github/pull_request_template.md").read_text()


@pytest.mark.parametrize(
    "command",
    [
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows"],
        ["zizmor", "--offline", "--min-severity", "medium"],
    ],
    ids=["check-jsonschema", "zizmor"],
)
def test_the_workflows_written_pass_the_validators(tmp_path, capsys, command):
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    init(capsys, tmp_path)
    workflows = sorted(str(p) for p in (tmp_path / ".github/workflows").glob("*.yml"))
    done = subprocess.run([*command, *workflows], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
