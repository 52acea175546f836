"""The quarterly review's test site: a library's checkout and its repository on the fake
GitHub, with helpers to run the quarterly job over real HTTP and read its issues back."""

from __future__ import annotations

from pathlib import Path

from .fake_github import FakeGitHubServer
from .git_repo import GitRepo

QUARTERLY_REPO = "octo/patterns"


class QuarterlySite:
    """A pattern library in a git checkout, its repository on the fake GitHub, and runs."""

    def __init__(self, repo: GitRepo, server: FakeGitHubServer) -> None:
        self.repo, self.server, self.state = repo, server, server.state
        self.state.add_repo(QUARTERLY_REPO)

    def forge(self):
        from bot.adapters.pygithub import PyGithubForge

        return PyGithubForge(
            "ghs_test",
            QUARTERLY_REPO,
            api_url=self.server.url,
            graphql_url=self.server.graphql_url,
            write_spacing=0,
        )

    def request(self, day: str, quarter: str | None = None, polls: int = 200):
        from datetime import date

        from bot.core.quarterly.facts import parse_quarter, quarter_of
        from bot.jobs.quarterly.gather import QuarterlyRequest
        from bot.jobs.quarterly.publish import Timing

        today = date.fromisoformat(day)
        return QuarterlyRequest(
            parse_quarter(quarter) if quarter else quarter_of(today),
            today,
            "github-actions[bot]",
            repository=QUARTERLY_REPO,
            timing=Timing(0.05, polls),
        )

    def source(self, directory: Path | None = None, *, api: bool = False):
        """(executor, library) of a run: the checkout (or ``directory``), or the API alone."""
        from bot.adapters.git import library_source

        forge = self.forge()
        return (forge, None) if api else library_source(directory or self.repo.path, forge)

    def run(
        self,
        day: str,
        *,
        quarter: str | None = None,
        directory: Path | None = None,
        api: bool = False,
        polls: int = 200,
        dry_run: bool = False,
    ):
        """One quarterly run over real HTTP, reading the checkout, ``directory`` or the API
        (a dry run writes nothing)."""
        from bot.jobs.quarterly.gather import quarterly_job
        from bot.port.drive import Recorder, dry, run

        executor, library = self.source(directory, api=api)
        execute = dry(executor.execute, Recorder()) if dry_run else executor.execute
        return run(quarterly_job(self.request(day, quarter, polls), library), execute)

    def reviews(self) -> list:
        """The issues carrying a quarterly marker, by number."""
        from bot.core.markers import issue_marker

        issues = self.state.repo(QUARTERLY_REPO).issues.values()
        return sorted((i for i in issues if issue_marker(i.body or "")), key=lambda i: i.number)

    def text(self, number: int) -> str:
        """An issue's body and its comments, as one text."""
        comments = [c.body for c in self.state.comments(QUARTERLY_REPO, number)]
        return "\n".join([self.state.issue(QUARTERLY_REPO, number).body or "", *comments])

    def tick(self, number: int, key: str) -> None:
        """Tick an item as a person does in the browser (who saves with CRLF line ends)."""
        import re

        pattern = re.compile(rf"(?m)^- \[ \](.*tierbot:item {key} -->)$")
        issue = self.state.issue(QUARTERLY_REPO, number)
        for record in [issue, *self.state.comments(QUARTERLY_REPO, number)]:
            text = (record.body or "").replace("\r\n", "\n")
            if pattern.search(text):
                record.body = pattern.sub(r"- [x]\1", text).replace("\n", "\r\n")
                return
        raise AssertionError(f"no open item {key} in #{number}")
