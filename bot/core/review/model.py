"""The pull-request review's records: what the planner produces and the comment renders."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from bot.core.config import PromotionsConfig
from bot.core.extends import Extended
from bot.core.failing import judged_states
from bot.core.links import Links
from bot.core.markdown import code
from bot.core.review.suggestions import SuggestedEdit
from bot.core.rules.evaluate import Finding, Unreadable
from bot.core.rules.kinds import PageChange
from bot.core.rules.policy import SEVERITIES

STATES = ("new", "existing", "fixed")


class ChangedPage(NamedTuple):
    """One changed file of a pull request, with its contents at base and head (None: absent)."""

    path: str
    status: str  # added | modified | renamed | removed
    previous_path: str | None = None
    base: bytes | Unreadable | None = None
    head: bytes | Unreadable | None = None
    merged_into: str | None = None  # removed, and head's mkdocs.yml redirects it to this page
    patch: str | None = None  # the pull request's diff of the file, as GitHub shows it


class ReviewFinding(NamedTuple):
    finding: Finding
    state: str  # new | existing | fixed
    check: str = ""  # the check kind of a finding on the change (page findings leave it empty)


class PageReview(NamedTuple):
    change: PageChange  # path, status, previous path, tier at base and head
    findings: tuple[ReviewFinding, ...]
    suggestions: tuple[SuggestedEdit, ...] = ()  # new findings' fixes on the changed lines

    @property
    def path(self) -> str:
        return self.change.path

    def tally(self, state: str, severity: str | None = None) -> int:
        return sum(
            f.state == state and (severity is None or f.finding.severity == severity)
            for f in self.findings
        )


class OnPullRequest(NamedTuple):
    """What tierbot finds already on the pull request."""

    labels: tuple[str, ...] = ()


class Revisions(NamedTuple):
    """What a review compared, as its text names it."""

    base_name: str = ""  # as people call it, e.g. `main`
    since: str = ""  # the base as `tierbot fix --since` takes it in a contributor's checkout
    base_sha: str = ""  # the base commit, where the rules and config were read
    fork_point: str = ""  # where head left the base: pages compared there, deleted ones linked
    extended: Extended | None = None  # the owner's settings file the base's lie over

    @property
    def settings(self) -> str:
        """Where the rules and config came from, as the footer says it."""
        if self.extended is None:
            return f"rules and config from {self.base}"
        if self.extended.under_own:
            return f"rules and config from {self.base}, laid over {self.extended}"
        return f"rules and config from {self.extended}"

    @property
    def base(self) -> str:
        """The base as the comment names it: `main`, or "the base branch"."""
        return code(self.base_name) if self.base_name else "the base branch"

    def reproduce(self, head_sha: str) -> str:
        """The command that prints this review again, in full; '' without both commits."""
        if not (self.base_sha and head_sha):
            return ""
        return f"tierbot review --base {self.base_sha} --head {head_sha} --full"


class Review(NamedTuple):
    """A pull request judged: pages, verdict, labels to change, and the comment to post."""

    pages: tuple[PageReview, ...]
    conclusion: str  # success | failure | neutral
    summary: str
    labels_add: tuple[str, ...]
    labels_remove: tuple[str, ...]
    truncated: bool
    counts: Counter[tuple[str, str]]  # (state, severity) -> findings
    head_sha: str = ""
    comment: str = ""  # the sticky comment's body, ready to post
    links: Links = Links()  # the pages at ``head_sha`` on GitHub, when the repository is known
    revisions: Revisions = Revisions()
    promotions: PromotionsConfig = PromotionsConfig()  # the promotion gate the comment names

    @property
    def suggestions(self) -> tuple[SuggestedEdit, ...]:
        return tuple(edit for page in self.pages for edit in page.suggestions)

    def without_suggestions(self) -> Review:
        """The review with no suggestion waiting (none could be posted); its comment as it was."""
        pages = tuple(page._replace(suggestions=()) for page in self.pages)
        return self._replace(pages=pages)

    def total(self, state: str, severity: str) -> int:
        return self.counts[(state, severity)]

    def findings_to_annotate(self, fail_on: str) -> list[tuple[str, Finding]]:
        """(path, finding) to annotate: new findings, then existing ones if ``fail_on`` counts
        them; errors first within each, pages and their findings in order otherwise."""
        states = judged_states(fail_on)
        entries = [
            (states.index(item.state), SEVERITIES.index(item.finding.severity), page.path, item)
            for page in self.pages
            for item in page.findings
            if item.state in states
        ]
        entries.sort(key=lambda entry: entry[:2])  # stable: the rest keeps the pages' order
        return [(path, item.finding) for _, _, path, item in entries]
