"""The pattern pages a branch changed, from git: committed since a base, and in the work tree."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.git import changed_files, git, has_commit, merge_base, remotes, shallow_commits
from bot.core.config import Config
from bot.errors import UsageError


def changed_pages(repo: Path, base: str, head: str | None, config: Config) -> list[str]:
    """The pattern pages (by the config's globs) that ``head`` changed since ``base`` and still
    has, a renamed one at its new path. ``head`` None is the working tree: its changes staged
    or not, and its untracked files (those git does not ignore)."""
    changed = [f.path for f in changed_files(repo, base, head) if f.status != "removed"]
    if head is None:
        listed = git(repo, "ls-files", "--others", "--exclude-standard", "-z")
        changed += listed.decode("utf-8", "surrogateescape").split("\0")
    return sorted({path for path in changed if path and config.is_pattern_page(path)})


def changed_since(where: Path, since: str, config: Config) -> tuple[Path, list[str]]:
    """The top of the checkout that holds ``where``, and the pattern pages its branch changed
    since it left ``since`` (from their merge base: what the pull request shows), with the
    working tree's changes on top. A revision git cannot use is a usage error saying why."""
    try:
        top = Path(git(where, "rev-parse", "--show-toplevel").decode().strip())
    except UsageError:
        raise UsageError(f"{where.resolve()} is not in a git checkout") from None
    if not has_commit(top, since):
        raise UsageError(f"no revision `{since}` in {top}: {_how_to_fetch(top, since)}")
    try:
        base = merge_base(top, since, "HEAD")
    except UsageError:
        why = (
            "the checkout is shallow: fetch the history that joins them (`git fetch --unshallow`)"
            if shallow_commits(top)
            else "they share no history"
        )
        raise UsageError(f"`{since}` and HEAD have no merge base in {top}: {why}") from None
    return top, changed_pages(top, base, None, config)


def _how_to_fetch(top: Path, since: str) -> str:
    """How to get ``since`` into the checkout: a remote branch is fetched, else named so."""
    remote, _, branch = since.partition("/")
    if branch and remote in {*remotes(top), "origin"}:
        return f"fetch it first (`git fetch {remote} {branch}`)"
    return (
        f"name a branch or commit the checkout has (`git branch --all` lists them); "
        f"`git fetch origin {since}` fetches GitHub's `{since}` as `origin/{since}`"
    )
