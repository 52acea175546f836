"""How long the Action takes to install itself: action.yml's uv step against the pip install.

Both install tierbot from a fresh copy of this repository (a runner downloads the action anew
for every job, so no wheel built from it can be reused) into a fresh environment, each with a
warm cache of its own in a temporary directory, filled by one untimed run first:

- uv, the way action.yml does it: the "Install tierbot" step's own script, taken from
  action.yml and run with bash as the runner runs it (`uv venv`, then `uv pip install`), with
  the uv version action.yml pins. Timed whole, the virtualenv included.
- pip, the way the previous action.yml did it: `python -I -m pip install --quiet ACTION` into
  a Python that has pip, as `actions/setup-python` gives it. Only the install is timed: the
  Python came from setup-python's cache.

The machine's pip and uv settings (config files, PIP_* and UV_* variables) are left out of
both, as on a runner; packages come from PyPI. When no `uv` of the pinned version is on PATH,
it is installed with pip into a temporary virtualenv first. Runs alternate between the two;
the script prints both medians and uv/pip (goal: at most 0.25).

    python benchmarks/action_setup.py [--runs 5] [--max-ratio 0.25]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", "*.egg-info", ".*_cache", "build", "dist"
)


def action_steps() -> dict[str, dict]:
    steps = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"]
    return {step["id"]: step for step in steps if "id" in step}


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without pip's and uv's settings, as a runner has it (the machine's
    certificate authorities stay: the network may need them)."""
    settings = ("PIP_", "UV_", "VIRTUAL_")
    kept = {k: v for k, v in os.environ.items() if not k.startswith(settings) or k == "PIP_CERT"}
    return kept | {"PIP_CONFIG_FILE": os.devnull} | extra


def find_uv(version: str, scratch: Path) -> Path:
    """A `uv` of ``version``: on PATH, else pip-installed into a virtualenv under ``scratch``."""
    found = shutil.which("uv")
    if found:
        said = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
        if said.split()[1:2] == [version]:
            return Path(found)
    venv = scratch / "uv-tool"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run([*pip, "--quiet", f"uv=={version}"], check=True, env=clean_env())
    return venv / "bin" / "uv"


class Bench:
    """Fresh copies of the action and fresh environments, each install timed."""

    def __init__(self, scratch: Path, uv: Path) -> None:
        self.scratch = scratch
        self.uv = uv
        self.script = action_steps()["install"]["run"]
        self.python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
        self.count = 0

    def _fresh(self) -> Path:
        self.count += 1
        run = self.scratch / f"run-{self.count}"
        shutil.copytree(REPO, run / "action", ignore=IGNORED)
        (run / "temp").mkdir()
        return run

    def uv_install(self) -> float:
        run = self._fresh()
        (run / "output").write_text("")
        env = clean_env(
            TIERBOT_UV=str(self.uv),
            TIERBOT_PYTHON_VERSION=self.python_version,
            UV_CACHE_DIR=str(self.scratch / "uv-cache"),  # what setup-uv sets
            RUNNER_TEMP=str(run / "temp"),
            GITHUB_ACTION_PATH=str(run / "action"),
            GITHUB_OUTPUT=str(run / "output"),
        )
        command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", self.script]
        started = time.perf_counter()
        subprocess.run(command, cwd=run, env=env, check=True)
        return time.perf_counter() - started

    def pip_install(self) -> float:
        run = self._fresh()
        subprocess.run([sys.executable, "-m", "venv", str(run / "python")], check=True)
        python = run / "python" / "bin" / "python"
        command = [str(python), "-I", "-m", "pip", "install", "--disable-pip-version-check"]
        env = clean_env(PIP_CACHE_DIR=str(self.scratch / "pip-cache"))
        started = time.perf_counter()
        subprocess.run([*command, "--quiet", str(run / "action")], cwd=run, env=env, check=True)
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--max-ratio", type=float, help="exit 1 when uv/pip is above this")
    args = parser.parse_args(argv)
    version = action_steps()["uv"]["with"]["version"]
    with tempfile.TemporaryDirectory(prefix="tierbot-action-setup-") as directory:
        scratch = Path(directory)
        bench = Bench(scratch, find_uv(version, scratch))
        bench.uv_install(), bench.pip_install()  # warm both caches
        uv_times, pip_times = [], []
        for _ in range(args.runs):
            uv_times.append(bench.uv_install())
            pip_times.append(bench.pip_install())
    uv_median, pip_median = statistics.median(uv_times), statistics.median(pip_times)
    ratio = uv_median / pip_median
    print(f"Python {bench.python_version}, {args.runs} runs each, warm caches, fresh environments")
    print(f"pip install (previous action.yml): median {pip_median:6.2f} s  {_all(pip_times)}")
    print(f"uv {version} (action.yml):           median {uv_median:6.2f} s  {_all(uv_times)}")
    print(f"uv / pip: {ratio:.3f} (goal: at most 0.25)")
    return 1 if args.max_ratio is not None and ratio > args.max_ratio else 0


def _all(times: list[float]) -> str:
    return "(" + ", ".join(f"{t:.2f}" for t in times) + ")"


if __name__ == "__main__":
    sys.exit(main())
