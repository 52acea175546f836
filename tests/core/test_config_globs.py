"""The `include` and `exclude` globs of `.github/tierbot.yml`, as the README's Configuration
says: relative to the repository root (a leading `/` is that root), `**/` spans folders and `*`
stays within one."""

from __future__ import annotations

import json

import pytest

from bot.core.config_file import parse_config


def including(*globs: str) -> str:
    """A config file whose `include` is ``globs`` and whose `exclude` is empty."""
    return f"include: {json.dumps(list(globs))}\nexclude: []\n"


@pytest.mark.parametrize(
    ("glob", "path", "matched"),
    [
        # `**/` spans any number of folders, none included
        ("docs/**/*.md", "docs/a.md", True),
        ("docs/**/*.md", "docs/x/y/a.md", True),
        ("docs/**/*.md", "other/docs/a.md", False),
        ("**/index.md", "index.md", True),
        ("**/index.md", "docs/x/index.md", True),
        ("**/index.md", "docs/x/not-index.md", False),
        ("docs/**/drafts/*.md", "docs/drafts/a.md", True),
        ("docs/**/drafts/*.md", "docs/x/y/drafts/a.md", True),
        ("docs/**", "docs/x/y/a.md", True),
        ("docs/**", "other/a.md", False),
        # `*` and `?` stay within one folder
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "docs/x/a.md", False),
        ("docs/*.md", "docs/a.mdx", False),
        ("*.md", "a.md", True),
        ("*.md", "docs/a.md", False),  # relative to the root: not a name at any depth
        ("**/*template*.md", "docs/x/pattern-template-v2.md", True),
        ("docs/?.md", "docs/a.md", True),
        ("docs/?.md", "docs/ab.md", False),
        ("docs?a.md", "docs/a.md", False),
        # a leading `/` is the repository root
        ("/docs/*.md", "docs/a.md", True),
        ("/docs/*.md", "other/docs/a.md", False),
        ("/*.md", "a.md", True),
        ("/*.md", "docs/a.md", False),
        ("/**/index.md", "docs/index.md", True),
        # a file whose name starts with a dot is a file like any other; case counts
        ("docs/**/*.md", "docs/.drafts/.a.md", True),
        ("docs/*.md", "Docs/a.md", False),
        ("docs/*.MD", "docs/a.md", False),
    ],
)
def test_a_glob_matches_as_documented(glob: str, path: str, matched: bool) -> None:
    assert parse_config(including(glob)).is_pattern_page(path) is matched


def test_a_leading_slash_is_read_as_the_root() -> None:
    config = parse_config('include: ["/handbook/**/*.md"]\nexclude: /drafts/**\n')
    assert (config.include, config.exclude) == (("handbook/**/*.md",), ("drafts/**",))


def test_the_first_exclude_glob_a_page_matches_is_named() -> None:
    config = parse_config('exclude: ["/docs/drafts/**", "**/index.md", "**/*.md"]\n')
    assert config.exclusion(["docs/drafts/x/index.md"]) == "docs/drafts/**"
    assert config.exclusion(["docs/pattern-library/index.md"]) == "**/index.md"
    assert config.exclusion(["docs/a.txt"]) is None
    assert not config.is_pattern_page("docs/pattern-library/drafts/a.md")
