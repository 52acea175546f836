"""A scripted pull request: its record, and the reads every review of it makes."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.config import CONFIG_PATH
from bot.port.operations import GetMergeBase, ListPullFiles, ReadFiles
from bot.port.results import ChangedFile, FileList, PullRequest

LIB = "docs/pattern-library"
BASE, HEAD, FORK = "b" * 40, "c" * 40, "f" * 40
PR = PullRequest(7, BASE, HEAD, "main", "feature", "https://github.com/o/r/pull/7", "alice")
NO_CONFIG = (ReadFiles(BASE, (CONFIG_PATH,)), {CONFIG_PATH: None})


def opening(listed: FileList) -> tuple[tuple, ...]:
    """The three reads every pull request review starts with: files, config, merge base."""
    return ((ListPullFiles(7), listed), NO_CONFIG, (GetMergeBase(BASE, HEAD), FORK))


def adding(pages: Mapping[str, str]) -> list[tuple]:
    """Every read of reviewing a pull request that adds ``pages`` ({path: text}) and no more."""
    listed = FileList(tuple(ChangedFile(path, "added") for path in pages))
    found = {path: text.encode() for path, text in pages.items()}
    return [*opening(listed), (ReadFiles(HEAD, tuple(pages)), found)]
