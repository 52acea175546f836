"""A site's ``mkdocs.yml``: which pages the mkdocs-redirects plugin sends elsewhere, and which
repository page a URL of the site is.

``mkdocs.yml`` files carry tags such as ``!!python/name:material.extensions.emoji.twemoji``
or ``!ENV [VAR, default]``. They are read with a safe loader that keeps an unknown tag's
node as the plain value it holds (a string, a list, a mapping): nothing is ever imported or
run, and a file that cannot be read at all only means that no page is redirected.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

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


class Site(NamedTuple):
    """Where a site's pages are and how their URLs look (mkdocs.yml's ``docs_dir``,
    ``use_directory_urls`` and ``site_url``)."""

    docs_dir: str = DEFAULT_DOCS_DIR
    directory_urls: bool = True
    url: str = ""  # site_url; "": not known

    def pages_of(self, page: str, url: str) -> tuple[str, ...]:
        """The repository pages a link on ``page`` to ``url`` may mean, likeliest first; none
        for a URL off the site or outside ``docs_dir``."""
        url = url.strip()
        if self.url and url.startswith(self.url):
            url = "/" + url[len(self.url) :]
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme or parts.netloc or not path:
            return ()
        if path.startswith("/"):  # from the site's root, which site_url may put in a folder
            where = path.removeprefix(urlsplit(self.url).path.rstrip("/") + "/")
        else:
            source = _in_docs(self.docs_dir, page)
            if source is None:
                return ()
            where = posixpath.join(self._directory_of(source, path.endswith(".md")), path)
        where = posixpath.normpath(where.lstrip("/") or ".")
        if where == ".." or where.startswith("../"):
            return ()
        return tuple(p for name in _named(where) if (p := _in_site(self.docs_dir, name)))

    def _directory_of(self, source: str, markdown: bool) -> str:
        """What a relative link on the page ``source`` starts from: its folder for a link to a
        Markdown file, else the page's own URL (a folder of its own with directory URLs)."""
        folder, name = posixpath.split(source)
        if markdown or not self.directory_urls or name in ("index.md", "README.md"):
            return folder
        return posixpath.join(folder, posixpath.splitext(name)[0])


class Redirects(NamedTuple):
    """``redirect_maps`` as repository paths (old page -> new page, or -> a URL off the site),
    and the site's URL scheme; or why it was not read."""

    source: str | None = None  # the file read; None: the site has no mkdocs.yml
    pages: Mapping[str, str] = EMPTY
    problem: str | None = None
    elsewhere: Mapping[str, str] = EMPTY  # old page -> a URL off the site
    site: Site = Site()

    def target(self, path: str) -> str | None:
        """The page ``path`` is redirected to inside the site, if any."""
        return self.pages.get(path)

    def redirect(self, path: str) -> str | None:
        """Where ``path`` is redirected: a page inside the site or a URL off it; None: nowhere."""
        return self.pages.get(path) or self.elsewhere.get(path)


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
    pages: dict[str, str] = {}
    elsewhere: dict[str, str] = {}
    for old, new in maps.items():
        page = _in_site(docs_dir, old) if isinstance(old, str) and isinstance(new, str) else None
        if page is not None and "://" in new:
            elsewhere[page] = new.strip()
        elif page is not None and (target := _in_site(docs_dir, new.split("#", 1)[0])):
            pages[page] = target
    return Redirects(source, pages, None, elsewhere, _site(config, docs_dir))


def _site(config: Mapping[str, Any], docs_dir: str) -> Site:
    """The URL scheme mkdocs.yml sets (a setting of the wrong type: MkDocs's default)."""
    directory_urls = config.get("use_directory_urls", True)
    url = config.get("site_url")
    return Site(
        docs_dir,
        directory_urls if isinstance(directory_urls, bool) else True,
        url.strip().rstrip("/") + "/" if isinstance(url, str) and url.strip() else "",
    )


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


def _named(where: str) -> tuple[str, ...]:
    """The pages a site path (relative to ``docs_dir``, normalised) may be built from."""
    stem, suffix = posixpath.splitext(where)
    if suffix == ".md":
        return (where,)
    name = stem if suffix == ".html" else where
    if name == ".":
        return ("index.md", "README.md")
    return (f"{name}.md", f"{name}/index.md", f"{name}/README.md")


def _in_docs(docs_dir: str, path: str) -> str | None:
    """A repository path relative to ``docs_dir``; None when it is not under it."""
    docs = posixpath.normpath(docs_dir.strip().strip("/"))
    if docs == ".":
        return path
    return path.removeprefix(docs + "/") if path.startswith(docs + "/") else None


def _in_site(docs_dir: str, page: str) -> str | None:
    """A page path relative to ``docs_dir`` as a repository path; None if it leaves the site."""
    if not page.strip() or page.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(docs_dir.strip().strip("/"), page.strip()))
    return None if path.startswith("../") or path == ".." else path
