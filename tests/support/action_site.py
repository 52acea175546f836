"""The Action installed once a session as its `action.yml` says, then run on events.

The `uses: astral-sh/setup-uv` step is simulated (this environment's real uv on PATH, its cache
and outputs as the runner sets them); the real "Install tierbot" step then installs tierbot
from a clean copy of the repository into a private environment, offline, from wheels of this
environment's packages (support/wheelhouse.py). The later steps run against the fake GitHub.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import sysconfig
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from uv import find_uv_bin

from bot.adapters import git as gitsource

from . import events, wheelhouse
from .action_runner import ActionRun, CompositeAction, Uses, UsesHandler
from .fake_github import FileChange
from .git_repo import EXAMPLES, GitRepo
from .workflow_runner import Workflow

ROOT = Path(__file__).resolve().parents[2]
REPO = "octo-org/pattern-library"
TOKEN = "ghs_actiontoken0000000000000000000000"
GOLD_PAGE = "docs/pattern-library/resilience/circuit-breaker.md"
SILVER_PAGE = "docs/pattern-library/data-management/event-sourcing.md"
CONTENT_READS = re.compile(r"/contents/|/git/(blobs|trees)/|/graphql$")
DISTRIBUTIONS = (  # run in the private environment: the names, normalised as in PEP 503
    "import importlib.metadata as m, re; "
    "print(*(re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() for d in m.distributions()))"
)
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
    python: Path  # the install step's interpreter, in the private environment
    action_path: Path
    env: dict[str, str]
    install: ActionRun
    test_site_unchanged: bool
    setup_uv: UsesHandler

    def uses(self) -> dict[str, UsesHandler]:
        return {"astral-sh/setup-uv": self.setup_uv}


def setup_uv(uv: Path, cache: Path, action_path: Path) -> UsesHandler:
    """The simulated `astral-sh/setup-uv` step: `uv` on PATH, its cache, its outputs."""

    def step(arguments: Mapping[str, str]) -> Uses:
        # With `python-version`, setup-uv would set UV_PYTHON for the job's own later steps.
        assert "python-version" not in arguments
        assert arguments["enable-cache"] == "auto"  # off under pull_request_target
        assert arguments["prune-cache"] == "false"  # the wheels stay: the next run is warm
        assert arguments["cache-dependency-glob"] == f"{action_path}/pyproject.toml"
        outputs = {"uv-version": arguments["version"], "uv-path": str(uv), "cache-hit": "true"}
        return Uses(outputs, env={"UV_CACHE_DIR": str(cache)}, path=(str(uv.parent),))

    return step


def action_dependencies() -> list[str]:
    """What installing the action needs: tierbot's own requirements and its build backend."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [*project["project"]["dependencies"], *project["build-system"]["requires"]]


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("runner")
    action_path = base / "action"
    shutil.copytree(ROOT, action_path, ignore=IGNORED)
    tools = base / "hostedtoolcache" / "uv"
    tools.mkdir(parents=True)
    (tools / "uv").symlink_to(find_uv_bin())
    test_site = sysconfig.get_paths()["purelib"]
    test_path = str(Path(sys.executable).parent)
    env = {
        "PATH": os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != test_path),
        "HOME": str(base / "home"),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
    }
    workspace = base / "workspace"
    workspace.mkdir()
    plant_decoys(workspace)
    # The reviewed repository's uv settings must not reach the install (uv fails on this one).
    (workspace / "uv.toml").write_text("decoy: not TOML\n")
    action = CompositeAction(action_path / "action.yml")
    handler = setup_uv(tools / "uv", base / "uv-cache", action_path)
    before = sorted(os.listdir(test_site))
    install = action.run(
        with_={"python-version": f"{sys.version_info.major}.{sys.version_info.minor}"},
        github={"token": TOKEN, "action_path": str(action_path)},
        env={
            **env,
            # No network in tests: the dependencies come from wheels of this environment's.
            "UV_OFFLINE": "1",
            "UV_FIND_LINKS": str(wheelhouse.build(base / "wheels", action_dependencies())),
            "UV_PYTHON_DOWNLOADS": "never",
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_WORKSPACE": str(workspace),
        },
        workspace=workspace,
        runner_temp=base,
        uses={"astral-sh/setup-uv": handler},
        steps=lambda step: step.get("id") != "tierbot",
    )
    unchanged = sorted(os.listdir(test_site)) == before
    python = Path(install.steps[-1].outputs.get("python", "not installed"))
    return Installed(action, python, action_path, env, install, unchanged, handler)


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
            steps=lambda step: step.get("id") != "install",
            step_outputs={"install": installed.install.steps[-1].outputs},
        )

    return run


def checkout(arguments: Mapping[str, str]) -> dict[str, str]:
    """The simulated `actions/checkout`: the test's workspace is the checkout, and it keeps
    no credentials there."""
    assert arguments["persist-credentials"] == "false"
    return {}


@pytest.fixture
def run_workflow(installed: Installed, run_action, tmp_path: Path):
    """``run_workflow(workflow, job, event_name, payload, workspace)``: the job's steps, its
    `uses: tierbot/tierbot` run as this repository's action (as ``run_action`` runs it)."""

    def run(
        workflow: Workflow, job: str, event_name: str, payload: dict, workspace: Path
    ) -> ActionRun:
        def tierbot(arguments: Mapping[str, str]) -> ActionRun:
            return run_action(event_name, payload, workspace, dict(arguments))

        return workflow.run_job(
            job,
            event_name=event_name,
            payload=payload,
            github={"token": TOKEN, "repository": REPO},
            env=installed.env,
            workspace=workspace,
            runner_temp=tmp_path,
            uses={"actions/checkout": checkout, "tierbot/tierbot": tierbot},
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
    """The fake's pull request for main..HEAD (its files as GitHub lists them; their contents
    only in the checkout), and its `pull_request` event."""
    base, head = library.sha("main"), library.sha()
    fork_point = library.git("merge-base", base, head)
    changed = gitsource.changed_files(library.path, fork_point, head)
    files = [
        FileChange(f.path, f.status, f.previous_path, git_patch(library, fork_point, head, f.path))
        for f in changed
    ]
    number = fake_github.state.add_pull(REPO, base, head, files=files, labels=labels)
    return events.pull_request(REPO, number, base, head, labels=labels)


def git_patch(library: GitRepo, base: str, head: str, path: str) -> str:
    """``path``'s diff as GitHub's files list shows it: git's hunks without the file header."""
    diff = library.git("diff", "--no-color", "-U3", base, head, "--", path)
    return diff[diff.find("@@") :] if "@@" in diff else ""
