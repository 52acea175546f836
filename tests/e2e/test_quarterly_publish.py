"""The quarterly issue published against the fake GitHub over real HTTP, from real git checkouts."""

from __future__ import annotations

import math
import re
import shutil
import threading
from pathlib import Path

import pytest
from support.action_runner import parse_output_file
from support.pages import BANNERS, BRONZE, DROP, GOLD, SILVER, body, page
from support.quarterly_site import QUARTERLY_REPO, QuarterlySite

from bot.adapters.github_graphql import GRAPHQL_BATCH
from bot.cli.main import main
from bot.core.limits import BODY_LIMIT
from bot.core.markers import issue_marker, part_marker
from bot.errors import ConfigError, ForgeError
from bot.jobs.quarterly.gather import quarterly_job
from bot.port.drive import Recorder, dry, run

LIB = "docs/pattern-library"
FRESH = {"last_updated": "2025-05-01"}
ONE_EXAMPLE = "\n  - {company: A, implementation: B, scale: C}"
BREAKER = f"{LIB}/resilience/circuit-breaker.md"
RETRY = f"{LIB}/resilience/retry.md"  # gold with one modern example
TIMEOUT = f"{LIB}/resilience/timeout.md"  # gold under a silver banner
CHUNKING = f"{LIB}/scaling/chunking.md"
SHARDING = f"{LIB}/scaling/sharding.md"  # silver, not reviewed since 2020
DATA_LAKE = f"{LIB}/data/data-lake.md"
LEGACY = f"{LIB}/data/legacy-etl.md"  # bronze without modern_alternatives
UNTIERED = f"{LIB}/misc/untiered.md"
BROKEN = f"{LIB}/misc/broken.md"
LIBRARY = {
    BREAKER: page(GOLD, FRESH),
    RETRY: page(GOLD, {**FRESH, "modern_examples": ONE_EXAMPLE}),
    TIMEOUT: page(GOLD, FRESH, text=body(BANNERS["silver"])),
    CHUNKING: page(SILVER, {"last_updated": DROP, **FRESH}),
    SHARDING: page(SILVER, {"last_updated": "2020-01-01"}),
    DATA_LAKE: page(BRONZE, FRESH),
    LEGACY: page(BRONZE, {**FRESH, "modern_alternatives": ""}),
    UNTIERED: page(GOLD, {**FRESH, "excellence_tier": DROP}),
    BROKEN: "no front matter at all\n",
}
Q2_DAY, Q3_DAY = "2025-06-01", "2025-08-15"


@pytest.fixture
def site(quarterly_site: QuarterlySite) -> QuarterlySite:
    quarterly_site.repo.commit(LIBRARY, message="the library")
    return quarterly_site


def keys(plan) -> dict[str, str]:
    return {item.path: item.key for item in plan.items}


def section(text: str, title: str) -> str:
    return text.split(f"### {title}", 1)[1].split("\n### ", 1)[0]


def item_line(text: str, key: str) -> str:
    return next(line for line in text.splitlines() if f" {key} -->" in line)


def test_first_run_creates_the_issue_and_a_second_writes_nothing(site: QuarterlySite) -> None:
    _, outcome = site.run(Q2_DAY)

    [issue] = site.reviews()
    assert (outcome.action, outcome.number) == ("created", issue.number)
    assert issue.title == "Pattern review 2025-Q2" and issue.state == "open"
    assert issue.labels == ["tierbot: quarterly-review"]  # the lock label came off
    assert "tierbot-lock: 2025-Q2" not in site.state.label_names(QUARTERLY_REPO)
    assert issue_marker(issue.body) == ("2025-Q2", site.repo.sha())
    listed = section(issue.body, "📋 This quarter's pages")
    order = [
        re.search(r"\]\([^)]*/(docs/[^)]+)\)", line)[1]
        for line in listed.splitlines()
        if "- [ ]" in line
    ]
    assert order == [BROKEN, LEGACY, UNTIERED, RETRY, TIMEOUT, SHARDING]
    link = f"https://github.com/{QUARTERLY_REPO}/blob/{site.repo.sha()}/{RETRY}"
    assert f"[`resilience/retry.md`]({link}) · 🏆 gold · 🏆 1 of 2 `modern_examples`" in listed
    assert "**0 of 6 reviewed**" in listed

    site.state.clear_log()
    _, again = site.run(Q2_DAY)
    assert again.action == "unchanged" and site.state.landed_writes() == []


