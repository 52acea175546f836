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
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import events, wheelhouse
from support.action_runner import ActionRun, CompositeAction, Uses, UsesHandler, parse_output_file
from support.fake_github import FileChange
from support.git_repo import EXAMPLES, GitRepo
from uv import find_uv_bin

from bot.action import run as bot_action
from bot.adapters import git as gitsource
from bot.core.markers import REVIEW as REVIEW_MARKER

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
    # Inputs reach the scripts through `env:` only: an expression in a script is injectable.
    assert not [step for step in action.steps if "${{" in step.get("run", "")]
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


def test_install_step_puts_the_wheel_in_a_private_environment(installed: Installed) -> None:
    assert [step.returncode for step in installed.install.steps] == [0, 0], installed.install.stderr
    site = subprocess.run(
        [installed.python, "-I", "-c", "import bot; print(bot.__file__)"],
        cwd=installed.action_path.parent / "workspace",  # holds decoy `bot` and `pip` packages
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    environment = installed.python.parent.parent
    assert environment.parent == installed.action_path.parent  # under RUNNER_TEMP
    assert Path(site).is_relative_to(environment), site  # not the source
    assert (Path(site).parent / "_rules" / "dstudio.yml").is_file()  # the bundled policy
    [record] = Path(site).parents[1].glob("tierbot-*.dist-info/direct_url.json")
    assert json.loads(record.read_text())["url"] == installed.action_path.as_uri()
    assert installed.test_site_unchanged  # the test environment was not touched


def test_the_action_installs_only_what_it_uses(installed: Installed) -> None:
    listed = subprocess.run(
        [installed.python, "-I", "-c", DISTRIBUTIONS], capture_output=True, text=True, check=True
    ).stdout.split()
    needed = wheelhouse.closure(action_dependencies()[:-1])  # not the build backend
    assert sorted(listed) == sorted([*needed, "tierbot"])
    assert not {"aiohttp", "gidgethub", "prometheus-client", "hatchling"} & set(listed)


def test_the_job_keeps_its_own_python(installed: Installed) -> None:
    """setup-uv puts uv on PATH and names its cache; nothing else reaches the job's steps."""
    assert installed.install.env.keys() == {"UV_CACHE_DIR"}
    assert installed.install.path == (
        str(installed.python.parent.parent.parent / "hostedtoolcache" / "uv"),
    )


def test_the_uv_tested_is_the_uv_pinned(installed: Installed) -> None:
    [setup] = [step for step in installed.action.steps if step.get("id") == "uv"]
    version = subprocess.run([find_uv_bin(), "--version"], capture_output=True, text=True)
    assert version.stdout.split()[1] == setup["with"]["version"]


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
    # The lines are linked in the pull request's repository, at its head.
    assert f"(https://github.com/{REPO}/blob/{library.sha()}/{GOLD_PAGE}#L" in comment.body
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


# --- reruns: what is compared comes from GitHub, not from the event ---------------------------


def test_a_rerun_of_the_same_event_writes_nothing(run_action, fake_github, library) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)  # no labels: the pull request as it opened
    first = run_action("pull_request", payload, library.path)
    assert first.returncode == 1, first.stderr
    number = payload["number"]
    assert [(w.method, w.path) for w in fake_github.state.landed_writes()] == [
        ("POST", f"/repos/{REPO}/issues/{number}/comments"),
        ("POST", f"/repos/{REPO}/labels"),
        ("POST", f"/repos/{REPO}/labels"),
        ("POST", f"/repos/{REPO}/issues/{number}/labels"),
    ]
    fake_github.state.clear_log()

    again = run_action("pull_request", payload, library.path)  # "Re-run jobs": the same event

    assert again.returncode == 1, again.stderr
    assert fake_github.state.writes() == []
    assert again.outputs == first.outputs and again.annotations() == first.annotations()
    # The pull request, its comments and its labels were read again, not taken from the event.
    assert fake_github.state.requests_to(rf"/pulls/{number}$", "GET")
    assert fake_github.state.requests_to(rf"/issues/{number}/comments$", "GET")


