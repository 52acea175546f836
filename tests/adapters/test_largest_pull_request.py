"""The largest pull request GitHub lists (3,000 files): read through GitHub, judged as git does."""

from __future__ import annotations

from support.app_site import BROKEN_PAGE, GOLD_PAGE, pages
from support.fake_github import FakeGitHub
from support.forges import REPO
from support.git_repo import GitRepo

from bot.adapters.git import GitCheckout
from bot.core.links import Links
from bot.core.review.check_run import review_output
from bot.core.review.model import Review
from bot.jobs.review.gather import judge_pull_request, review_range
from bot.port import operations as ops
from bot.port.drive import run
from bot.port.forge import Forge

CONFIG = {".github/tierbot.yml": "fail-on: new-errors\n"}
COUNT = 3000


def said(review: Review, base: str, head: str) -> tuple:
    """What a review publishes, its commits' SHAs named alike: comment, labels, conclusion."""
    comment = review.comment.replace(base, "BASE").replace(head, "HEAD").replace(head[:12], "HEAD")
    comment = comment.replace("origin/main", "main")  # a contributor's name for the base
    return comment, review.labels_add, review.labels_remove, review.conclusion, review.summary


def test_3000_pages_read_through_github_are_judged_as_in_the_checkout(
    forge: Forge, state: FakeGitHub, git_repo: GitRepo
) -> None:
    base_files, head_files = CONFIG | pages(COUNT, GOLD_PAGE), pages(COUNT, BROKEN_PAGE)
    base = state.add_commit(REPO, base_files, branch="main")
    head = state.add_commit(REPO, head_files, parent=base)
    pr = forge.execute(ops.GetPullRequest(state.add_pull(REPO, base, head)))
    state.clear_log()
    on_github, _ = run(judge_pull_request(pr, "printed"), forge.execute)
    reads = len(state.reads())
    git_base = git_repo.commit(base_files)
    git_repo.switch("feature", create=True)
    git_head = git_repo.commit(head_files)
    links = Links.of_web_url(pr.html_url)
    in_git, _ = run(
        review_range("main", "feature", "printed", links=links), GitCheckout(git_repo.path).execute
    )

    assert len(on_github.pages) == COUNT and not on_github.truncated
    assert said(on_github, base, head) == said(in_git, git_base, git_head)
    assert on_github.conclusion == "failure"
    # 30 pages of files, 2 x 12 GraphQL queries, the config, the merge base: within 2N/100 + 10.
    assert reads == 30 + 24 + 2 <= 2 * COUNT // 100 + 10
    output = review_output(on_github, "new-errors", "printed")
    assert len(output.annotations) == 100
    assert output.summary.endswith("the report above lists every one.")
    assert f"{COUNT - 100} more findings are not annotated" in output.summary
