"""`action.yml` run as the GitHub runner runs it: real bash steps, a real wheel, a fake GitHub.

The `uses: actions/setup-python` step is simulated by a throwaway virtualenv made from the base
interpreter, which sees this test environment's site-packages through a `.pth` path line (so pip,
hatchling and tierbot's dependencies import without a network); the real "Install tierbot" step
then builds and installs tierbot from a clean copy of the repository into that virtualenv.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import events
from support.action_runner import ActionRun, CompositeAction, parse_output_file
from support.git_repo import EXAMPLES, GitRepo

from bot.action import run as bot_action
from bot.core.markers import REVIEW as REVIEW_MARKER

ROOT = Path(__file__).resolve().parents[2]
REPO = "octo-org/pattern-library"
TOKEN = "ghs_actiontoken0000000000000000000000"
INSTALL_STEP = "Install tierbot"
GOLD_PAGE = "docs/pattern-library/resilience/circuit-breaker.md"
SILVER_PAGE = "docs/pattern-library/data-management/event-sourcing.md"
CONTENT_READS = re.compile(r"/contents/|/git/(blobs|trees)/|/graphql$|/pulls/\d+(/files)?$")
DECOY = 'raise SystemExit("decoy: code from the reviewed checkout ran")\n'
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", "*.egg-info", ".*_cache", "build", "dist"
)


def break_gold(text: str) -> str:
    """Empty a gold page's `modern_examples`: one new error, `gold-modern-examples`."""
    assert "\nmodern_examples:\n" in text
    return text.replace("\nmodern_examples:\n", "\nmodern_examples: []\nold_examples:\n")


def plant_decoys(directory: Path) -> None:
    """Untracked `bot` and `pip` packages: `python -m` from here must not pick them up."""
    for package in ("bot", "pip"):
        (directory / package).mkdir()
        (directory / package / "__init__.py").write_text(DECOY)
        (directory / package / "__main__.py").write_text(DECOY)


# --- the action, installed once per session ------------------------------------------------


@dataclass
class Installed:
    action: CompositeAction
    python: Path  # the simulated setup-python's interpreter
    action_path: Path
    env: dict[str, str]
    install: ActionRun
    test_site_unchanged: bool

    def uses(self) -> dict[str, Callable[[Mapping[str, str]], dict[str, str]]]:
        return {"actions/setup-python": setup_python(self.python)}


