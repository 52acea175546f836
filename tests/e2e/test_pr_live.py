"""`tierbot pr OWNER/REPO#N` against the fake GitHub, over real HTTP through PyGithubForge."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.fake_github import FakeGitHub, FakeGitHubServer, FileChange, blob_sha
from support.git_repo import EXAMPLES, GitRepo, drop_key, example_library
from support.pr_cli import BOT, REPO, open_pull, pr_environment
from support.pr_cli import run_pr as pr
from support.replays import hyphenate_keys

from bot.adapters import git as gitsource
from bot.adapters.github_graphql import GRAPHQL_BATCH
from bot.adapters.pygithub import PyGithubForge
from bot.cli.main import main
from bot.core.markers import REVIEW as REVIEW_MARKER
from bot.core.review.comment import SCREENS, outside_fold
from bot.errors import NotFound
from bot.port.operations import GetMergeBase

LIB = "docs/pattern-library"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
LOAD_BALANCING = f"{LIB}/scaling/load-balancing.md"
AUTO_SCALING = f"{LIB}/scaling/auto-scaling.md"
GOLD_PAGE = (EXAMPLES / BREAKER).read_text(encoding="utf-8")
BROKEN_PAGE = drop_key(GOLD_PAGE, "modern_examples")


@pytest.fixture
def github(fake_github: FakeGitHubServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """The fake's state with one repository, and the environment `tierbot pr` reads."""
    return pr_environment(fake_github, monkeypatch)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait asked for (retry backoff, Retry-After), recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(time, "sleep", waited.append)
    return waited


def bot_comments(state: FakeGitHub, number: int) -> list[str]:
    return [c.body for c in state.comments(REPO, number) if c.user == BOT]


def json_head(out: str) -> dict:
    """The JSON document `--format json` prints (the outcome goes to stderr)."""
    return json.loads(out)


# --- idempotency and labels ---------------------------------------------------------------------


def test_a_second_run_writes_nothing_and_a_new_head_edits_the_same_comment(
    github: FakeGitHub, capsys
) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    code, out, _ = pr(capsys, number)
    assert code == 1
    (body,) = bot_comments(github, number)
    assert body.startswith(REVIEW_MARKER) and out.startswith(body)
    assert set(github.issue_labels(REPO, number)) == {"tier: gold", "needs: tier-metadata"}

    github.clear_log()
    assert pr(capsys, number)[0] == 1
    assert github.writes() == []
    assert bot_comments(github, number) == [body]

    # The author fixes the page: the same comment is edited, the stale label removed.
    pull = github.issue(REPO, number).pull
    pull.head_sha = github.add_commit(REPO, {BREAKER: GOLD_PAGE}, parent=pull.head_sha)
    github.clear_log()
    assert pr(capsys, number)[0] == 0
    comment_id = github.comments(REPO, number)[0].id
    assert [(w.method, w.path) for w in github.writes()] == [
        ("PATCH", f"/repos/{REPO}/issues/comments/{comment_id}"),
        ("DELETE", f"/repos/{REPO}/issues/{number}/labels/needs: tier-metadata"),
        ("POST", f"/repos/{REPO}/statuses/{pull.head_sha}"),  # the new head's `tierbot` status
    ]
    (edited,) = bot_comments(github, number)
    assert edited != body and "✅" in edited
    assert github.issue_labels(REPO, number) == ["tier: gold"]


def test_peoples_labels_survive_and_stale_bot_labels_go(github: FakeGitHub, capsys) -> None:
    number = open_pull(
        github,
        {"README.md": "# Patterns\n"},
        {BREAKER: GOLD_PAGE},
        labels=["help wanted", "tier: silver", "needs: tier-metadata"],
    )
    assert pr(capsys, number)[0] == 0
    assert sorted(github.issue_labels(REPO, number)) == ["help wanted", "tier: gold"]
    assert github.repo(REPO).label("tier: gold").color == "FFD700"  # created with its colour


