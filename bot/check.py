"""`tierbot check`: find the pattern pages, read them, and evaluate the policy on each."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from bot.checks import tier_of
from bot.config import Config
from bot.documents import MAX_PAGE_BYTES, Document, Problem, parse_document
from bot.rules import Finding, Policy, evaluate, sort_findings


class PageReport(NamedTuple):
    path: str
    tier: str | None
    findings: tuple[Finding, ...]

    def count(self, severity: str) -> int:
        return sum(finding.severity == severity for finding in self.findings)


def check_page(path: str, data: bytes, policy: Policy) -> tuple[Document, PageReport]:
    """Parse and evaluate one page's bytes (pure)."""
    document = parse_document(path, data)
    findings = tuple(sort_findings(evaluate(document, policy)))
    return document, PageReport(path, tier_of(document.meta), findings)


def read_page(path: Path) -> bytes:
    """A page's bytes, or just past the size limit's worth for a huge file."""
    with path.open("rb") as handle:
        return handle.read(MAX_PAGE_BYTES + 1)


def pattern_pages(root: Path, config: Config) -> Iterator[Path]:
    """The configured pattern pages under ``root``, in a stable order.

    The globs are repository-relative (``docs/pattern-library/**``) while ``root`` may be
    any directory, inside or above the repository: a page is included when some trailing
    part of its absolute path matches ``include`` and none matches ``exclude``, so
    ``check docs`` and ``check /elsewhere/repo`` both work.
    """
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        parts = Path(directory).resolve().parts[1:]
        for name in sorted(names):
            if name.endswith(".md"):
                tails = ["/".join((*parts[start:], name)) for start in range(len(parts) + 1)]
                if config.includes(tails) and not config.excludes(tails):
                    yield Path(directory, name)


def collect(arguments: Iterable[str], config: Config) -> list[Path]:
    """Expand the command line: files as named, directories through the globs."""
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        paths.extend(pattern_pages(path, config) if path.is_dir() else [path])
    return paths


def display_path(path: Path) -> str:
    """The path as given, or relative to the current directory when it is beneath it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def check_paths(paths: Iterable[Path], policy: Policy) -> list[PageReport]:
    """Check each file; one that cannot be read is a finding, not the end of the run."""
    reports = []
    for path in paths:
        shown = display_path(path)
        try:
            data = read_page(path)
        except OSError as error:
            problem = Problem(f"cannot read the file: {error.strerror or error}")
            findings = evaluate(Document(shown, None, problem=problem), policy)
            reports.append(PageReport(shown, None, tuple(findings)))
            continue
        reports.append(check_page(shown, data, policy)[1])
    return reports