def setup_python(python: Path) -> Callable[[Mapping[str, str]], dict[str, str]]:
    """The simulated `actions/setup-python` step: its outputs."""

    def step(arguments: Mapping[str, str]) -> dict[str, str]:
        assert arguments["update-environment"] == "false"  # the job's own Python stays
        return {"python-path": str(python), "python-version": arguments["python-version"]}

    return step


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("runner")
    action_path = base / "action"
    shutil.copytree(ROOT, action_path, ignore=IGNORED)
    interpreter = getattr(sys, "_base_executable", None) or sys.executable
    venv = base / "toolcache" / "python"
    subprocess.run([interpreter, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    test_site = sysconfig.get_paths()["purelib"]
    Path(purelib, "test-environment.pth").write_text(test_site + "\n")
    test_path = str(Path(sys.executable).parent)
    env = {
        "PATH": os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != test_path),
        "HOME": str(base / "home"),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_CACHE_DIR": "1",
    }
    workspace = base / "workspace"
    workspace.mkdir()
    plant_decoys(workspace)
    action = CompositeAction(action_path / "action.yml")
    before = sorted(os.listdir(test_site))
    install = action.run(
        with_={},
        github={"token": TOKEN, "action_path": str(action_path)},
        env={
            **env,
            "PIP_NO_INDEX": "1",
            # pip reads PIP_NO_<X> as the value of option <X>: "0" is `--no-build-isolation`
            # (pypa/pip#5735); hatchling comes from the test environment.
            "PIP_NO_BUILD_ISOLATION": "0",
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_WORKSPACE": str(workspace),
        },
        workspace=workspace,
        runner_temp=base,
        uses={"actions/setup-python": setup_python(python)},
        steps=lambda step: step.get("id") != "tierbot",
    )
    unchanged = sorted(os.listdir(test_site)) == before
    return Installed(action, python, action_path, env, install, unchanged)


@pytest.fixture
def run_action(installed: Installed, fake_github, tmp_path: Path):
    """``run_action(event_name, payload, workspace, inputs)``: the steps after the install."""
    fake_github.state.valid_tokens = {TOKEN}
    fake_github.state.add_repo(REPO)  # tests open pull requests as they need them

    def run(
        event_name: str, payload: dict, workspace: Path, inputs: dict[str, str] | None = None
    ) -> ActionRun:
        event_path = tmp_path / "event.json"
        event_path.write_text(json.dumps(payload))
        runner_temp = tmp_path / "runner-temp"
        runner_temp.mkdir(exist_ok=True)
        github = {"token": TOKEN, "action_path": str(installed.action_path)}
        env = {
            **installed.env,
            "GITHUB_ACTION_PATH": str(installed.action_path),
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": fake_github.url,
            "GITHUB_GRAPHQL_URL": fake_github.graphql_url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_WORKSPACE": str(workspace),
        }
        return installed.action.run(
            with_=inputs or {},
            github=github,
            env=env,
            workspace=workspace,
            runner_temp=runner_temp,
            uses=installed.uses(),
            steps=lambda step: step.get("name") != INSTALL_STEP,
        )

    return run


def make_library(path: Path, files: dict[str, str] | None = None) -> GitRepo:
    """The example library under docs/ (plus ``files``) on `main`; `feature` checked out."""
    repo = GitRepo(path)
    repo.copy_tree(EXAMPLES / "docs", "docs")
    repo.commit(files, message="the pattern library")
    repo.switch("feature", create=True)
    plant_decoys(repo.path)
    return repo


@pytest.fixture
def library(tmp_path: Path) -> GitRepo:
    return make_library(tmp_path / "workspace")


def open_pull(fake_github, library: GitRepo, labels: tuple[str, ...] = ()) -> dict:
    """The fake's pull request for main..HEAD, and its `pull_request` event."""
    base, head = library.sha("main"), library.sha()
    number = fake_github.state.add_pull(REPO, base, head, files=[], labels=labels)
    return events.pull_request(REPO, number, base, head, labels=labels)


# --- action.yml as data --------------------------------------------------------------------


def test_every_input_is_documented_quoted_and_used() -> None:
    action = CompositeAction(ROOT / "action.yml")
    inputs, steps_text = action.data["inputs"], json.dumps(action.steps)
    for name, spec in inputs.items():
        assert spec.get("description"), name
        assert isinstance(spec.get("default"), str), name
        assert re.search(rf'^  {name}:\n(    .*\n)*?    default: "[^"\n]*"$', action.text, re.M), (
            f"input {name}: the default is not a quoted string"
        )
        assert re.search(rf"\$\{{\{{ inputs\.{name} \}}\}}", steps_text), f"{name} is unused"
    assert set(re.findall(r"inputs\.([\w-]+)", steps_text)) <= set(inputs)
    # `bot.action.Inputs` reads exactly what the Run step hands over, one variable per input.
    run_step = next(step for step in action.steps if step.get("id") == "tierbot")
    handed = {f"TIERBOT_{n.upper().replace('-', '_')}" for n in inputs if n != "python-version"}
    assert set(run_step["env"]) == handed | {"TIERBOT_PYTHON"}
    for name, spec in action.data["outputs"].items():
        assert spec["description"] and spec["value"] == f"${{{{ steps.tierbot.outputs.{name} }}}}"


def test_write_outputs_round_trips_through_the_runner_syntax(tmp_path: Path) -> None:
    path = tmp_path / "output"
    path.write_text("earlier=1\n")
    values = {"plain": "a=b c", "empty": "", "lines": "first\nsecond\n\nlast"}
    bot_action.write_outputs(str(path), values)
    assert parse_output_file(path.read_text()) == {"earlier": "1", **values}


# --- installing -----------------------------------------------------------------------------


def test_install_step_puts_the_wheel_in_the_private_python(installed: Installed) -> None:
    assert [step.returncode for step in installed.install.steps] == [0, 0], installed.install.stderr
    site = subprocess.run(
        [installed.python, "-I", "-c", "import bot; print(bot.__file__)"],
        cwd=installed.action_path.parent / "workspace",  # holds decoy `bot` and `pip` packages
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(site).is_relative_to(installed.python.parent.parent), site  # not the source
    assert (Path(site).parent / "_rules" / "dstudio.yml").is_file()  # the bundled policy
    [record] = Path(site).parents[1].glob("tierbot-*.dist-info/direct_url.json")
    assert json.loads(record.read_text())["url"] == installed.action_path.as_uri()
    assert installed.test_site_unchanged  # the test environment was not touched


# --- pull requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_on", "status", "conclusion"), [("", 1, "failure"), ("never", 0, "neutral")]
)
def test_pull_request_review_from_the_checkout(
    run_action, fake_github, library: GitRepo, fail_on: str, status: int, conclusion: str
) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library, labels=("documentation", "tier: bronze"))
    number = payload["number"]

    run = run_action("pull_request", payload, library.path, {"fail-on": fail_on})

    assert run.returncode == status, run.stderr
    assert "decoy" not in run.stderr
    [comment] = fake_github.state.comments(REPO, number)
    assert REVIEW_MARKER in comment.body and "gold-modern-examples" in comment.body
    assert comment.user == "github-actions[bot]"
    assert set(fake_github.state.issue_labels(REPO, number)) == {
        "documentation",  # not tierbot's: left alone
        "tier: gold",
        "needs: tier-metadata",
    }  # and the stale "tier: bronze" removed
    assert run.outputs == {
        "conclusion": conclusion,
        "tiers": "gold",
        "new-errors": "1",
        "errors": "1",
        "warnings": "0",
        "comment-url": f"https://github.com/{REPO}/pull/{number}#issuecomment-{comment.id}",
        "issue-url": "",
    }
    assert GOLD_PAGE in run.summary and "gold-modern-examples" in run.summary
    [(level, properties, _)] = run.annotations()
    assert (level, properties["file"], properties["title"]) == (
        "error",
        GOLD_PAGE,
        "gold-modern-examples",
    )
    # Both commits are in the checkout: pages, config and rules never come through the API.
    assert not [r for r in fake_github.state.log if CONTENT_READS.search(r.path)]