def test_check_run_reports_the_review_and_a_rerun_writes_nothing(
    github: FakeGitHub, capsys
) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    code, _, err = pr(capsys, number, "--check-run")
    assert code == 1
    url = re.search(r"^Check run: (\S+)$", err, re.MULTILINE)
    assert url, err
    (run,) = github.repo(REPO).check_runs.values()
    assert (run["name"], run["status"], run["conclusion"]) == ("tierbot", "completed", "failure")
    assert [a["path"] for a in run["annotations"]] == [BREAKER]
    assert run["output"]["title"] == "1 new error on 1 of 1 page"
    assert run["output"]["summary"].startswith(REVIEW_MARKER)
    (body,) = bot_comments(github, number)
    assert f"[the `tierbot` check run]({url[1]})" in body

    github.clear_log()
    assert pr(capsys, number, "--check-run")[0] == 1
    assert github.writes() == []


# --- size ---------------------------------------------------------------------------------------


def test_a_600_file_pull_request_is_reviewed_whole(github: FakeGitHub, capsys) -> None:
    pages = {f"{LIB}/generated/page-{n:03}.md": GOLD_PAGE for n in range(600)}
    number = open_pull(github, {"README.md": "# Patterns\n"}, pages)
    code, out, _ = pr(capsys, number, "--format", "json")
    review = json_head(out)
    assert code == 0
    assert sorted(f["path"] for f in review["files"]) == sorted(pages)
    assert review["summary"] == "no new problems on 600 pages"
    listed = github.requests_to(rf"/pulls/{number}/files$")
    assert sorted(r.query.get("page", "1") for r in listed) == ["1", "2", "3", "4", "5", "6"]
    # the config, then the 600 pages at head, GRAPHQL_BATCH (250) a query
    assert len(github.requests_to("/graphql$")) == 1 + math.ceil(600 / GRAPHQL_BATCH) == 1 + 3


def test_a_450_page_pull_request_gets_a_short_comment_that_says_what_it_left_out(
    github: FakeGitHub, capsys
) -> None:
    pages = {f"{LIB}/generated/page-{n:03}.md": BROKEN_PAGE for n in range(450)}
    number = open_pull(github, {"README.md": "# Patterns\n"}, pages)
    assert pr(capsys, number)[0] == 1
    (body,) = bot_comments(github, number)
    assert outside_fold(body) <= SCREENS
    (item,) = [line for line in body.splitlines() if line.startswith("- [ ] ")]
    named = item.count("](https://github.com/")  # each page named is linked to its line
    assert named > 0 and item.endswith(f" … and {450 - named} more")
    note = re.search(r"Shortened to fit: (\d+) new findings? (are|is) not named here", body)
    assert note and int(note[1]) == 450 - named
    pull = github.issue(REPO, number).pull
    command = f"`tierbot review --base {pull.base_sha} --head {pull.head_sha} --full`"
    assert f"The full report is printed by `tierbot pr`; {command} prints it again." in body


# --- faults -------------------------------------------------------------------------------------


def test_server_errors_and_retry_after_are_survived(
    github: FakeGitHub, capsys, sleeps: list[float]
) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    github.fail_next(2, 502, path="/graphql$")
    github.rate_limit_next(1, retry_after=7, method="POST", path=r"/issues/\d+/comments$")
    github.fail_next(1, 503, method="POST", path=r"/issues/\d+/labels$")
    code, _, err = pr(capsys, number)
    assert code == 1 and "Traceback" not in err
    # Backoff doubles from one second; GitHub's Retry-After is waited exactly. The adapter
    # also spaces comment posts by a second (the clock stands still while sleeps are faked).
    assert sleeps == [1.0, 2.0, 7.0, pytest.approx(1.0, abs=0.1), 1.0]
    assert len(bot_comments(github, number)) == 1
    # The comment, 2 labels, adding them, the commit status.
    assert [w.method for w in github.landed_writes()].count("POST") == 5
    assert set(github.issue_labels(REPO, number)) == {"tier: gold", "needs: tier-metadata"}


def test_a_lasting_outage_ends_with_a_clear_error(github: FakeGitHub, capsys, sleeps) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    github.fail_next(100, 502, path=r"/pulls/\d+$")
    code, out, err = pr(capsys, number)
    assert (code, out, sleeps) == (1, "", [1.0, 2.0, 4.0])
    assert err == "tierbot: GetPullRequest: GitHub answered 502: Server Error\n"
    assert github.writes() == []


