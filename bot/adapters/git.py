"""A local git checkout as an adapter: it answers the read operations, no network at all.

``GitCheckout`` executes the reads a review or a quarterly run makes (refs, merge bases,
diffs, trees, files) with git, and hands every other operation to the forge it wraps, if
any, so that the same job reviews a local range or a pull request on GitHub.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.adapters.files import library_in
from bot.core.quarterly.model import Library
from bot.errors import NotFound, UsageError
from bot.port.forge import ACTIONS_LOGIN, Forge
from bot.port.operations import (
    CommitAsOf,
    CompareCommits,
    GetMergeBase,
    LastCommitDates,
    ListTree,
    Operation,
    ReadFiles,
    ResolveRef,
)
from bot.port.results import ChangedFile, FileList, Unreadable

_STATUS = {"A": "added", "M": "modified", "D": "removed", "R": "renamed", "C": "added"}
#: Paths and directories given to git are file names, never patterns or `:(magic)`.
LITERAL = ("--literal-pathspecs",)
SYMLINK = "120000"
GIT = "git"
CANNOT_READ = "git cannot read the blob {:.12}: the object is missing or corrupt"


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


def is_checkout(root: Path) -> bool:
    """Whether ``root`` is a git checkout with at least one commit."""
    return (root / ".git").exists() and has_commit(root, "HEAD")


def has_commit(repo: Path, sha: str) -> bool:
    """Whether the checkout holds ``sha`` (a shallow clone may not)."""
    try:
        resolve(repo, sha)
    except UsageError:
        return False
    return True


def remotes(repo: Path) -> list[str]:
    """The names of the checkout's remotes (``origin``, ...)."""
    return git(repo, "remote").decode().split()


def remote_url(repo: Path) -> str | None:
    """Where ``origin`` (else the first remote) fetches from; None without a remote."""
    names = remotes(repo)
    if not names:
        return None
    name = "origin" if "origin" in names else names[0]
    return git(repo, "remote", "get-url", name).decode().strip()


def merge_base(repo: Path, base: str, head: str) -> str:
    """Where the pull request's branch left the base: its changes are judged from here."""
    return git(repo, "merge-base", base, head).decode().strip()


def changed_files(
    repo: Path, base: str, head: str | None, directories: Iterable[str] = ()
) -> list[ChangedFile]:
    """What ``head`` (None: the working tree's tracked files) changed since ``base`` (under
    ``directories``, when given: git reads no object elsewhere), with renames detected as
    GitHub does."""
    limit = ("--", *directories) if directories else ()
    heads = (head,) if head is not None else ()
    out = git(repo, *LITERAL, "diff", "--name-status", "-z", "-M", base, *heads, *limit)
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


def list_tree(repo: Path, ref: str) -> tuple[str, ...]:
    """Every blob path at ``ref``."""
    listed = git(repo, "ls-tree", "-r", "-z", "--name-only", ref)
    return tuple(p for p in listed.decode("utf-8", "surrogateescape").split("\0") if p)


def read_files(repo: Path, ref: str, paths: Iterable[str]) -> dict[str, bytes | Unreadable | None]:
    """The contents of ``paths`` at ``ref``: one ``git ls-tree`` says what each path is, one
    ``git cat-file --batch`` reads the files. None where no file is (nothing, a directory);
    Unreadable for a submodule, a symbolic link, or a blob git cannot read."""
    paths = list(dict.fromkeys(paths))
    if not paths:
        return {}
    contents: dict[str, bytes | Unreadable | None] = dict.fromkeys(paths)
    files: dict[str, str] = {}  # path -> blob oid
    for path, (mode, kind, oid) in _entries(repo, ref, paths).items():
        if kind == "commit":
            contents[path] = Unreadable("the path is a submodule", GIT)
        elif mode == SYMLINK:
            contents[path] = Unreadable("the path is a symbolic link", GIT)
        elif kind == "blob":
            files[path] = oid
    blobs = _blobs(repo, files.values())
    for path, oid in files.items():
        found = blobs.get(oid)
        contents[path] = found if found is not None else Unreadable(CANNOT_READ.format(oid), GIT)
    return contents