def test_ticks_are_kept_and_fixed_items_move_to_resolved(site: QuarterlySite) -> None:
    plan, outcome = site.run(Q2_DAY)
    key = keys(plan)
    site.tick(outcome.number, key[TIMEOUT])  # still applies after the fixes
    site.tick(outcome.number, key[RETRY])  # fixed below
    two = ONE_EXAMPLE + ONE_EXAMPLE.replace("A", "Z")
    site.repo.commit(
        {
            RETRY: page(GOLD, {**FRESH, "modern_examples": two}),
            LEGACY: page(BRONZE, FRESH),
        }
    )
    site.state.clear_log()

    _, updated = site.run(Q2_DAY)

    assert updated.action == "updated"
    assert [(r.method, r.path.rsplit("/", 2)[-2:]) for r in site.state.landed_writes()] == [
        ("PATCH", ["issues", str(outcome.number)])
    ]
    text = site.state.issue(QUARTERLY_REPO, outcome.number).body
    assert item_line(text, key[TIMEOUT]).startswith("- [x] ")
    assert item_line(text, key[SHARDING]).startswith("- [ ] ")
    resolved = section(text, "Resolved since this issue opened (2)")
    assert f"resolved {key[RETRY]}" in resolved and f"resolved {key[LEGACY]}" in resolved
    listed = section(text, "📋 This quarter's pages")
    assert RETRY not in listed and LEGACY not in listed
    assert "**3 of 6 reviewed**" in listed  # one tick kept, two pages resolved
    site.state.clear_log()
    assert site.run(Q2_DAY)[1].action == "unchanged" and not site.state.landed_writes()


def test_next_quarter_opens_a_new_issue_closes_the_old_and_lists_the_changes(
    site: QuarterlySite,
) -> None:
    _, q2 = site.run(Q2_DAY)
    added = f"{LIB}/data/data-mesh.md"
    site.repo.move(DATA_LAKE, f"{LIB}/data/archive/data-lake.md")
    site.repo.commit(
        {
            added: page(SILVER, {"last_updated": DROP, **FRESH}),
            BROKEN: None,
            CHUNKING: page(GOLD, FRESH),  # promoted
            BREAKER: page(BRONZE, FRESH),  # demoted
        }
    )

    _, q3 = site.run(Q3_DAY)

    old, new = site.reviews()
    assert (old.number, new.number) == (q2.number, q3.number) and q3.action == "created"
    assert (old.state, new.state) == ("closed", "open") and q3.closed == (q2.number,)
    [comment] = site.state.comments(QUARTERLY_REPO, old.number)
    assert f"#{new.number}" in comment.body and "2025-Q3" in comment.body
    since = section(new.body, "Since last review")
    assert f"Since the 2025-Q2 review (#{old.number})" in since
    groups = dict(re.findall(r"\*\*(\w+) \((\d+)\)\*\*", since))
    assert groups == {
        "Added": "1",
        "Removed": "1",
        "Archived": "1",
        "Promoted": "1",
        "Demoted": "1",
    }
    entries = [line for line in since.splitlines() if line.startswith("- ")]
    assert [re.findall(r"/(docs/[^)]+)\)", line) for line in entries] == [
        [added],
        [BROKEN],
        [DATA_LAKE, f"{LIB}/data/archive/data-lake.md"],
        [CHUNKING],
        [BREAKER],
    ]
    assert entries[3].endswith(": silver → gold") and entries[4].endswith(": gold → bronze")
    assert "| 🗄️ archived | 1 | — | — | — | +1 |" in new.body
    # Reruns of either quarter, in any order, change nothing more.
    site.state.clear_log()
    site.run(Q2_DAY)
    site.run(Q3_DAY)
    site.run(Q2_DAY)
    assert site.state.landed_writes() == []


