"""Links to a repository's files on GitHub: a page or one of its lines at a commit, or plain text.

The review comment and the quarterly issue both link pages; without a repository (a plain
directory, a checkout whose remote is not on GitHub) they name them in code spans instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import quote

from bot.core.markdown import code

#: ``https://github.com/o/r(.git)``, ``git@github.com:o/r(.git)``, ``ssh://git@github.com/o/r``.
_REMOTE = re.compile(
    r"(?:(?P<scheme>https?)://(?:[^@/]+@)?|ssh://(?:[^@/]+@)?|[^@/:]+@)"
    r"(?P<host>[^/:]+)(?::\d+)?[:/](?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?"
)

#: The files GitHub renders instead of showing their source (its markup formats).
_RENDERED = re.compile(r"\.(md|mkd|mdown|markdown|rst|adoc|asciidoc|org|textile|rdoc)$", re.I)


class Links(NamedTuple):
    """Where pages are shown: ``{server}/{repository}/blob/{ref}/{path}``, or no link at all."""

    server: str = "https://github.com"
    repository: str | None = None  # OWNER/NAME
    ref: str | None = None  # a commit SHA, or HEAD (the default branch) for a plain directory

    @classmethod
    def of_web_url(cls, url: str) -> Links:
        """The links of the repository a page ``https://HOST/OWNER/NAME/...`` belongs to
        (a pull request's ``html_url``)."""
        scheme, _, rest = url.partition("://")
        host, *parts = rest.split("/")
        if not scheme or len(parts) < 2 or not all(parts[:2]):
            return cls()
        return cls(f"{scheme}://{host}", f"{parts[0]}/{parts[1]}")

    def blob(self, path: str, line: int | None = None) -> str | None:
        """The URL of ``path`` at ``ref``, at ``line`` if given; None without a repository.

        GitHub renders a Markdown file and ignores ``#L37`` there: a line is linked in the
        file's source view (``?plain=1``), where the anchor lands; a page without a line
        stays the rendered page.
        """
        if not self.repository or not self.ref:
            return None
        url = f"{self._base()}/blob/{self.ref}/{quote(path)}"
        if not line:
            return url
        plain = "?plain=1" if _RENDERED.search(path) else ""
        return f"{url}{plain}#L{line}"

    def page(self, path: str) -> str:
        """``path`` in a code span, linked to the file when there is a repository."""
        url = self.blob(path)
        return f"[{code(path)}]({url})" if url else code(path)

    def commit(self, sha: str) -> str:
        if not self.repository:
            return code(sha[:12])
        return f"[{code(sha[:12])}]({self._base()}/tree/{sha})"

    def _base(self) -> str:
        return f"{self.server.rstrip('/')}/{self.repository}"


def github_remote(url: str) -> Links:
    """The links of a git remote's ``url`` when it is on GitHub (github.com, or a GitHub
    Enterprise host named ``github.*``); no links otherwise."""
    match = _REMOTE.fullmatch(url.strip())
    if match is None:
        return Links()
    host = match["host"].lower()
    if host != "github.com" and not host.startswith("github."):
        return Links()
    scheme = match["scheme"] if match["scheme"] == "http" else "https"
    return Links(f"{scheme}://{host}", f"{match['owner']}/{match['name']}")


def common_directory(paths: Iterable[str]) -> str:
    """The directory every path is under, with its slash; or ''."""
    common: list[str] = []
    for parts in zip(*(PurePosixPath(path).parent.parts for path in paths), strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""