def test_read_only_token_still_reports_everything(run_action, fake_github, library) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)
    fake_github.state.read_only = True  # a fork's pull request under `pull_request`

    run = run_action("pull_request", payload, library.path)

    assert run.returncode == 1  # the findings decide, not the failed writes
    assert fake_github.state.comments(REPO, payload["number"]) == []
    assert fake_github.state.writes() and not fake_github.state.landed_writes()
    notices = [message for level, _, message in run.annotations("notice")]
    assert any("cannot write" in text and "pull_request_target" in text for text in notices)
    assert "gold-modern-examples" in run.summary and "cannot write" in run.summary
    assert [p["title"] for _, p, _ in run.annotations("error")] == ["gold-modern-examples"]
    assert run.outputs["comment-url"] == "" and run.outputs["new-errors"] == "1"


def test_at_most_ten_error_annotations(run_action, fake_github, library) -> None:
    pages = {
        f"docs/pattern-library/new/page-{n:02}.md": f"---\ntitle: P{n}\n---\n" for n in range(25)
    }
    library.commit(pages, message="25 pages without a tier")
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path, {"comment": "false", "labels": "false"})

    assert run.returncode == 1
    assert run.outputs["new-errors"] == "25"
    assert len(run.annotations("error")) == 10
    assert "15 more findings are not annotated" in run.summary
    assert all(f"page-{n:02}.md" in run.summary for n in range(25))  # the summary has them all
    assert not fake_github.state.writes()