def test_twenty_concurrent_runs_make_one_issue(site: QuarterlySite) -> None:
    # Every answer late enough that all twenty runs list the issues before the first run to
    # take the lock has created the issue and dropped the lock (about five answers).
    site.state.delay = 0.05
    start = threading.Barrier(20)
    outcomes, errors = [], []

    def one_run() -> None:
        try:
            start.wait()
            outcomes.append(site.run(Q2_DAY)[1])
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one_run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    [issue] = site.reviews()
    assert {o.number for o in outcomes} == {issue.number}
    assert [o.action for o in outcomes].count("created") == 1
    assert len(site.state.requests_to(r"/issues$", "POST")) == 1
    assert len(site.state.requests_to(r"/labels$", "POST")) >= 20  # each run tried the lock
    assert "tierbot-lock: 2025-Q2" not in site.state.label_names(QUARTERLY_REPO)
    assert issue.labels == ["tierbot: quarterly-review"]


def test_duplicates_from_a_crashed_lock_holder_are_closed(site: QuarterlySite) -> None:
    plan, first = site.run(Q2_DAY)
    # Another run created a second issue for the quarter (a stale lock taken over).
    body = site.state.issue(QUARTERLY_REPO, first.number).body
    second = site.state.add_issue(
        QUARTERLY_REPO, plan.title, body, user="github-actions[bot]", labels=plan.labels
    )

    _, outcome = site.run(Q2_DAY)

    assert outcome.number == first.number
    duplicate = site.state.issue(QUARTERLY_REPO, second)
    assert (duplicate.state, duplicate.state_reason) == ("closed", "duplicate")
    assert issue_marker(duplicate.body) is None
    assert f"#{first.number}" in site.state.comments(QUARTERLY_REPO, second)[0].body
    site.state.clear_log()
    site.run(Q2_DAY)
    assert site.state.landed_writes() == []


def test_a_stale_lock_is_taken_over(site: QuarterlySite) -> None:
    site.state.add_label(QUARTERLY_REPO, "tierbot-lock: 2025-Q2")  # its holder died

    _, outcome = site.run(Q2_DAY, polls=3)

    assert outcome.action == "created" and len(site.reviews()) == 1
    assert "tierbot-lock: 2025-Q2" not in site.state.label_names(QUARTERLY_REPO)


def test_a_failed_create_releases_the_lock(site: QuarterlySite) -> None:
    site.state.fail_next(1, 502, method="POST", path=r"/issues$")

    with pytest.raises(ForgeError):
        site.run(Q2_DAY)

    assert site.reviews() == []
    assert "tierbot-lock: 2025-Q2" not in site.state.label_names(QUARTERLY_REPO)
    assert site.run(Q2_DAY)[1].action == "created" and len(site.reviews()) == 1


def test_the_issue_needs_a_label_to_be_found_by(site: QuarterlySite) -> None:
    site.repo.commit({".github/tierbot.yml": "quarterly:\n  labels: []\n"})
    with pytest.raises(ConfigError, match=r"quarterly\.labels"):
        site.run(Q2_DAY)


def test_a_closed_issue_is_left_alone(site: QuarterlySite) -> None:
    _, outcome = site.run(Q2_DAY)
    site.state.issue(QUARTERLY_REPO, outcome.number).state = "closed"
    site.repo.commit({LEGACY: page(BRONZE, FRESH)})
    site.state.clear_log()

    _, again = site.run(Q2_DAY)

    assert again.action == "closed" and site.state.landed_writes() == []
    assert len(site.reviews()) == 1


