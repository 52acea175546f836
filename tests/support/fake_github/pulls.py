"""Handlers for pull requests, their changed files, and comparing two commits."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from .call import Call
from .commits import commit_shape
from .errors import DOCS, ApiError, error_response, not_found
from .records import FileChange, PullInfo, RepoRecord

MAX_PULL_FILES = 3000  # GitHub lists at most this many files of a pull request
MAX_COMPARE_FILES = 300  # and of a comparison of two commits


def get_pull(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = repo.issues.get(call.number())
    if issue is None or issue.pull is None:
        raise not_found(DOCS + "/pulls/pulls#get-a-pull-request")
    return web.json_response(call.shapes.pull(repo, issue))


def list_pull_files(call: Call) -> web.StreamResponse:
    repo = call.repo()
    issue = repo.issues.get(call.number())
    if issue is None or issue.pull is None:
        raise not_found(DOCS + "/pulls/pulls#list-pull-requests-files")
    pull = issue.pull
    return call.paginate(
        pull.files[:MAX_PULL_FILES],
        cap=MAX_PULL_FILES,
        shape=lambda change: call.shapes.pull_file(repo, pull, change),
    )


def _first_parents(repo: RepoRecord, sha: str | None) -> Iterable[str]:
    while sha is not None:
        yield sha
        sha = repo.parents.get(sha)


def compare_commits(call: Call) -> web.StreamResponse:
    """``BASE...HEAD``: the merge base, the counts, the commits head has (oldest first) and
    the files changed since the merge base (at most ``MAX_COMPARE_FILES``, renames detected
    as git's exact renames)."""
    repo, docs = call.repo(), DOCS + "/commits/commits#compare-two-commits"
    base_ref, dots, head_ref = call.arg("basehead").partition("...")
    base, head = repo.resolve(base_ref), repo.resolve(head_ref)
    if not dots or base is None or head is None:
        raise not_found(docs)
    base_line = list(_first_parents(repo, base))
    head_line = list(_first_parents(repo, head))
    merge_base = next((sha for sha in head_line if sha in base_line), None)
    if merge_base is None:
        message = f"No common ancestor between {base_ref} and {head_ref}."
        raise ApiError(error_response(404, message, docs))
    ahead, behind = head_line.index(merge_base), base_line.index(merge_base)
    status = {(0, 0): "identical", (0, 1): "behind", (1, 0): "ahead"}.get(
        (min(ahead, 1), min(behind, 1)), "diverged"
    )
    url = f"{call.shapes.repo_url(repo)}/compare/{base_ref}...{head_ref}"
    compared = PullInfo(merge_base, head, base_ref, head_ref, changes(repo, merge_base, head))
    return web.json_response(
        {
            "url": url,
            "status": status,
            "ahead_by": ahead,
            "behind_by": behind,
            "total_commits": ahead,
            "base_commit": {"sha": base},
            "merge_base_commit": {"sha": merge_base},
            "commits": [commit_shape(call, repo, sha) for sha in reversed(head_line[:ahead])],
            "files": [
                call.shapes.pull_file(repo, compared, change)
                for change in compared.files[:MAX_COMPARE_FILES]
            ],
        }
    )


def changes(repo: RepoRecord, base: str, head: str) -> list[FileChange]:
    """What ``head`` changed since ``base``, by path; a file gone whose very content appears
    under a new path is a rename (each content claimed once)."""
    before, after = repo.commits[base], repo.commits[head]
    left = {before[p]: p for p in sorted(before.keys() - after.keys())}
    origin = {
        p: left.pop(after[p]) for p in sorted(after.keys() - before.keys()) if after[p] in left
    }
    moved = set(origin.values())
    found = []
    for path in sorted(before.keys() | after.keys()):
        if path in origin:
            found.append(FileChange(path, "renamed", origin[path]))
        elif path not in after and path not in moved:
            found.append(FileChange(path, "removed"))
        elif path not in before:
            found.append(FileChange(path, "added"))
        elif path in before and path in after and before[path] != after[path]:
            found.append(FileChange(path, "modified"))
    return found
