"""A site's ``mkdocs.yml``: which deleted pages the mkdocs-redirects plugin sends elsewhere.

``mkdocs.yml`` files carry tags such as ``!!python/name:material.extensions.emoji.twemoji``
or ``!ENV [VAR, default]``. They are read with a safe loader that keeps an unknown tag's
node as the plain value it holds (a string, a list, a mapping): nothing is ever imported or
run, and a file that cannot be read at all only means that no page is redirected.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import yaml

from bot.core.documents import EMPTY, SafeLoader

#: Where MkDocs looks for its configuration, in its order.
MKDOCS_FILES = ("mkdocs.yml", "mkdocs.yaml")
DEFAULT_DOCS_DIR = "docs"
#: A configuration larger than this is not read (real ones are a few kilobytes).
MAX_MKDOCS_BYTES = 1024 * 1024


class PlainTagLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, with any tag it does not know read as its plain value."""


def _plain(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]  # a ScalarNode


PlainTagLoader.add_constructor(None, _plain)


class Redirects(NamedTuple):
    """``redirect_maps`` as repository paths (old page -> new page), or why it was not read."""

    source: str | None = None  # the file read; None: the site has no mkdocs.yml
    pages: Mapping[str, str] = EMPTY
    problem: str | None = None

    def target(self, path: str) -> str | None:
        """The page ``path`` is redirected to inside the site, if any."""
        return self.pages.get(path)


def read_redirects(files: Mapping[str, object]) -> Redirects:
    """The redirects of the first of ``MKDOCS_FILES`` present in ``files`` (bytes, or what a
    source gives for a file it could not read); never raises."""
    source = next((name for name in MKDOCS_FILES if files.get(name) is not None), None)
    if source is None:
        return Redirects()
    data = files[source]
    if not isinstance(data, bytes):
        return Redirects(source, problem="its content could not be read")
    if len(data) > MAX_MKDOCS_BYTES:
        return Redirects(source, problem=f"it is over {MAX_MKDOCS_BYTES // 1024} kB")
    try:
        config = yaml.load(data.decode("utf-8"), Loader=PlainTagLoader)
    except UnicodeDecodeError:
        return Redirects(source, problem="it is not UTF-8")
    except yaml.YAMLError as error:
        return Redirects(source, problem=f"it is not valid YAML: {str(error).splitlines()[0]}")
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        return Redirects(source, problem=f"a value does not fit its type ({error})")
    if not isinstance(config, dict):
        return Redirects(source, problem="it is not a mapping of settings")
    docs_dir = config.get("docs_dir", DEFAULT_DOCS_DIR)
    if not isinstance(docs_dir, str) or not docs_dir.strip():
        return Redirects(source, problem="`docs_dir` is not a folder name")
    maps = _redirect_maps(config.get("plugins"))
    pages = {}
    for old, new in maps.items():
        if isinstance(old, str) and isinstance(new, str) and "://" not in new:
            target = _in_site(docs_dir, new.split("#", 1)[0])
            if target is not None and (page := _in_site(docs_dir, old)) is not None:
                pages[page] = target
    return Redirects(source, pages)


def _redirect_maps(plugins: Any) -> Mapping[Any, Any]:
    """``redirect_maps`` of the ``redirects`` plugin, from a plugins list or mapping."""
    entries: Iterable[tuple[Any, Any]] = plugins.items() if isinstance(plugins, dict) else ()
    if isinstance(plugins, list):
        entries = (e for item in plugins if isinstance(item, dict) for e in item.items())
    for name, options in entries:
        if name == "redirects" and isinstance(options, dict):
            maps = options.get("redirect_maps")
            return maps if isinstance(maps, dict) else EMPTY
    return EMPTY


def _in_site(docs_dir: str, page: str) -> str | None:
    """A page path relative to ``docs_dir`` as a repository path; None if it leaves the site."""
    if not page.strip() or page.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(docs_dir.strip().strip("/"), page.strip()))
    return None if path.startswith("../") or path == ".." else path