def test_a_thousand_pages_split_across_comments_and_found_again(
    quarterly_site: QuarterlySite,
) -> None:
    pages = {
        f"{LIB}/gen/p{n:04}.md": page(GOLD, {"last_updated": "2020-01-01"}) for n in range(1000)
    }
    unlimited = {".github/tierbot.yml": "quarterly:\n  budget: 0\n"}  # every page, every quarter
    quarterly_site.repo.commit({**pages, **unlimited})

    plan, outcome = quarterly_site.run(Q2_DAY)

    comments = quarterly_site.state.comments(QUARTERLY_REPO, outcome.number)
    issue = quarterly_site.state.issue(QUARTERLY_REPO, outcome.number)
    assert len(comments) >= 3 and len(plan.items) == 1000
    assert all(len(text) < BODY_LIMIT for text in [issue.body, *(c.body for c in comments)])
    assert [part_marker(c.body) for c in comments] == [
        ("2025-Q2", n) for n in range(2, len(comments) + 2)
    ]
    # The list of pages is longer than a part: it starts in the issue, and each part it
    # continues in says so first.
    assert "- [ ] " in issue.body
    for comment in comments:
        if "- [ ] " in comment.body:
            first = next(line for line in comment.body.splitlines()[1:] if line.startswith("#"))
            assert first == "### 📋 This quarter's pages (continued)"
    text = quarterly_site.text(outcome.number)
    assert all(f"tierbot:item {item.key} -->" in text for item in plan.items)
    assert all(text.count(f"/{path})") == 2 for path in pages)  # an item and the inventory
    quarterly_site.state.clear_log()
    assert quarterly_site.run(Q2_DAY)[1].action == "unchanged"
    assert quarterly_site.state.landed_writes() == []
    # A tick in the last part survives an update that shrinks the body.
    last = plan.items[-1]
    quarterly_site.tick(outcome.number, last.key)
    quarterly_site.repo.commit({path: None for path in list(pages)[:500]})
    quarterly_site.run(Q2_DAY)
    text = quarterly_site.text(outcome.number)
    assert item_line(text, last.key).startswith("- [x] ")
    assert "This continuation is no longer needed" in text


def test_health_flags_a_gold_page_on_an_archived_upstream(quarterly_site: QuarterlySite) -> None:
    state = quarterly_site.state
    state.add_repo("legacy/hystrix", stars=23_000, pushed_at="2018-11-20T00:00:00Z", archived=True)
    state.add_repo("resilience4j/resilience4j", stars=9_000, pushed_at="2025-05-20T00:00:00Z")
    health = "\n  repos: [legacy/hystrix]"
    quarterly_site.repo.commit(
        {
            BREAKER: page(GOLD, {**FRESH, "health": health}),
            RETRY: page(GOLD, {**FRESH, "health": "\n  repos: [resilience4j/resilience4j]"}),
        }
    )

    plan, outcome = quarterly_site.run(Q2_DAY)

    assert [(i.kinds, i.path) for i in plan.items] == [(("health",), BREAKER)]
    text = quarterly_site.text(outcome.number)
    assert "| `legacy/hystrix` | 23,000 | 2018-11-20 | 🗄️ yes | 40/70 |" in text
    assert "| `resilience4j/resilience4j` | 9,000 | 2025-05-20 | no | 60/70 |" in text


def test_health_requests_are_capped_and_the_skipped_reported(
    quarterly_site: QuarterlySite,
) -> None:
    names = [f"up/project{n}" for n in range(5)]
    for name in names:
        quarterly_site.state.add_repo(name, stars=10, pushed_at="2025-05-01T00:00:00Z")
    repos = "\n  repos: [" + ", ".join(names) + "]"
    quarterly_site.repo.commit(
        {
            ".github/tierbot.yml": "quarterly:\n  health:\n    max-requests: 2\n",
            BREAKER: page(GOLD, {**FRESH, "health": repos}),
        }
    )

    plan, outcome = quarterly_site.run(Q2_DAY)

    looked_up = quarterly_site.state.requests_to(r"^/repos/up/project\d$", "GET")
    assert [r.path for r in looked_up] == ["/repos/up/project0", "/repos/up/project1"]
    text = quarterly_site.text(outcome.number)
    assert (
        "3 repositories not looked up (at most 2 requests a run, "
        "`quarterly.health.max-requests`): `up/project2`, `up/project3`, `up/project4`."
    ) in text
    assert plan.items == ()  # not every project is known: no demotion on a guess


