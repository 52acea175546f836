"""Real git repositories in a temporary directory, for tests that review a commit range.

    repo = GitRepo(tmp_path / "repo")          # `git init -b main`, an isolated identity
    base = repo.commit({"docs/a.md": "..."})   # write (None deletes) and commit; its SHA
    repo.switch("feature", create=True)
    repo.move("docs/a.md", "docs/archive/a.md")
    head = repo.commit(message="archive a")

Git runs with no global or system config, so the user's settings (signing, hooks, default
branch) cannot leak in; commit dates are fixed, so the same steps give the same SHAs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dstudio-9a0cc0b2"

_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
}


class GitRepo:
    """A working tree with helpers to write, move, delete and commit files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str, date: str | None = None) -> str:
        dated = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
        done = subprocess.run(
            ["git", "-C", str(self.path), *args],
            env={**os.environ, **_ENV, **dated},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write files (None deletes one) into the working tree."""
        for name, content in files.items():
            target = self.path / name
            if content is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                content = content.encode("utf-8")
            target.write_bytes(content)

    def read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def copy_tree(self, source: Path, into: str = "") -> list[str]:
        """Copy every file under ``source`` to ``into``; the repository paths written."""
        written = []
        for file in sorted(p for p in source.rglob("*") if p.is_file()):
            name = f"{into}/{file.relative_to(source).as_posix()}".lstrip("/")
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, self.path / name)
            written.append(name)
        return written

    def move(self, source: str, target: str) -> None:
        (self.path / target).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", source, target)

    def commit(
        self,
        files: Mapping[str, str | bytes | None] | None = None,
        message: str = "change",
        *,
        date: str | None = None,
    ) -> str:
        """Write ``files``, stage everything and commit (at ``date``, ISO 8601, else the fixed
        date); the new commit's SHA."""
        self.write(files or {})
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "--no-verify", "-m", message, date=date)
        return self.sha()

    def switch(self, branch: str, *, create: bool = False, start: str = "HEAD") -> None:
        self.git("switch", "--quiet", *(["-c", branch, start] if create else [branch]))

    def sha(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", f"{ref}^{{commit}}")

    def files_at(self, ref: str = "HEAD") -> dict[str, bytes]:
        """Every file at ``ref`` with its contents (to seed a fake GitHub with the same tree)."""
        names = self.git("ls-tree", "-r", "-z", "--name-only", ref).split("\0")
        return {
            name: subprocess.run(
                ["git", "-C", str(self.path), "show", f"{ref}:{name}"],
                capture_output=True,
                check=True,
            ).stdout
            for name in names
            if name
        }


def example_library(repo: GitRepo) -> GitRepo:
    """The bundled example library committed on `main`, with branch `feature` checked out."""
    repo.copy_tree(EXAMPLES)
    repo.commit(message="the library")
    repo.switch("feature", create=True)
    return repo


EXAMPLE_LIB = "docs/pattern-library"
EXAMPLE_CODEOWNERS = (
    "docs/ @acme/docs\n"
    "/docs/pattern-library/resilience/ @ana\n"
    "/docs/pattern-library/data-management/ @bo\n"
)


def example_year(repo: GitRepo) -> None:
    """The example library, a third of its pages added each of three quarters; then, after
    the tag `2026-Q3`, owners, a budget of six pages, and a page moved to another folder."""
    repo.git("remote", "add", "origin", "https://github.com/acme/patterns.git")
    written = sorted(repo.copy_tree(EXAMPLES))
    for index, day in enumerate(("2026-02-10", "2026-05-12", "2026-08-11")):
        repo.git("add", "--", *written[index::3])
        repo.git("commit", "--quiet", "-m", f"pages {index}", date=f"{day}T12:00:00Z")
    repo.git("tag", "2026-Q3")
    repo.move(
        f"{EXAMPLE_LIB}/resilience/health-check.md", f"{EXAMPLE_LIB}/communication/health-check.md"
    )
    settings = {
        ".github/CODEOWNERS": EXAMPLE_CODEOWNERS,
        ".github/tierbot.yml": "quarterly:\n  budget: 6\n",
    }
    repo.commit(settings, message="owners, a budget", date="2026-10-01T12:00:00Z")


def drop_key(text: str, key: str) -> str:
    """A page's ``text`` without the top-level front-matter ``key`` and its indented lines."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if skipping and (line.startswith((" ", "-")) or not line.strip()):
            continue
        skipping = line.startswith(f"{key}:")
        if not skipping:
            out.append(line)
    return "".join(out)


def set_key(text: str, key: str, value: str) -> str:
    """A page's ``text`` with its top-level ``key: ...`` line replaced."""
    return re.sub(rf"(?m)^{re.escape(key)}:.*$", f"{key}: {value}", text, count=1)
