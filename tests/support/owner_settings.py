"""An owner's `.github` repository on the fake GitHub: organisation-wide settings and rules."""

from __future__ import annotations

from .fake_github import FakeGitHub
from .pages import rules_text

ORG_RULES_PATH = "tierbot/rules.yml"
#: The owner's rules: one error of their own, which no page of the examples satisfies.
ORG_RULES = rules_text(
    """\
  - id: needs-owner
    severity: error
    check: required
    field: owner
    message: "No `{field}`: the organisation asks every page for one."
    checklist: "Add `{field}`: the team that answers for the pattern."
"""
)
ORG_LABEL = "org: needs metadata"
#: The owner's settings: their rules, read from `.github`, and a label of their own.
ORG_CONFIG = f"rules: {ORG_RULES_PATH}\nlabels:\n  needs-metadata: '{ORG_LABEL}'\n"


def owner_repository(state: FakeGitHub, owner: str, files: dict[str, str]) -> str:
    """``owner``'s `.github` repository, ``files`` on its default branch; its full name."""
    full_name = f"{owner}/.github"
    state.add_repo(full_name)
    state.add_commit(full_name, files, branch="main")
    return full_name