def test_without_a_checkout_pages_are_read_in_a_handful_of_requests(
    quarterly_site: QuarterlySite,
) -> None:
    state = quarterly_site.state
    files = {f"{LIB}/gen/p{n:03}.md": page(GOLD, FRESH) for n in range(250)}
    first = state.add_commit(QUARTERLY_REPO, {**LIBRARY, **files}, branch="main")

    plan, _ = quarterly_site.run(Q2_DAY, api=True)

    assert plan.sha == first and plan.counts["gold"] == 3 + 250
    reads = [r.path for r in state.reads()]
    # the config, then 259 pages GRAPHQL_BATCH (250) at a time, then the last commit of the
    # one page no front matter dates (broken.md)
    assert reads.count("/graphql") == 1 + math.ceil(259 / GRAPHQL_BATCH) + 1 == 1 + 2 + 1
    assert len([p for p in reads if "/git/trees/" in p]) == 1
    assert not [p for p in reads if "/contents/" in p]
    # The next quarter, still without a checkout, compares with the commit the first recorded.
    state.add_commit(QUARTERLY_REPO, {BROKEN: None}, parent=first, branch="main")
    _, q3 = quarterly_site.run(Q3_DAY, api=True)
    new = state.issue(QUARTERLY_REPO, q3.number)
    assert "**Removed (1)**" in section(new.body, "Since last review")


def test_a_plain_directory_records_no_commit_and_reads_the_last_one_through_the_api(
    site: QuarterlySite, tmp_path: Path
) -> None:
    site.state.add_commit(QUARTERLY_REPO, site.repo.files_at(), branch="main")
    site.run(Q2_DAY, api=True)  # records the commit, on GitHub only
    plain = tmp_path / "plain"
    shutil.copytree(site.repo.path, plain, ignore=shutil.ignore_patterns(".git"))
    (plain / BROKEN).unlink()

    plan, outcome = site.run(Q3_DAY, directory=plain)

    assert plan.sha is None
    issue = site.state.issue(QUARTERLY_REPO, outcome.number)
    assert issue_marker(issue.body) == ("2025-Q3", None)
    assert f"blob/HEAD/{RETRY}" in issue.body
    assert f"/{BROKEN})" in section(issue.body, "Since last review")


def test_a_dry_run_writes_nothing_and_records_what_it_would(site: QuarterlySite) -> None:
    recorder = Recorder()
    executor, library = site.source()
    job = quarterly_job(site.request(Q2_DAY), library)
    _, outcome = run(job, dry(executor.execute, recorder))

    assert outcome.action == "created" and outcome.number is None
    assert site.state.landed_writes() == [] and site.reviews() == []
    assert [type(op).__name__ for op in recorder.writes] == [
        "CreateLabel",
        "CreateIssue",
        "DeleteLabel",
    ]


