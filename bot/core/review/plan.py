"""Plan a pull request's review: what it introduced, fixed or left, and what to publish."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.core.config import Config
from bot.core.failing import failing
from bot.core.links import Links
from bot.core.review.comment import render_review
from bot.core.review.headline import verdict
from bot.core.review.model import (
    STATES,
    ChangedPage,
    OnPullRequest,
    PageReview,
    Review,
    ReviewFinding,
    Revisions,
)
from bot.core.review.suggestions import suggested_edits
from bot.core.rules.evaluate import (
    Finding,
    Unreadable,
    check_page,
    finding_order,
    make_finding,
)
from bot.core.rules.kinds import CHECK_KINDS, PageChange
from bot.core.rules.policy import Policy
from bot.core.selection import SITE_FILE, is_pattern_change, redirect_of, sent_elsewhere
from bot.core.tiers import TIER_FIELD


def review_pages(
    changes: Sequence[ChangedPage],
    config: Config,
    policy: Policy,
    on_pull_request: OnPullRequest = OnPullRequest(),
    truncated: bool = False,
    head_sha: str = "",
    full_report: str = "in this run's job summary",
    links: Links = Links(),
    revisions: Revisions = Revisions(),
) -> Review:
    """Judge the change: the pure heart of the pull-request review.

    ``links`` name the repository on GitHub, if known: the comment links lines at ``head_sha``;
    ``revisions`` name the base, as the comment's commands and notes say it.
    """
    reviewed = (
        _review_page(change, config, policy)
        for change in sorted(changes, key=lambda c: c.path)
        if config.is_pattern_page(change.path)
    )
    pages = tuple(page for page in reviewed if page is not None)
    counts: Counter[tuple[str, str]] = Counter(
        (f.state, f.finding.severity) for page in pages for f in page.findings
    )
    conclusion = _conclusion(pages, counts, config.fail_on)
    add, remove = _labels(pages, counts, config, on_pull_request, truncated)
    said = verdict(pages, counts)
    at_head = links._replace(ref=head_sha or None)
    review = Review(
        pages,
        conclusion,
        said,
        add,
        remove,
        truncated,
        counts,
        head_sha,
        links=at_head,
        revisions=revisions,
        promotions=config.promotions,
    )
    return review._replace(comment=render_review(review, full_report=full_report))


def _review_page(change: ChangedPage, config: Config, policy: Policy) -> PageReview | None:
    """The page's review; None when every side read declares another `type` or is a redirect
    (no pattern)."""
    base_path = change.previous_path or change.path
    base_findings: list[Finding] = []
    tier_base = tier_head = None
    # What the page's `type` is read from: the Document once parsed, not parsed again.
    base_side: object = change.base
    head_side: object = change.head
    # An unreadable side tells nothing: with the head unread, no base finding is existing or
    # fixed and no tier changed; its one error is new.
    unread_head = isinstance(change.head, Unreadable)
    if change.status != "added" and isinstance(change.base, bytes) and not unread_head:
        base_side, base_report = check_page(base_path, change.base, policy)
        if redirect_of(base_side.meta) is None:  # a stub made a page again: none was there
            base_findings, tier_base = list(base_report.findings), base_report.tier
    head_findings: list[Finding] = []
    head_text = ""
    if change.status != "removed" and change.head is not None:
        document, head_report = check_page(change.path, change.head, policy)
        head_findings, tier_head = list(head_report.findings), head_report.tier
        head_text = document.text
        if isinstance(change.head, bytes):
            head_side = document
    redirect = sent_elsewhere(head_side, change.merged_into) if change.status != "removed" else None
    head_side = redirect or head_side
    if not is_pattern_change(config, head_side, base_side):  # an unread head: base not parsed
        return None
    if redirect is not None:  # judged by where it sends readers, not by what it holds
        base_findings, head_findings, tier_head = [], [], None

    diffed = _diff(base_findings, head_findings) if change.status != "removed" else []
    if tier_base:
        diffed = [_say_lost_tier(f, tier_base) for f in diffed]
    target, by = redirect or (change.merged_into, SITE_FILE)
    page = PageChange(
        change.path, change.status, change.previous_path, tier_base, tier_head, target, by
    )
    for rule in policy.rules:
        if rule.scope == "change":
            for hit in CHECK_KINDS[rule.check].function(page, rule.params):
                diffed.append(ReviewFinding(make_finding(rule, hit), "new", rule.check))
    diffed.sort(key=lambda f: (STATES.index(f.state), finding_order(f.finding)))
    new = (item.finding for item in diffed if item.state == "new")
    edits = suggested_edits(change.path, head_text, new, change.patch) if change.patch else ()
    return PageReview(page, tuple(diffed), edits)


def _fingerprint(finding: Finding) -> tuple[str, str | None]:
    # The page path is implied: base and head findings of one page are compared.
    return finding.rule, finding.field


def _diff(base: list[Finding], head: list[Finding]) -> list[ReviewFinding]:
    """Head findings are new or existing; base findings gone at head are fixed."""
    unmatched = Counter(_fingerprint(f) for f in base)
    diffed = []
    for finding in head:
        key = _fingerprint(finding)
        if unmatched[key]:
            unmatched[key] -= 1
            diffed.append(ReviewFinding(finding, "existing"))
        else:
            diffed.append(ReviewFinding(finding, "new"))
    for finding in base:
        key = _fingerprint(finding)
        if unmatched[key]:
            unmatched[key] -= 1
            diffed.append(ReviewFinding(finding, "fixed"))
    return diffed


def _say_lost_tier(item: ReviewFinding, tier_base: str) -> ReviewFinding:
    """A new finding on the tier field says what the tier was before the change."""
    if item.state != "new" or item.finding.field != TIER_FIELD:
        return item
    message = f"{item.finding.message} It was `{tier_base}` on the base branch."
    return item._replace(finding=item.finding._replace(message=message))


def _conclusion(pages: Sequence[PageReview], counts: Counter[tuple[str, str]], fail_on: str) -> str:
    if not pages:
        return "neutral"
    if failing(fail_on, counts):
        return "failure"
    return "neutral" if fail_on == "never" and counts[("new", "error")] else "success"


def _labels(
    pages: Sequence[PageReview],
    counts: Counter[tuple[str, str]],
    config: Config,
    on_pull_request: OnPullRequest,
    truncated: bool,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels to add and to remove; only labels tierbot owns are ever touched."""
    roles = {page.change.tier_head for page in pages if page.change.tier_head}
    if any(page.change.tier_changed for page in pages):
        roles.add("changed")
    if counts[("new", "error")]:
        roles.add("needs-metadata")
    wanted = {config.labels[role].name for role in roles}
    current = set(on_pull_request.labels)
    add = tuple(sorted(wanted - current))
    # With a cut-short file list the full picture is unknown: never take a label away.
    remove = () if truncated else tuple(sorted((current & config.bot_labels) - wanted))
    return add, remove