def test_a_read_only_token_prints_the_report_and_says_why(github: FakeGitHub, capsys) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    github.read_only = True
    code, out, err = pr(capsys, number)
    assert code == 1 and "Traceback" not in err
    assert out.startswith(REVIEW_MARKER) and "Conclusion: failure" in out
    assert "::notice title=tierbot::The token cannot write to this repository" in err
    assert "Resource not accessible by integration" in err
    assert len(github.writes()) == 1 and github.landed_writes() == []  # gave up at once


def test_dry_run_writes_nothing(github: FakeGitHub, capsys) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    code, _, err = pr(capsys, number, "--dry-run")
    assert code == 1 and github.writes() == []
    assert "Dry run: 5 write(s) not made:" in err
    assert "  CreateComment(issue_number=1, body='<!-- tierbot:review -->" in err


def test_as_a_subprocess(github: FakeGitHub, fake_github: FakeGitHubServer) -> None:
    number = open_pull(github, {BREAKER: GOLD_PAGE}, {BREAKER: BROKEN_PAGE})
    done = subprocess.run(
        [sys.executable, "-m", "bot", "pr", f"{REPO}#{number}", "--format", "json"],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    review = json.loads(done.stdout)  # stdout holds the JSON alone
    assert review["conclusion"] == "failure"
    assert bot_comments(github, number) == [review["comment"]]
    assert re.fullmatch(
        r"Comment: \S+#issuecomment-\d+ \(4 write\(s\)\)\nCommit status: failure \(set\)\n",
        done.stderr,
    )


# --- one renderer, local and live ---------------------------------------------------------------


def mirror(state: FakeGitHub, repo: GitRepo) -> None:
    """Give the fake every commit of ``repo`` under the same SHAs, parents included."""
    record = state.repo(REPO)
    listing = repo.git("rev-list", "--reverse", "--topo-order", "--parents", "--all")
    for line in listing.splitlines():
        sha, *parents = line.split()
        record.commits[sha] = repo.files_at(sha)
        record.parents[sha] = parents[0] if parents else None
        state.blobs.update({blob_sha(data): data for data in record.commits[sha].values()})
    record.branches.update(main=repo.sha("main"), feature=repo.sha("feature"))


def test_local_review_prints_the_body_the_live_path_posts(
    github: FakeGitHub, git_repo: GitRepo, capsys
) -> None:
    repo = example_library(git_repo)
    # The clone of the fake's repository: its lines are linked as the live comment links them.
    repo.git("remote", "add", "origin", f"https://github.com/{REPO}.git")
    fixed = repo.read(LOAD_BALANCING).replace(
        "modern_examples:", "modern_examples:" + "\n  - company: A\n    implementation: B" * 2
    )
    repo.move(f"{LIB}/data-management/cqrs.md", f"{LIB}/archive/cqrs.md")
    prose = repo.read(AUTO_SCALING) + "\nMore prose.\n"  # already fails: no tier
    repo.commit(
        {
            BREAKER: BROKEN_PAGE,
            LOAD_BALANCING: fixed,
            AUTO_SCALING: prose,
            f"{LIB}/resilience/bulkhead.md": None,
        }
    )
    repo.switch("main")  # main moves on after the branch point, fixing a page the PR touches
    repo.commit(
        {AUTO_SCALING: repo.read(AUTO_SCALING).replace("---\n", "---\nexcellence_tier: gold\n", 1)}
    )
    mirror(github, repo)
    fork_point = repo.git("merge-base", "main", "feature")
    files = [
        FileChange(f.path, f.status, f.previous_path)
        for f in gitsource.changed_files(repo.path, fork_point, repo.sha("feature"))
    ]
    number = github.add_pull(REPO, repo.sha("main"), repo.sha("feature"), files)

    assert main(["review", "--repo", str(repo.path), "--base", "main", "--head", "feature"]) == 1
    local = capsys.readouterr().out.split("\nLabels to add:")[0]
    assert pr(capsys, number)[0] == 1
    (posted,) = bot_comments(github, number)
    assert posted == local
    sha = repo.sha("feature")
    assert f"reviewed at [`{sha[:12]}`](https://github.com/{REPO}/tree/{sha})" in posted
    assert f"(https://github.com/{REPO}/blob/{sha}/{BREAKER}?plain=1#L" in posted
    # Judged from the merge base, the page's problem is older than the PR, not new in it.
    assert "\n- `scaling/auto-scaling.md` · none · on `main`: `tier-missing`\n" in posted
    assert github.requests_to(f"/compare/{repo.sha('main')}...{repo.sha('feature')}$")


def test_the_adapter_finds_the_merge_base(
    github: FakeGitHub, fake_github: FakeGitHubServer
) -> None:
    root = github.add_commit(REPO, {"a": "1"}, branch="main")
    fork = github.add_commit(REPO, {"a": "2"}, parent=root)
    main_tip = github.add_commit(REPO, {"b": "3"}, parent=fork, branch="main")
    feature = github.add_commit(REPO, {"c": "4"}, parent=fork, branch="feature")
    stray = github.add_commit(REPO, {"d": "5"})
    forge = PyGithubForge("t", REPO, api_url=fake_github.url, graphql_url=fake_github.graphql_url)
    assert forge.execute(GetMergeBase(main_tip, feature)) == fork
    assert forge.execute(GetMergeBase(fork, feature)) == fork
    assert forge.execute(GetMergeBase("main", "feature")) == fork
    with pytest.raises(NotFound, match="No common ancestor"):
        forge.execute(GetMergeBase(main_tip, stray))


def test_the_checklist_ticks_itself_across_pushes_on_real_pages(
    github: FakeGitHub, corpus: Path, capsys
) -> None:
    """Real DStudio gold pages whose keys a pull request spells with hyphens: each push that
    solves an instruction leaves it ticked and struck through on the same comment."""
    gold = sorted((corpus / "docs/pattern-library/resilience").glob("*.md"))
    pages = {
        f"{LIB}/resilience/{path.name}": path.read_text(encoding="utf-8")
        for path in gold
        if "excellence_tier: gold" in path.read_text(encoding="utf-8")
    }
    fields = ("modern_examples", "production_checklist", "last_updated")
    head = {path: hyphenate_keys(text.encode(), fields)[0].decode() for path, text in pages.items()}
    number = open_pull(github, pages, head)
    pr(capsys, number)
    (first,) = bot_comments(github, number)
    asked = [line for line in first.splitlines() if line.startswith("- [ ] ")]
    assert len(asked) >= 2 and "- [x] " not in first
    (dates,) = [line for line in asked if "`last-updated`" in line]

    # Push 2: `last_updated` spelt right again on every page: that instruction is done.
    again = {
        path: hyphenate_keys(text.encode(), fields[:2])[0].decode() for path, text in pages.items()
    }
    pull = github.issue(REPO, number).pull
    pull.head_sha = github.add_commit(REPO, again, parent=pull.head_sha)
    pr(capsys, number)
    (second,) = bot_comments(github, number)
    assert f"- [x] ~~{dates.removeprefix('- [ ] ')}~~" in second

    def instructions(lines: list[str]) -> list[str]:
        return [line.split("**")[1] for line in lines]

    still = [line for line in second.splitlines() if line.startswith("- [ ] ")]
    assert instructions(still) == instructions([line for line in asked if line != dates])

    # Push 3: everything spelt right; the list is all ticked, the newest done first.
    pull.head_sha = github.add_commit(REPO, pages, parent=pull.head_sha)
    pr(capsys, number)
    (third,) = bot_comments(github, number)
    ticked = [line for line in third.splitlines() if line.startswith("- [x] ")]
    assert "- [ ] " not in third and len(ticked) == len(asked)
    assert ticked[-1] == f"- [x] ~~{dates.removeprefix('- [ ] ')}~~"
    # A rerun on the same head writes nothing.
    github.clear_log()
    pr(capsys, number)
    assert github.writes() == []
