"""Real DStudio pull requests replayed as base/head pairs of the shared corpus, in a git repo.

The corpus is one snapshot (commit 9a0cc0b2), not a history, so each replay rebuilds the
shape of a real pull request on top of it:

- ``tiers_removed``, like DStudio 2a233545 (116 pages): the head drops ``excellence_tier``
  from 5 gold pages and fixes a link on every other page that has one;
- ``stubs_made``, 2a233545 as it really was: some of those 5 gold pages became redirect stubs
  (a title and `redirect_to` in the front matter, a short body), the others lost their tier;
- ``links_fixed``, like DStudio 9c79ba87 (links fixed on 109 pages, no new problems);
- ``keys_renamed``, like DStudio 2a622afc (100 pages): front-matter keys tierbot reads
  spelt with hyphens (`modern_examples` -> `modern-examples`, `last_updated` -> `last-updated`).

    repo = corpus_library(GitRepo(tmp_path / "repo"))   # the corpus on main, on `feature`
    replay = tiers_removed(repo)                         # committed on `feature`

A link is "fixed" the way DStudio's link fixes did it: the first relative link of the body
gains the anchor of the section it means (``](x.md)`` -> ``](x.md#overview)``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.adapters.files import load_policy
from bot.core.config import Config
from bot.core.selection import is_pattern_change
from bot.core.tiers import TIER_FIELD
from support.git_repo import CORPUS, GitRepo, drop_key
from support.pages import stub

_LINK = re.compile(r"\]\(((?![a-z]+:)[^)#\s]+)\)")
_GOLD = re.compile(r"(?m)^excellence_tier: gold\s*$")


class Replay(NamedTuple):
    """What the head of a replayed pull request changed."""

    name: str
    untiered: tuple[str, ...]  # gold pages whose tier the head removed
    linked: tuple[str, ...]  # pages whose link the head fixed
    stubs: tuple[tuple[str, str], ...] = ()  # gold pages made redirect stubs, with their URL

    @property
    def pages(self) -> int:
        return len(self.untiered) + len(self.linked) + len(self.stubs)


def corpus_library(repo: GitRepo) -> GitRepo:
    """The corpus committed on `main`, with branch `feature` checked out."""
    repo.copy_tree(CORPUS)
    repo.commit(message="the corpus at 9a0cc0b2")
    repo.switch("feature", create=True)
    return repo


def pattern_pages(repo: GitRepo) -> list[str]:
    """The corpus pages tierbot's default configuration reviews (by path and `type`)."""
    config, names = Config(), repo.git("ls-files").splitlines()
    return sorted(
        name
        for name in names
        if config.is_pattern_page(name)
        and is_pattern_change(config, (repo.path / name).read_bytes())
    )


def fix_link(text: str) -> str | None:
    """``text`` with its first relative link pointing at a section; None without one."""
    body = text.find("\n---", 3)  # after the front matter: the body's links only
    match = _LINK.search(text, body + 1 if body != -1 else 0)
    if match is None:
        return None
    return f"{text[: match.end(1)]}#overview{text[match.end(1) :]}"


def tiers_removed(repo: GitRepo, count: int = 5, others: int = 111) -> Replay:
    """DStudio 2a233545: ``count`` gold pages lose their tier, links are fixed on ``others``."""
    return _gold_retired(repo, "tiers-removed", count, 0, others)


def stubs_made(repo: GitRepo, count: int = 5, stubs: int = 3, others: int = 111) -> Replay:
    """DStudio 2a233545 with its stubs: of ``count`` gold pages, the first ``stubs`` become
    redirect stubs, the others lose their tier; links are fixed on ``others``.

    The first stub's URL is DStudio's own kind, from the site's root to a page that is not
    there (``/circuit-breaker-transformed/``); the others' name their folder's index page.
    """
    return _gold_retired(repo, "stubs-made", count, stubs, others)


def _gold_retired(repo: GitRepo, name: str, count: int, stubs: int, others: int) -> Replay:
    """``count`` gold pages retired: the first ``stubs`` made stubs, the others untiered."""
    pages = pattern_pages(repo)
    gold = [page for page in pages if _GOLD.search(repo.read(page))][:count]
    made = tuple((page, _stub_url(page, first=n == 0)) for n, page in enumerate(gold[:stubs]))
    files: dict[str, str | None] = {page: stub(url) for page, url in made}
    untiered = gold[stubs:]
    files.update({page: drop_key(repo.read(page), "excellence_tier") for page in untiered})
    linked = _fix_links(repo, [page for page in pages if page not in files], files, others)
    repo.commit(files, message="remove five gold tiers, fix links")
    return Replay(name, tuple(untiered), linked, made)


