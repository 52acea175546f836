"""The Forge contract, continued: a file's patch, reviews with line comments and GitHub's 422
for a line off the diff, for every adapter (the fixtures: conftest.py)."""

from __future__ import annotations

import pytest
from support.fake_github import FakeGitHub
from support.forges import REPO

from bot.errors import ForgeError, TokenCannotWrite
from bot.port import operations as ops
from bot.port.forge import Forge
from bot.port.results import ReviewCommentDraft

BASE = "".join(f"line {n}\n" for n in range(1, 21))
HEAD = BASE.replace("line 10\n", "line ten\n")


def _pull(state: FakeGitHub) -> tuple[int, str]:
    base = state.add_commit(REPO, {"page.md": BASE, "logo.png": b"\x89PNG\x00"})
    head = state.add_commit(REPO, {"page.md": HEAD, "logo.png": b"\x89PNG\x01"}, parent=base)
    return state.add_pull(REPO, base, head), head


def _draft(line: int, start: int | None = None) -> ReviewCommentDraft:
    body = "<!-- tierbot:suggestion 0123456789ab -->\n```suggestion\nline 10\n```\n"
    return ReviewCommentDraft("page.md", line, start, body, "0123456789ab")


def test_pull_files_carry_the_patch_of_text_files(forge: Forge, state: FakeGitHub) -> None:
    number, _ = _pull(state)
    files = {f.path: f for f in forge.execute(ops.ListPullFiles(number)).files}
    assert files["page.md"].patch == (
        "@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n"
        " line 11\n line 12\n line 13"
    )
    assert files["logo.png"].patch is None  # binary: GitHub shows no patch


def test_review_with_line_comments_is_posted_and_listed(forge: Forge, state: FakeGitHub) -> None:
    number, head = _pull(state)
    drafts = (_draft(10), _draft(11, start=9))
    url = forge.execute(ops.CreateReview(number, head, "tierbot suggests", drafts))
    review_id = next(iter(state.repo(REPO).reviews))
    assert url == f"https://github.com/{REPO}/pull/{number}#pullrequestreview-{review_id}"
    listed = forge.execute(ops.ListReviewComments(number))
    assert [(c.path, c.line, c.author) for c in listed] == [
        ("page.md", 10, "github-actions[bot]"),
        ("page.md", 11, "github-actions[bot]"),
    ]
    assert listed[0].body == drafts[0].body
    posted = state.requests_to(f"/pulls/{number}/reviews", "POST")
    assert len(posted) == 1


@pytest.mark.parametrize(
    ("line", "start"), [(2, None), (10, 2)], ids=["line-off-the-diff", "start-in-no-hunk"]
)
def test_a_line_off_the_diff_is_refused(
    forge: Forge, state: FakeGitHub, line: int, start: int | None
) -> None:
    number, head = _pull(state)
    with pytest.raises(ForgeError) as refused:
        forge.execute(ops.CreateReview(number, head, "x", (_draft(line, start),)))
    assert refused.value.status == 422
    assert "part of the" in str(refused.value)
    assert state.repo(REPO).reviews == {}


def test_a_comment_on_a_changed_file_is_outdated_after_a_push(
    forge: Forge, state: FakeGitHub
) -> None:
    number, head = _pull(state)
    forge.execute(ops.CreateReview(number, head, "x", (_draft(10),)))
    newer = state.add_commit(REPO, {"page.md": HEAD + "line 21\n"}, parent=head)
    state.repo(REPO).issues[number].pull.head_sha = newer  # type: ignore[union-attr]
    (comment,) = forge.execute(ops.ListReviewComments(number))
    assert comment.line is None


def test_read_only_token_cannot_review(forge: Forge, state: FakeGitHub) -> None:
    number, head = _pull(state)
    state.read_only = True
    with pytest.raises(TokenCannotWrite):
        forge.execute(ops.CreateReview(number, head, "x", (_draft(10),)))
