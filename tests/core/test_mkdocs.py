"""Reading mkdocs.yml's redirects: tags kept as plain values, never run; a bad file redirects
nothing."""

from __future__ import annotations

import pytest

from bot.core.mkdocs import MKDOCS_FILES, read_redirects
from bot.core.rules.evaluate import Unreadable

SITE = b"""\
site_name: DStudio
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - evil: !!python/object/apply:os.system ["touch {marker}"]
extra:
  analytics: !ENV [ANALYTICS_KEY, none]
  theme: !relative $config_dir/theme
plugins:
  - search
  - redirects:
      redirect_maps:
        patterns/two-phase-commit.md: pattern-library/data-management/saga.md
        patterns/outside.md: https://example.com/saga
        patterns/anchored.md: pattern-library/data-management/saga.md#compensation
        patterns/escape.md: ../../etc/passwd
"""


def test_redirects_are_repository_paths_under_docs_dir(tmp_path) -> None:
    marker = tmp_path / "ran"
    redirects = read_redirects({"mkdocs.yml": SITE.replace(b"{marker}", str(marker).encode())})

    assert redirects.problem is None
    assert dict(redirects.pages) == {
        "docs/patterns/two-phase-commit.md": "docs/pattern-library/data-management/saga.md",
        "docs/patterns/anchored.md": "docs/pattern-library/data-management/saga.md",
    }
    assert not marker.exists()  # the python/object tag was read as a value, not run
    assert redirects.target("docs/patterns/outside.md") is None  # off-site: no page to keep


def test_docs_dir_and_a_plugins_mapping_are_honoured() -> None:
    site = b"docs_dir: site/src\nplugins:\n  redirects:\n    redirect_maps: {old.md: new/page.md}\n"
    redirects = read_redirects({"mkdocs.yaml": site})

    assert (redirects.source, dict(redirects.pages)) == (
        "mkdocs.yaml",
        {"site/src/old.md": "site/src/new/page.md"},
    )


def test_mkdocs_yml_is_preferred_to_mkdocs_yaml() -> None:
    files = dict.fromkeys(MKDOCS_FILES, b"plugins: [search]\n")
    assert read_redirects(files).source == "mkdocs.yml"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"plugins: [\n", "not valid YAML"),
        (b"- just\n- a list\n", "not a mapping"),
        (b"\xff\xfe", "not UTF-8"),
        (b"docs_dir: [a]\n", "docs_dir"),
        (b"when: !!timestamp not-a-date\n", "does not fit"),
    ],
)
def test_an_unreadable_file_redirects_nothing_and_says_why(data: bytes, problem: str) -> None:
    redirects = read_redirects({"mkdocs.yml": data})

    assert redirects.source == "mkdocs.yml" and not redirects.pages
    assert redirects.problem is not None and problem in redirects.problem


def test_a_site_file_its_source_could_not_read_redirects_nothing() -> None:
    redirects = read_redirects({"mkdocs.yml": Unreadable("a submodule", "git")})
    assert (redirects.problem, dict(redirects.pages)) == ("its content could not be read", {})


def test_no_site_file_and_no_redirects_plugin_redirect_nothing() -> None:
    assert read_redirects({"mkdocs.yml": None}) == read_redirects({})
    assert read_redirects({}).source is None
    found = read_redirects({"mkdocs.yml": b"plugins: [search, {redirects: {}}]\n"})
    assert (found.problem, dict(found.pages)) == (None, {})