def _stub_url(page: str, first: bool) -> str:
    """Where a stub sends readers: ``/NAME-transformed/`` (no page there), or its folder."""
    folder, name = page.removeprefix("docs/").rsplit("/", 1)
    return f"/{name.removesuffix('.md')}-transformed/" if first else f"/{folder}/"


def links_fixed(repo: GitRepo, count: int = 109) -> Replay:
    """DStudio 9c79ba87: links fixed on ``count`` pages, no front matter touched."""
    files: dict[str, str | None] = {}
    linked = _fix_links(repo, pattern_pages(repo), files, count)
    repo.commit(files, message="fix links")
    return Replay("links-fixed", (), linked)


#: The keys DStudio 2a622afc hyphenated, and others tierbot reads that a page may lack.
def _fix_links(
    repo: GitRepo, pages: list[str], files: dict[str, str | None], limit: int | None = None
) -> tuple[str, ...]:
    """Fix one link on each of ``pages`` (up to ``limit``) into ``files``; the pages fixed."""
    fixed = []
    for page in pages:
        if limit is not None and len(fixed) == limit:
            break
        text = fix_link(repo.read(page))
        if text is not None:
            files[page] = text
            fixed.append(page)
    return tuple(fixed)


# --- DStudio 2a622afc: front-matter keys hyphenated -------------------------------------------

#: The front matter block at the top of a page's bytes (after a BOM, with CRLF lines too).
_FRONT_MATTER = re.compile(rb"\A(?:\xef\xbb\xbf)?---[ \t]*\r?\n.*?^---[ \t]*\r?$", re.S | re.M)


class KeysRenamed(NamedTuple):
    """What the head of ``keys_renamed`` changed: the keys hyphenated on each page."""

    name: str
    renamed: dict[str, tuple[str, ...]]  # page -> its underscore keys the head hyphenated

    @property
    def pages(self) -> int:
        return len(self.renamed)


def hyphenated_fields() -> tuple[str, ...]:
    """The underscore keys ``keys_renamed`` hyphenates: every field tierbot reads (the bundled
    rules' and its own) but the tier. 2a622afc kept `excellence_tier`: its comment still
    asked gold pages for `modern_examples`, which no rule does of a page without a tier."""
    fields = load_policy().fields - {TIER_FIELD}
    return tuple(sorted(field for field in fields if "_" in field))


def keys_renamed(repo: GitRepo, count: int = 100) -> KeysRenamed:
    """DStudio 2a622afc: ``count`` pages spell every key of ``hyphenated_fields`` they have
    with hyphens (``last_updated:`` -> ``last-updated:``), the rest of each file unchanged."""
    fields = hyphenated_fields()
    files: dict[str, str | bytes | None] = {}
    renamed: dict[str, tuple[str, ...]] = {}
    for page in pattern_pages(repo):
        if len(renamed) == count:
            break
        data, keys = hyphenate_keys((repo.path / page).read_bytes(), fields)
        if keys:
            files[page], renamed[page] = data, keys
    repo.commit(files, message="hyphenate the front-matter keys")
    return KeysRenamed("keys-renamed", renamed)


def hyphenate_keys(data: bytes, fields: tuple[str, ...]) -> tuple[bytes, tuple[str, ...]]:
    """``data`` with the top-level front-matter keys among ``fields`` hyphenated, and those
    keys; only a key's own text changes, and not where the page has its hyphenated twin."""
    front = _FRONT_MATTER.match(data)
    if front is None:
        return data, ()
    block, keys = front.group(), []
    for field in fields:
        hyphenated = field.replace("_", "-").encode()
        if re.search(rb"(?m)^" + re.escape(hyphenated) + rb"[ \t]*:", block):
            continue
        key = re.compile(rb"(?m)^" + re.escape(field.encode()) + rb"(?=[ \t]*:)")
        block, found = key.subn(hyphenated, block, count=1)
        if found:
            keys.append(field)
    return data[: front.start()] + block + data[front.end() :], tuple(keys)