def test_boolean_inputs_are_strict(run_action, fake_github, library) -> None:
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path, {"comment": "yes"})

    assert run.returncode == 2
    assert "input `comment` must be `true` or `false`" in run.stderr
    assert not fake_github.state.log


def test_config_from_base_and_dry_run(run_action, fake_github, tmp_path) -> None:
    config = ".github/tierbot.yml"
    library = make_library(tmp_path / "workspace", {config: "fail-on: errors\n"})
    untiered = "docs/pattern-library/scaling/auto-scaling.md"  # tier-missing, already on main
    edited = library.read(untiered) + "\nEdited.\n"
    library.commit({untiered: edited, config: "fail-on: never\n"}, message="edit; relax")
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path, {"dry-run": "true"})

    assert run.returncode == 1  # `fail-on: errors` from the base; the head's `never` is ignored
    assert [(p["file"], p["title"]) for _, p, _ in run.annotations()] == [
        (untiered, "tier-missing")
    ]
    assert not fake_github.state.writes()
    assert "Dry run: 1 write(s) not made:\n  CreateComment(issue_number=1," in run.stderr


# --- pushes and schedules --------------------------------------------------------------------


def test_push_checks_the_pages_it_changed(run_action, fake_github, library) -> None:
    before = library.sha()
    silver = library.read(SILVER_PAGE).replace("\n---\n", "\n---\n\nEdited.\n", 1)
    after = library.commit(
        {GOLD_PAGE: break_gold(library.read(GOLD_PAGE)), SILVER_PAGE: silver}, message="push"
    )

    run = run_action("push", events.push(REPO, before, after), library.path)

    assert run.returncode == 1, run.stderr
    assert {p["file"] for _, p, _ in run.annotations()} == {GOLD_PAGE}
    assert "2 pages checked: 1 error, 0 warnings" in run.summary  # not the other 15 pages
    assert run.outputs["errors"] == "1" and run.outputs["tiers"] == "gold,silver"
    assert not fake_github.state.log  # a check needs no API at all


def test_mode_check_on_a_pull_request_checks_every_page(run_action, fake_github, library):
    """What the self-test workflow does on this repository's own examples/."""
    before = library.sha()
    silver = library.read(SILVER_PAGE).replace("\n---\n", "\n---\n\nEdited.\n", 1)
    library.commit({SILVER_PAGE: silver}, message="edit one clean page")
    payload = events.pull_request(REPO, 7, library.sha("main"), library.sha(), before=before)

    run = run_action("pull_request", payload, library.path, {"mode": "check", "fail-on": "never"})

    assert run.returncode == 0, run.stderr
    assert "auto-scaling.md" in run.summary  # unchanged, but in the checkout: checked
    assert int(run.outputs["errors"]) > 0 and run.outputs["conclusion"] == "success"
    assert run.outputs["tiers"] == "gold,silver,bronze"
    assert not fake_github.state.log


def test_schedule_runs_the_quarterly_path(run_action, fake_github, library) -> None:
    run = run_action("schedule", events.schedule(), library.path)

    assert run.returncode == 0, run.stderr
    # What the quarterly review does is tested in test_quarterly_publish.py.
    assert "tierbot: Pattern review " in run.stdout


def test_schedule_hands_over_to_the_quarterly_review(tmp_path: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(bot_action, "run_quarterly", lambda *args: calls.append(args) or 7)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(events.schedule()))
    env = {
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_REPOSITORY": REPO,
        "TIERBOT_GITHUB_TOKEN": TOKEN,
        "TIERBOT_QUARTER": "2026-Q4",
    }
    assert bot_action.run(argparse.Namespace(), env) == 7
    [(workspace, quarter, dry_run, *_)] = calls
    assert (workspace, quarter, dry_run) == (tmp_path, "2026-Q4", False)