def _entries(repo: Path, ref: str, paths: list[str]) -> dict[str, tuple[str, str, str]]:
    """``path -> (mode, type, oid)`` of those of ``paths`` that are entries of ``ref``'s tree."""
    out = git(repo, *LITERAL, "ls-tree", "-z", ref, "--", *paths)
    wanted, entries = set(paths), {}
    for line in out.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = line.partition("\t")
        if path in wanted:
            mode, kind, oid = meta.split()
            entries[path] = (mode, kind, oid)
    return entries


def _blobs(repo: Path, oids: Iterable[str]) -> dict[str, bytes]:
    """The blobs git can read, by oid: one ``cat-file --batch``, or one call each when a broken
    object stops the batch (a missing one is only reported "missing")."""
    wanted = list(dict.fromkeys(oids))
    if not wanted:
        return {}
    try:
        out = git(repo, "cat-file", "--batch", input="".join(f"{o}\n" for o in wanted).encode())
    except UsageError:
        return {oid: data for oid in wanted if (data := _blob(repo, oid)) is not None}
    found, position = {}, 0
    for oid in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3:  # "<oid> blob <size>", the blob follows; else "<oid> missing"
            size = int(header[2])
            found[oid] = out[position : position + size]
            position += size + 1
    return found


def _blob(repo: Path, oid: str) -> bytes | None:
    try:
        return git(repo, "cat-file", "blob", oid)
    except UsageError:
        return None


def last_commit_dates(repo: Path, ref: str, paths: Iterable[str]) -> dict[str, datetime | None]:
    """When the newest commit at or before ``ref`` that changed each path was committed.

    One ``git log`` walk for all paths (given on stdin, taken literally), newest first: a
    path's first appearance is its last change. Merges list no files, so a page is dated by
    the commit that changed it rather than by the merge that brought it in. In a shallow
    clone the oldest commit seems to add every file: a path first seen there stays None.
    """
    wanted = list(dict.fromkeys(paths))
    dates: dict[str, datetime | None] = dict.fromkeys(wanted)
    if not wanted:
        return dates
    request = "".join(f"{line}\n" for line in (ref, "--", *wanted))
    out = git(
        repo,
        "--literal-pathspecs",
        "log",
        "--stdin",
        "--format=%x00%H %cI",
        "--name-only",
        "--no-renames",
        "-z",
        input=request.encode("utf-8", "surrogateescape"),
    )
    cut = shallow_commits(repo)
    # -z output: "\0<sha> <date>\0\n<path>\0<path>\0" per commit: a commit follows an empty
    # field, and its first path starts with a newline.
    date: datetime | None = None
    previous = None
    for field in out.decode("utf-8", "surrogateescape").split("\0"):
        if previous == "" and field:
            sha, _, when = field.partition(" ")
            date = None if sha in cut else datetime.fromisoformat(when)
        elif field:
            path = field.removeprefix("\n")
            if path in dates and dates[path] is None:
                dates[path] = date
        previous = field
    return dates


def commit_as_of(repo: Path, ref: str, moment: datetime) -> str | None:
    """The newest commit of ``ref``'s first-parent history committed at or before ``moment``;
    None when the history (as far as the checkout holds it) starts later."""
    iso = moment.isoformat()
    found = git(repo, "rev-list", "-1", "--first-parent", f"--before={iso}", ref).decode().strip()
    return found or None


def shallow_commits(repo: Path) -> frozenset[str]:
    """The commits where a shallow clone's history is cut (none in a full clone)."""
    shallow = Path(
        git(repo, "rev-parse", "--path-format=absolute", "--git-path", "shallow").decode().strip()
    )
    return frozenset(shallow.read_text().split()) if shallow.is_file() else frozenset()