@pytest.mark.parametrize("suggestions", ["true", "false"])
def test_the_fix_of_a_misspelt_key_is_a_suggestion_unless_turned_off(
    run_action, fake_github, library, suggestions: str
) -> None:
    text = library.read(GOLD_PAGE)
    library.commit({GOLD_PAGE: text.replace("\nmodern_examples:", "\nmodern-examples:")})
    payload = open_pull(fake_github, library)

    done = run_action("pull_request", payload, library.path, {"suggestions": suggestions})

    assert done.returncode == 1, done.stderr  # gold without `modern_examples` (as spelt)
    comments = list(fake_github.state.repo(REPO).review_comments.values())
    (sticky,) = [c.body for c in fake_github.state.comments(REPO, payload["number"])]
    if suggestions == "false":
        assert comments == [] and "suggested fix" not in sticky
        return
    assert "suggested fix on line" in sticky
    assert comments, done.stdout + done.stderr
    (comment,) = comments
    line = library.read(GOLD_PAGE).splitlines().index("modern-examples:") + 1
    assert (comment["path"], comment["line"]) == (GOLD_PAGE, line)
    assert "```suggestion\nmodern_examples:\n```" in comment["body"]
    assert "1 suggested fix(es): https://github.com/" in done.stdout
    fake_github.state.clear_log()
    again = run_action("pull_request", payload, library.path, {"suggestions": suggestions})
    assert again.returncode == 1 and fake_github.state.writes() == []


def test_a_run_for_a_head_the_pull_request_left_writes_nothing(
    run_action, fake_github, library
) -> None:
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)
    silver = library.read(SILVER_PAGE).replace("\n---\n", "\n---\n\nEdited.\n", 1)
    newer = library.commit({SILVER_PAGE: silver}, message="a newer push")
    fake_github.state.issue(REPO, payload["number"]).pull.head_sha = newer

    run = run_action("pull_request", payload, library.path)  # the older head's run, re-run

    assert run.returncode == 0, run.stderr
    assert fake_github.state.writes() == []
    [(_, properties, message)] = run.annotations("notice")
    assert properties["title"] == "tierbot: not reviewed"
    assert message.startswith(
        f"The pull request's head is {newer} now, not {library.sha('HEAD~1')}"
    )
    assert run.outputs["conclusion"] == "neutral" and run.outputs["comment-url"] == ""
    assert "wrote nothing" in run.summary


def test_labels_the_repository_has_are_not_created_again(run_action, fake_github, library) -> None:
    fake_github.state.add_label(REPO, "tier: gold", "FFD700")  # made for an earlier pull request
    library.commit({GOLD_PAGE: break_gold(library.read(GOLD_PAGE))}, message="break gold")
    payload = open_pull(fake_github, library)

    run = run_action("pull_request", payload, library.path)

    assert run.returncode == 1, run.stderr
    state = fake_github.state
    answered = list(zip(state.log, state.response_statuses, strict=True))
    created = sorted(status for r, status in answered if r.path == f"/repos/{REPO}/labels")
    # GitHub's 422 `already_exists` for "tier: gold" is as good as made: not retried.
    assert created == [201, 422]
    assert state.label_names(REPO) == ["needs: tier-metadata", "tier: gold"]
    assert set(state.issue_labels(REPO, payload["number"])) == {
        "tier: gold",
        "needs: tier-metadata",
    }


def test_a_shallow_checkout_is_reviewed_through_the_api(run_action, fake_github, tmp_path) -> None:
    """`actions/checkout`'s default: one merge commit, neither the base nor the head."""
    state = fake_github.state
    page = (EXAMPLES / GOLD_PAGE).read_text(encoding="utf-8")
    base = state.add_commit(REPO, {GOLD_PAGE: page}, branch="main")
    head = state.add_commit(REPO, {GOLD_PAGE: break_gold(page)}, parent=base, branch="feature")
    number = state.add_pull(REPO, base, head)
    checkout = GitRepo(tmp_path / "workspace")
    checkout.commit({"README.md": "the merge commit\n"}, message="merge")

    run = run_action("pull_request", events.pull_request(REPO, number, base, head), checkout.path)

    assert run.returncode == 1, run.stderr
    assert [p["title"] for _, p, _ in run.annotations("error")] == ["gold-modern-examples"]
    assert state.requests_to(rf"/compare/{base}\.\.\.{head}$")  # the merge base, asked of GitHub
    assert len(state.comments(REPO, number)) == 1
    state.clear_log()
    again = run_action("pull_request", events.pull_request(REPO, number, base, head), checkout.path)
    assert again.returncode == 1 and state.writes() == []


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
