"""The working tree: the pattern pages on disk, the settings files, checking and fixing them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bot.core.config import CONFIG_PATH, Config
from bot.core.documents import MAX_PAGE_BYTES, Document, Problem
from bot.core.mkdocs import MKDOCS_FILES, Redirects, read_redirects
from bot.core.rules.evaluate import PageReport, check_page, evaluate
from bot.core.rules.policy import Policy
from bot.core.selection import EXCLUDE, Skipped, skipped_page
from bot.core.settings import Settings, config_from, policy_from
from bot.errors import ConfigError, RulesError, UsageError
from bot.resources import bundled_rules

if TYPE_CHECKING:
    from bot.core.quarterly.model import Library


def read_page(path: Path) -> bytes:
    """A page's bytes, or just past the size limit's worth for a huge file."""
    with path.open("rb") as handle:
        return handle.read(MAX_PAGE_BYTES + 1)


def write_page(path: Path, data: bytes) -> None:
    """Replace a page's bytes atomically: a crash leaves the old page or the new, never half."""
    import tempfile  # here, not at the top: `tierbot check` never writes, nor pays its import

    path = path.resolve()  # a symbolic link stays one: its target is what changes
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def create_file(path: Path, data: bytes) -> bool:
    """Write a new file (its folders too); False, writing nothing, when one is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as out:  # exclusive: a file made meanwhile is not overwritten
            out.write(data)
    except FileExistsError:
        return False
    return True


class Checked(NamedTuple):
    """What `tierbot check` found: a report per page checked, and the files it skipped."""

    reports: list[PageReport]
    skipped: list[Skipped]


def walk(root: Path, config: Config) -> Iterator[tuple[Path, str | None]]:
    """The Markdown files under ``root`` that ``include`` names, in a stable order, each with
    the ``exclude`` glob that skips it (None: a pattern page).

    The globs are repository-relative (``docs/pattern-library/**``) while ``root`` may be
    any directory, inside or above the repository: a glob applies when it matches some
    trailing part of the file's absolute path, so ``check docs`` and ``check /elsewhere/repo``
    both work.
    """
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        parts = Path(directory).resolve().parts[1:]
        for name in sorted(names):
            if name.endswith(".md"):
                tails = ["/".join((*parts[start:], name)) for start in range(len(parts) + 1)]
                if config.includes(tails):
                    yield Path(directory, name), config.exclusion(tails)


def pattern_pages(root: Path, config: Config) -> Iterator[Path]:
    """The configured pattern pages under ``root``, by the globs, in a stable order."""
    return (path for path, glob in walk(root, config) if glob is None)


def collect(arguments: Iterable[str], config: Config) -> tuple[list[Path], list[Skipped]]:
    """Expand the command line: files as named, directories through the globs."""
    paths: list[Path] = []
    skipped: list[Skipped] = []
    for argument in arguments:
        path = Path(argument)
        if not path.is_dir():
            paths.append(path)
            continue
        for found, glob in walk(path, config):
            if glob is None:
                paths.append(found)
            else:
                skipped.append(Skipped(display_path(found), EXCLUDE, glob))
    return paths, skipped


def display_path(path: Path) -> str:
    """The path as given, or relative to the current directory when it is beneath it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def site_redirects_in(root: Path) -> Redirects:
    """The redirects of the site's mkdocs.yml at ``root`` (none without one it can read)."""
    for name in MKDOCS_FILES:
        try:
            return read_redirects({name: read_page(root / name)})
        except OSError:
            continue
    return Redirects()


def check_paths(paths: Iterable[Path], settings: Settings, root: Path | None = None) -> Checked:
    """Check each file, shown relative to ``root`` when given; a page that declares another
    ``type`` or is a redirect (its `redirect_to`, or the mkdocs.yml in ``root``, else in the
    current directory, maps it away) is skipped, and one that cannot be read is a finding,
    not the end of the run."""
    config, policy = settings.config, settings.policy
    redirects = site_redirects_in(root or Path("."))
    checked = Checked([], [])
    for path in paths:
        shown = path.relative_to(root).as_posix() if root else display_path(path)
        try:
            data = read_page(path)
        except OSError as error:
            problem = Problem(f"cannot read the file: {error.strerror or error}")
            findings = evaluate(Document(shown, None, problem=problem), policy)
            checked.reports.append(PageReport(shown, None, tuple(findings)))
            continue
        document, page_report = check_page(shown, data, policy)
        skip = skipped_page(config, shown, document.meta, redirects)
        if skip is None:
            checked.reports.append(page_report)
        else:
            checked.skipped.append(skip)
    return checked


def _settings_file(path: Path, what: str, error: type[UsageError]) -> bytes:
    """A config or rules file's bytes, for the core to parse."""
    try:
        return path.read_bytes()
    except OSError as failed:
        raise error(f"{path}: cannot read the {what} file: {failed}") from None


def load_policy(path: Path | None = None, config: Config | None = None) -> Policy:
    """A rules file (the bundled one when ``path`` is None), with ``config``'s severities."""
    data = None if path is None else _settings_file(path, "rules", RulesError)
    return policy_from(data, str(path), config or Config(), bundled_rules)


def load_settings(
    config_file: str | None, rules_file: str | None, root: Path = Path(".")
) -> Settings:
    """From the file system: an explicit config file, else the repository's if any."""
    config_path: Path | None
    if config_file:
        config_path = Path(config_file)
        if not config_path.is_file():
            raise UsageError(f"{config_path}: no such config file")
        # Paths inside the config are relative to the repository that holds `.github/`.
        if config_path.parent.name == ".github":
            root = config_path.parent.parent
    else:
        config_path = root / CONFIG_PATH
        config_path = config_path if config_path.is_file() else None
    data = None if config_path is None else _settings_file(config_path, "config", ConfigError)
    config = config_from(data, str(config_path))
    rules_path = Path(rules_file) if rules_file else (root / config.rules if config.rules else None)
    return Settings(config, load_policy(rules_path, config))


def library_in(root: Path) -> Library:
    """A plain directory's library, read whole: the settings and pattern pages it holds."""
    from bot.core.quarterly.facts import read_pages  # not needed by `tierbot check`
    from bot.core.quarterly.model import Library
    from bot.core.quarterly.owners import CODEOWNERS_PATHS, codeowners_text

    settings = load_settings(None, None, root)
    config, policy = settings.config, settings.policy
    found = ((p.relative_to(root).as_posix(), p) for p in pattern_pages(root, config))
    pages = {name: read_page(p) for name, p in found if config.is_pattern_page(name)}
    redirects = site_redirects_in(root)
    facts = (
        page
        for page in read_pages(pages, policy)
        if skipped_page(config, page.path, page.meta, redirects) is None
    )
    owners = {name: read_page(root / name) for name in CODEOWNERS_PATHS if (root / name).is_file()}
    return Library(config, policy, None, tuple(facts), codeowners_text(owners))
