"""Read a pull request's changes and pages from a local git checkout: no network at all."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from bot.errors import UsageError
from bot.port import ChangedFile

_STATUS = {"A": "added", "M": "modified", "D": "removed", "R": "renamed", "C": "added"}


def git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    """Run git in ``repo``; a failure is a usage error naming the command."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], input=input, capture_output=True, check=True
        )
    except FileNotFoundError:
        raise UsageError("git is not installed") from None
    except subprocess.CalledProcessError as error:
        detail = error.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git {' '.join(args)} failed in {repo}: {detail}") from None
    return done.stdout


def resolve(repo: Path, ref: str) -> str:
    """The commit SHA ``ref`` names."""
    return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()


def has_commit(repo: Path, sha: str) -> bool:
    """Whether the checkout holds ``sha`` (a shallow clone may not)."""
    try:
        resolve(repo, sha)
    except UsageError:
        return False
    return True


def merge_base(repo: Path, base: str, head: str) -> str:
    """Where the pull request's branch left the base: its changes are judged from here."""
    return git(repo, "merge-base", base, head).decode().strip()


def changed_files(repo: Path, base: str, head: str) -> list[ChangedFile]:
    """What ``head`` changed since ``base``, with renames detected as GitHub does."""
    out = git(repo, "diff", "--name-status", "-z", "-M", base, head)
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    files = []
    index = 0
    while index < len(fields) - 1:
        code = fields[index][:1]
        if code in ("R", "C"):
            previous, path = fields[index + 1], fields[index + 2]
            index += 3
        else:
            previous, path = None, fields[index + 1]
            index += 2
        status = _STATUS.get(code, "modified")
        files.append(ChangedFile(path, status, previous if status == "renamed" else None))
    return files


def read_files(repo: Path, ref: str, paths: Iterable[str]) -> dict[str, bytes | None]:
    """The contents of ``paths`` at ``ref`` through one ``git cat-file --batch``."""
    paths = list(dict.fromkeys(paths))
    if not paths:
        return {}
    request = "".join(f"{ref}:{path}\n" for path in paths).encode("utf-8", "surrogateescape")
    out = git(repo, "cat-file", "--batch", input=request)
    contents: dict[str, bytes | None] = {}
    position = 0
    for path in paths:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            contents[path] = out[position : position + size]
            position += size + 1
        else:  # "missing", or not a blob
            contents[path] = None
    return contents