class GitCheckout:
    """Answers the read operations from ``repo``; hands the rest to ``forward`` (a forge).

    Files and trees at a commit the checkout lacks (a shallow clone, an unfetched branch)
    are read through ``forward`` when ``fetch_missing`` allows it, and are otherwise
    ``NotFound``; so is their merge base. Refs and diffs are git's alone: a commit git lacks
    there is a ``UsageError`` naming the git command.
    """

    def __init__(
        self, repo: Path, forward: Forge | None = None, *, fetch_missing: bool = True
    ) -> None:
        self.repo = repo
        self.forward = forward
        self.fetch_missing = fetch_missing
        self._present: set[str] = set()  # commits found in the checkout: they stay there

    @property
    def login(self) -> str:
        return self.forward.login if self.forward is not None else ACTIONS_LOGIN

    def __repr__(self) -> str:
        return f"GitCheckout({str(self.repo)!r}, forward={self.forward!r})"

    def _holds(self, ref: str) -> bool:
        if ref not in self._present and has_commit(self.repo, ref):
            self._present.add(ref)
        return ref in self._present

    def _asked_instead(self, *refs: str) -> Forge | None:
        """The forge that answers for commits the checkout lacks, if fetching is allowed."""
        if self.forward is None or not self.fetch_missing or all(map(self._holds, refs)):
            return None
        return self.forward

    def _dates(self, op: LastCommitDates) -> dict[str, datetime | None]:
        """Git's dates; in a shallow clone, those git cannot tell come from the forge."""
        dates = last_commit_dates(self.repo, op.ref, op.paths)
        unknown = tuple(path for path, date in dates.items() if date is None)
        if unknown and self.forward is not None and self._asks_forge_when_shallow():
            dates.update(self.forward.execute(LastCommitDates(op.ref, unknown)))
        return dates

    def _as_of(self, op: CommitAsOf) -> str | None:
        """Git's answer; in a shallow clone, the forge's when git's history is cut before."""
        found = commit_as_of(self.repo, op.ref, op.moment)
        if found is None and self._asks_forge_when_shallow():
            found = self.forward.execute(op) if self.forward is not None else None
        return found

    def _asks_forge_when_shallow(self) -> bool:
        """Whether what a shallow clone's cut history hides is asked of the forge."""
        return self.forward is not None and self.fetch_missing and bool(shallow_commits(self.repo))

    def execute(self, op: Operation[Any]) -> Any:
        if isinstance(op, ReadFiles | ResolveRef) and op.repository is not None:
            return self._elsewhere(op, op.repository)
        if isinstance(op, GetMergeBase | CompareCommits) and (
            forge := self._asked_instead(op.base, op.head)
        ):
            return forge.execute(op)
        if isinstance(op, ResolveRef | GetMergeBase):
            sha = (
                resolve(self.repo, op.ref)
                if isinstance(op, ResolveRef)
                else merge_base(self.repo, op.base, op.head)
            )
            self._present.add(sha)  # git found it here: no need to ask again
            return sha
        if isinstance(op, CompareCommits):
            return FileList(tuple(changed_files(self.repo, op.base, op.head, op.directories)))
        if isinstance(op, ReadFiles | ListTree | LastCommitDates | CommitAsOf):
            if self._holds(op.ref):
                if isinstance(op, ListTree):
                    return list_tree(self.repo, op.ref)
                if isinstance(op, CommitAsOf):
                    return self._as_of(op)
                if isinstance(op, LastCommitDates):
                    return self._dates(op)
                return read_files(self.repo, op.ref, op.paths)
            if self.forward is None or not self.fetch_missing:
                raise NotFound(f"{op.ref[:12]} is not in the checkout (fetch its history)")
        if self.forward is None:
            raise UsageError(f"{type(op).__name__} needs GitHub; this run reads a checkout only")
        return self.forward.execute(op)

    def _elsewhere(self, op: Operation[Any], repository: str) -> Any:
        """Another repository's files are GitHub's to give: a checkout holds only its own."""
        if self.forward is None:
            raise UsageError(
                f"{type(op).__name__} of {repository} needs GitHub; this run reads "
                f"the checkout {self.repo} only"
            )
        return self.forward.execute(op)


def library_source(
    root: Path, forward: Forge, *, fetch_missing: bool = True
) -> tuple[Forge, Library | None]:
    """How a quarterly run reads ``root``: what executes its reads, and the library if read here.

    A git checkout answers the job's reads at HEAD (and at earlier commits it holds); a
    plain directory is read whole, and only GitHub is asked about earlier commits.
    """
    if not root.is_dir():
        raise UsageError(f"{root}: no such directory")
    if is_checkout(root):
        return GitCheckout(root, forward, fetch_missing=fetch_missing), None
    return forward, library_in(root)