def test_cli_publishes_and_dry_runs(
    site: QuarterlySite, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", site.server.url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", site.server.graphql_url)
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_test")
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    argv = ["quarterly", "--repo", str(site.repo.path), "--github", QUARTERLY_REPO]

    assert main([*argv, "--date", Q2_DAY, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Title: Pattern review 2025-Q2" in out and "CreateIssue(" in out
    assert site.state.landed_writes() == []

    assert main([*argv, "--date", Q2_DAY]) == 0
    assert "Pattern review 2025-Q2: created" in capsys.readouterr().out
    assert main([*argv, "--quarter", "2025-Q2", "--date", Q2_DAY, "--dry-run"]) == 0
    assert "Dry run: 0 write(s) not made" in capsys.readouterr().out


def test_cli_needs_github_unless_dry_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["quarterly", "--repo", str(tmp_path)]) == 2
    assert "--github OWNER/REPO" in capsys.readouterr().err
    assert main(["quarterly", "--repo", str(tmp_path), "--date", "26/11/2026", "--dry-run"]) == 2
    assert main(["quarterly", "--repo", str(tmp_path), "--quarter", "2026-Q9", "--dry-run"]) == 2


def test_cli_dry_run_on_the_corpus(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quarterly", "--repo", str(corpus), "--date", "2026-11-26", "--dry-run"]) == 0
    out = capsys.readouterr().out
    # 44 gold: the 45th gold page says `type: learning-module`, so it is no pattern page.
    assert "| 🏆 gold | 44 | " in out and "| 🥈 silver | 57 | " in out
    assert "CreateIssue(" in out


def test_the_action_runs_from_the_checkout(site: QuarterlySite, tmp_path: Path) -> None:
    from bot.action.run import run_action_quarterly

    summary, output = tmp_path / "summary.md", tmp_path / "output"
    env = {
        "GITHUB_REPOSITORY": QUARTERLY_REPO,
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
    }
    code = run_action_quarterly(site.repo.path, "2025-Q2", False, site.forge(), env)
    outputs = parse_output_file(output.read_text())

    [issue] = site.reviews()
    assert code == 0 and outputs["issue-url"].endswith(f"/issues/{issue.number}")
    assert "Pattern review 2025-Q2" in summary.read_text()
    assert not [r for r in site.state.reads() if "/graphql" in r.path or "/git/" in r.path]


def test_the_corpus_in_a_git_checkout(quarterly_site: QuarterlySite, corpus: Path) -> None:
    quarterly_site.repo.copy_tree(corpus)
    quarterly_site.repo.commit(message="DStudio at 9a0cc0b2")

    plan, outcome = quarterly_site.run("2026-11-26")

    assert outcome.action == "created" and plan.counts["gold"] == 44  # one is a learning module
    assert quarterly_site.state.comments(QUARTERLY_REPO, outcome.number) == []  # one part
    quarterly_site.state.clear_log()
    assert quarterly_site.run("2026-11-26")[1].action == "unchanged"
    assert quarterly_site.state.landed_writes() == []


def test_codeowners_name_each_pages_owners_and_the_issue_is_assigned_to_them(
    site: QuarterlySite,
) -> None:
    site.repo.commit(
        {
            ".github/tierbot.yml": "quarterly:\n  assignees: [rota]\n",
            "CODEOWNERS": "* @root-only\n",  # GitHub reads .github/CODEOWNERS first
            ".github/CODEOWNERS": (
                "# GitHub's syntax: the last matching pattern wins\n"
                "docs/ @docs-lead\n"
                "/docs/pattern-library/resilience/ @ana @acme/resilience\n"
                "/docs/pattern-library/resilience/timeout.md @bo ops@example.com\n"
                "docs/pattern-library/misc/\n"  # no owners: none for these pages
            ),
        }
    )

    plan, outcome = site.run(Q2_DAY)

    owners = {item.path: item.owners for item in plan.items}
    assert owners[RETRY] == ("@ana", "@acme/resilience")
    assert owners[TIMEOUT] == ("@bo", "ops@example.com")
    assert owners[SHARDING] == ("@docs-lead",) and owners[BROKEN] == ()
    issue = site.state.issue(QUARTERLY_REPO, outcome.number)
    assert issue.assignees == ["docs-lead", "ana", "bo"]  # people, most pages first; no team
    line = item_line(issue.body, next(i.key for i in plan.items if i.path == RETRY))
    # Named, not pinged (a zero-width space after the @): the assignment notifies them.
    assert " · owners `@\u200bana` `@\u200bacme/resilience` <!-- tierbot:item " in line
    # Without CODEOWNERS, the configured rota.
    site.repo.commit({".github/CODEOWNERS": None, "CODEOWNERS": None})
    assert site.run("2025-08-15")[0].assignees == ("rota",)


@pytest.mark.parametrize("api", [False, True], ids=["git", "api"])
def test_a_moved_page_is_renamed_since_the_last_review(site: QuarterlySite, api: bool) -> None:
    if api:
        site.state.add_commit(QUARTERLY_REPO, site.repo.files_at(), branch="main")
    site.run(Q2_DAY, api=api)
    moved = f"{LIB}/data/chunking.md"
    site.repo.move(CHUNKING, moved)
    site.repo.commit({f"{LIB}/gen/p{n:02}.md": page(SILVER, FRESH) for n in range(12)})
    if api:
        main_head = site.state.repo(QUARTERLY_REPO).branches["main"]
        files = {**site.repo.files_at(), CHUNKING: None}  # the fake's commit updates its parent's
        site.state.add_commit(QUARTERLY_REPO, files, parent=main_head, branch="main")

    _, outcome = site.run(Q3_DAY, api=api)

    since = section(site.state.issue(QUARTERLY_REPO, outcome.number).body, "Since last review")
    assert "<details><summary>13 changes: 12 added, 1 renamed</summary>" in since  # folded
    assert "**Renamed (1)**" in since and "**Removed" not in since
    [renamed] = [line for line in since.splitlines() if "→" in line]
    assert re.findall(r"/(docs/[^)]+)\)", renamed) == [CHUNKING, moved]
    assert since.rstrip().endswith("</details>")
