"""`tierbot pr` over real HTTP against the fake: the safe fix of a new finding on a changed line
as one review of one-click suggestions, applied as GitHub would; a rerun and a read-only token
post none."""

from __future__ import annotations

import re
import time

import pytest
from support.fake_github import FakeGitHub, FakeGitHubServer
from support.pages import BRONZE, DROP, key_line, page
from support.pr_cli import BOT, REPO, open_pull, pr_environment, run_pr

from bot.adapters.files import load_policy
from bot.core.documents import parse_document
from bot.core.rules.evaluate import evaluate

LAKE = "docs/pattern-library/data-management/data-lake.md"
BASE_PAGE = page(BRONZE)
#: The pull request hyphenates the alternatives' key (as DStudio 2a622afc did on 27 pages).
HEAD_PAGE = page(BRONZE, {"modern_alternatives": DROP, "modern-alternatives": "\n- Kappa"})
#: The one finding the misspelt key makes: the rule that fails for want of the field.
RULE = "bronze-modern-alternatives"
SUGGESTION = re.compile(r"^(`{3,})suggestion\n(.*?)^\1$", re.M | re.S)


@pytest.fixture
def github(fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the adapter's write spacing
    return pr_environment(fake_github, monkeypatch)


def rules_found(text: str) -> list[str]:
    return [f.rule for f in evaluate(parse_document(LAKE, text.encode()), load_policy())]


def applied(text: str, comment: dict) -> str:
    """``text`` with the comment's suggestion committed, as GitHub's button does."""
    (match,) = SUGGESTION.finditer(comment["body"])
    lines = text.splitlines(keepends=True)
    first = comment["start_line"] or comment["line"]
    return "".join([*lines[: first - 1], match[2], *lines[comment["line"] :]])


def test_the_fix_is_suggested_on_its_line_and_applying_it_clears_the_finding(
    github: FakeGitHub, capsys
) -> None:
    number = open_pull(github, {LAKE: BASE_PAGE}, {LAKE: HEAD_PAGE})
    assert rules_found(HEAD_PAGE) == [RULE]  # key-spelling does not say it again

    code, out, err = run_pr(capsys, number)
    assert code == 1  # a new error

    repo = github.repo(REPO)
    (review,) = repo.reviews.values()
    assert (review["user"], review["state"]) == (BOT, "COMMENTED")
    (comment,) = repo.review_comments.values()
    line = key_line(HEAD_PAGE, "modern-alternatives")
    assert (comment["path"], comment["line"], comment["start_line"]) == (LAKE, line, None)
    assert f"**{RULE}**: " in comment["body"]
    assert rules_found(applied(HEAD_PAGE, comment)) == []  # the rename resolves it
    assert f"suggested fix on line {line}" in out  # the sticky comment says where it waits
    assert re.search(r"Suggestions: 1 posted: https://github\.com/.*#pullrequestreview-\d+", err)

    github.clear_log()
    run_pr(capsys, number)
    assert github.writes() == []  # the suggestion is there: nothing posted again
    assert len(repo.review_comments) == 1


def test_a_read_only_token_posts_no_suggestion_and_says_why(github: FakeGitHub, capsys) -> None:
    number = open_pull(github, {LAKE: BASE_PAGE}, {LAKE: HEAD_PAGE})
    github.read_only = True

    _, _, err = run_pr(capsys, number)

    assert github.repo(REPO).reviews == {}
    assert github.landed_writes() == []
    # The notice of the fork case says why; suggestions are not even tried.
    assert "The token cannot write to this repository" in err
    assert github.requests_to(f"/pulls/{number}/reviews", "POST") == []


def test_no_suggestion_with_no_suggestions(github: FakeGitHub, capsys) -> None:
    number = open_pull(github, {LAKE: BASE_PAGE}, {LAKE: HEAD_PAGE})
    _, out, _ = run_pr(capsys, number, "--no-suggestions")
    assert github.repo(REPO).reviews == {}
    assert "Rename `modern-alternatives` to `modern_alternatives`." in out
    assert "suggested fix" not in out  # none said to be waiting
    assert github.requests_to(f"/pulls/{number}/comments") == []
