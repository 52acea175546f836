"""A repository's settings (`.github/tierbot.yml`) as data, with defaults for everything;
`bot.core.config_file` reads and validates the file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from wcmatch import glob as wcglob

from bot.core.page_kinds import TYPE_FIELD

CONFIG_PATH = ".github/tierbot.yml"
#: The setting naming the settings file a repository's are laid over (Probot's convention).
EXTENDS = "_extends"


class LabelSpec(NamedTuple):
    name: str
    color: str  # six hex digits, no '#'
    description: str = ""


#: The globs' grammar (wcmatch): ``**`` spans folders as a whole part (``**/``, ``/**``), ``*``
#: and ``?`` stay within one; a dot-file is a file like any other; case counts everywhere.
GLOB_FLAGS = wcglob.GLOBSTAR | wcglob.DOTGLOB | wcglob.FORCEUNIX
DEFAULT_INCLUDE = ("docs/pattern-library/**/*.md", "docs/patterns/**/*.md")
DEFAULT_EXCLUDE = ("**/index.md", "**/README.md", "**/*template*.md")
DEFAULT_TYPES = ("pattern",)
DEFAULT_LABELS: Mapping[str, LabelSpec] = MappingProxyType(
    {
        "gold": LabelSpec("tier: gold", "FFD700", "Touches a gold-tier pattern"),
        "silver": LabelSpec("tier: silver", "C0C0C0", "Touches a silver-tier pattern"),
        "bronze": LabelSpec("tier: bronze", "CD7F32", "Touches a bronze-tier pattern"),
        "changed": LabelSpec("tier: changed", "5319E7", "Changes the tier of a pattern"),
        "needs-metadata": LabelSpec(
            "needs: tier-metadata", "D93F0B", "Adds tier metadata problems"
        ),
    }
)


class HealthConfig(NamedTuple):
    repos: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # page path -> repos
    max_requests: int = 30


class QuarterlyConfig(NamedTuple):
    labels: tuple[str, ...] = ("tierbot: quarterly-review",)
    assignees: tuple[str, ...] = ()
    budget: int = 25  # pages a quarter's issue asks for; 0: every page that needs a review
    max_age_days: int = 365
    min_modern_examples: int = 2
    close_previous: bool = True
    health: HealthConfig = HealthConfig()
    enabled: bool = False  # whether `tierbot quarterly --app` publishes (else: a dry run)
    dashboard: str | None = None  # the health dashboard page the quarter's pull request refreshes


class PromotionsConfig(NamedTuple):
    """The promotion gate: a page raised to one of ``tiers`` waits for one of ``approvers``."""

    tiers: tuple[str, ...] = ("gold",)
    approvers: tuple[str, ...] = ()  # logins and `org/team` slugs; none: no gate

    @property
    def enabled(self) -> bool:
        return bool(self.approvers)


class Config(NamedTuple):
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    types: tuple[str, ...] = DEFAULT_TYPES
    rules: str | None = None  # a path in the repository; None: the bundled policy
    severity: Mapping[str, str] = MappingProxyType({})
    labels: Mapping[str, LabelSpec] = DEFAULT_LABELS
    fail_on: str = "new-errors"
    quarterly: QuarterlyConfig = QuarterlyConfig()
    promotions: PromotionsConfig = PromotionsConfig()

    def is_pattern_page(self, path: str) -> bool:
        """Whether a repository-relative POSIX path is one tierbot checks, by the globs.

        The page itself may still opt out by declaring another ``type`` (`other_type`).
        """
        return self.includes((path,)) and not self.excludes((path,))

    def includes(self, paths: Iterable[str]) -> bool:
        """Whether some of ``paths`` matches an ``include`` glob."""
        return any(m.match(path) for path in paths for m in _compiled(self.include))

    def excludes(self, paths: Iterable[str]) -> bool:
        """Whether some of ``paths`` matches an ``exclude`` glob."""
        return self.exclusion(paths) is not None

    def exclusion(self, paths: Iterable[str]) -> str | None:
        """The first ``exclude`` glob some of ``paths`` matches, if any."""
        paths = tuple(paths)
        for glob, compiled in zip(self.exclude, _compiled(self.exclude), strict=True):
            if any(compiled.match(path) for path in paths):
                return glob
        return None

    def other_type(self, meta: Mapping[str, Any] | None) -> str | None:
        """The ``type`` a page declares when it is not one of ``types``: then the page is
        not a pattern page. None for a pattern page: its type is listed, it declares none
        (or not as text), or its front matter cannot be read (that is a finding)."""
        declared = meta.get(TYPE_FIELD) if meta is not None else None
        if isinstance(declared, str) and declared.strip() not in ("", *self.types):
            return declared.strip()
        return None

    @property
    def bot_labels(self) -> frozenset[str]:
        """The label names tierbot owns; it never touches any other."""
        return frozenset(spec.name for spec in self.labels.values())


@lru_cache(maxsize=64)
def _compiled(globs: tuple[str, ...]) -> tuple[wcglob.WcMatcher[str], ...]:
    return tuple(wcglob.compile(glob, flags=GLOB_FLAGS) for glob in globs)
