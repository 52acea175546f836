"""GitHub's JSON for the fake's records, with URLs pointing at the fake server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .patches import patch
from .records import (
    CommentRecord,
    FileChange,
    IssueRecord,
    LabelRecord,
    PullInfo,
    RepoRecord,
    blob_sha,
    node_id,
    wrapped_base64,
)
from .state import FakeGitHub

CONTENTS_LIMIT = 1024 * 1024  # the contents API leaves out bodies of larger files


@dataclass
class Shapes:
    """Builds GitHub's JSON for state records, with URLs pointing at this server."""

    state: FakeGitHub
    api: str  # e.g. http://127.0.0.1:PORT (plus the prefix, if any)

    @property
    def html(self) -> str:
        return self.state.html_base

    def user(self, login: str) -> dict[str, Any]:
        uid = self.state.user_id(login)
        is_identity = login == self.state.identity["login"]
        kind = self.state.identity["type"] if is_identity else "User"
        kind = "Bot" if login.endswith("[bot]") else kind
        url = f"{self.api}/users/{quote(login)}"
        html = f"{self.html}/apps/{login.removesuffix('[bot]')}" if kind == "Bot" else None
        return {
            "login": login,
            "id": uid,
            "node_id": node_id("User", uid),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": url,
            "html_url": html or f"{self.html}/{login}",
            "followers_url": f"{url}/followers",
            "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}",
            "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions",
            "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events",
            "type": kind,
            "user_view_type": "public",
            "site_admin": False,
        }

    def repo_url(self, repo: RepoRecord) -> str:
        return f"{self.api}/repos/{repo.full_name}"

    def repository(self, repo: RepoRecord) -> dict[str, Any]:
        url, html = self.repo_url(repo), f"{self.html}/{repo.full_name}"
        return {
            "id": repo.id,
            "node_id": node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.user(repo.owner),
            "html_url": html,
            "description": None,
            "fork": False,
            "url": url,
            "issues_url": f"{url}/issues{{/number}}",
            "pulls_url": f"{url}/pulls{{/number}}",
            "labels_url": f"{url}/labels{{/name}}",
            "contents_url": f"{url}/contents/{{+path}}",
            "trees_url": f"{url}/git/trees{{/sha}}",
            "blobs_url": f"{url}/git/blobs{{/sha}}",
            "statuses_url": f"{url}/statuses/{{sha}}",
            "commits_url": f"{url}/commits{{/sha}}",
            "created_at": "2020-01-01T00:00:00Z",
            "updated_at": repo.pushed_at,
            "pushed_at": repo.pushed_at,
            "git_url": f"git://github.com/{repo.full_name}.git",
            "clone_url": f"{html}.git",
            "homepage": None,
            "size": 0,
            "stargazers_count": repo.stars,
            "watchers_count": repo.stars,
            "language": None,
            "has_issues": True,
            "forks_count": 0,
            "archived": repo.archived,
            "disabled": False,
            "open_issues_count": sum(i.state == "open" for i in repo.issues.values()),
            "license": None,
            "topics": [],
            "visibility": "private" if repo.private else "public",
            "forks": 0,
            "open_issues": sum(i.state == "open" for i in repo.issues.values()),
            "watchers": repo.stars,
            "default_branch": repo.default_branch,
        }

    def label(self, repo: RepoRecord, label: LabelRecord) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": node_id("Label", label.id),
            "url": f"{self.repo_url(repo)}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def issue_labels(self, repo: RepoRecord, issue: IssueRecord) -> list[dict[str, Any]]:
        found = (repo.label(name) for name in issue.labels)
        return [self.label(repo, label) for label in found if label]

    def issue(self, repo: RepoRecord, issue: IssueRecord) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/issues/{issue.number}"
        kind = "pull" if issue.pull else "issues"
        html = f"{self.html}/{repo.full_name}/{kind}/{issue.number}"
        assignees = [self.user(login) for login in issue.assignees]
        shape: dict[str, Any] = {
            "url": url,
            "repository_url": self.repo_url(repo),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": html,
            "id": issue.id,
            "node_id": node_id("PullRequest" if issue.pull else "Issue", issue.id),
            "number": issue.number,
            "title": issue.title,
            "user": self.user(issue.user),
            "labels": self.issue_labels(repo, issue),
            "state": issue.state,
            "locked": False,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": None,
            "comments": sum(c.issue_number == issue.number for c in repo.comments.values()),
            "created_at": issue.created_at,
            "updated_at": issue.updated_at,
            "closed_at": issue.closed_at,
            "author_association": "OWNER" if issue.user == repo.owner else "CONTRIBUTOR",
            "active_lock_reason": None,
            "body": issue.body,
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "state_reason": issue.state_reason,
        }
        if issue.pull:
            pulls = f"{self.repo_url(repo)}/pulls/{issue.number}"
            shape["draft"] = issue.pull.draft
            shape["pull_request"] = {
                "url": pulls,
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None,
            }
        return shape

    def branch(self, repo: RepoRecord, ref: str, sha: str, login: str) -> dict[str, Any]:
        return {
            "label": f"{login}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.user(login),
            "repo": self.repository(repo),
        }

    def pull(self, repo: RepoRecord, issue: IssueRecord) -> dict[str, Any]:
        pull = issue.pull
        assert pull is not None
        base = self.issue(repo, issue)
        url = f"{self.repo_url(repo)}/pulls/{issue.number}"
        html = base["html_url"]
        keep = ("id", "node_id", "html_url", "number", "state", "locked", "title", "user", "body")
        shape = {key: base[key] for key in keep}
        shape.update(
            url=url,
            diff_url=f"{html}.diff",
            patch_url=f"{html}.patch",
            issue_url=base["url"],
            created_at=issue.created_at,
            updated_at=issue.updated_at,
            closed_at=issue.closed_at,
            merged_at=None,
            merge_commit_sha=None,
            assignee=base["assignee"],
            assignees=base["assignees"],
            requested_reviewers=[],
            requested_teams=[],
            labels=base["labels"],
            milestone=None,
            draft=pull.draft,
            commits_url=f"{url}/commits",
            review_comments_url=f"{url}/comments",
            review_comment_url=f"{self.repo_url(repo)}/pulls/comments{{/number}}",
            comments_url=base["comments_url"],
            statuses_url=f"{self.repo_url(repo)}/statuses/{pull.head_sha}",
            head=self.branch(repo, pull.head_ref, pull.head_sha, issue.user),
            base=self.branch(repo, pull.base_ref, pull.base_sha, repo.owner),
            _links={
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": base["url"]},
                "comments": {"href": base["comments_url"]},
            },
            author_association=base["author_association"],
            auto_merge=None,
            active_lock_reason=None,
            merged=False,
            mergeable=True,
            rebaseable=True,
            mergeable_state="clean",
            merged_by=None,
            comments=base["comments"],
            review_comments=0,
            maintainer_can_modify=False,
            commits=1,
            additions=len(pull.files),
            deletions=0,
            changed_files=len(pull.files),
        )
        return shape

    def pull_file(self, repo: RepoRecord, pull: PullInfo, change: FileChange) -> dict[str, Any]:
        side = repo.commits.get(pull.base_sha if change.status == "removed" else pull.head_sha, {})
        content = side.get(change.filename)
        sha = blob_sha(content) if content is not None else blob_sha(change.filename.encode())
        path = quote(change.filename)
        shape: dict[str, Any] = {
            "sha": sha,
            "filename": change.filename,
            "status": change.status,
            "additions": 1 if change.status != "removed" else 0,
            "deletions": 1 if change.status in ("removed", "modified") else 0,
            "changes": 2 if change.status == "modified" else 1,
            "blob_url": f"{self.html}/{repo.full_name}/blob/{pull.head_sha}/{path}",
            "raw_url": f"{self.html}/{repo.full_name}/raw/{pull.head_sha}/{path}",
            "contents_url": f"{self.repo_url(repo)}/contents/{path}?ref={pull.head_sha}",
        }
        base = repo.commits.get(pull.base_sha, {}).get(change.previous_filename or change.filename)
        head = None if change.status == "removed" else content
        shown = change.patch or patch(base if change.status != "added" else None, head)
        if shown is not None:
            shape["patch"] = shown
        if change.previous_filename:
            shape["previous_filename"] = change.previous_filename
        return shape

    def comment(self, repo: RepoRecord, comment: CommentRecord) -> dict[str, Any]:
        issue = repo.issues.get(comment.issue_number)
        kind = "pull" if issue and issue.pull else "issues"
        issue_html = f"{self.html}/{repo.full_name}/{kind}/{comment.issue_number}"
        return {
            "url": f"{self.repo_url(repo)}/issues/comments/{comment.id}",
            "html_url": f"{issue_html}#issuecomment-{comment.id}",
            "issue_url": f"{self.repo_url(repo)}/issues/{comment.issue_number}",
            "id": comment.id,
            "node_id": node_id("IssueComment", comment.id),
            "user": self.user(comment.user),
            "created_at": comment.created_at,
            "updated_at": comment.updated_at,
            "author_association": "NONE",
            "body": comment.body,
            "performed_via_github_app": None,
        }

    def content(self, repo: RepoRecord, ref: str, path: str, data: bytes) -> dict[str, Any]:
        sha = blob_sha(data)
        url = f"{self.repo_url(repo)}/contents/{quote(path)}?ref={ref}"
        git_url = f"{self.repo_url(repo)}/git/blobs/{sha}"
        html = f"{self.html}/{repo.full_name}/blob/{ref}/{quote(path)}"
        small = len(data) <= CONTENTS_LIMIT
        return {
            "type": "file",
            "encoding": "base64" if small else "none",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": wrapped_base64(data) if small else "",
            "sha": sha,
            "url": url,
            "git_url": git_url,
            "html_url": html,
            "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
            "_links": {"self": url, "git": git_url, "html": html},
        }

    def status(self, repo: RepoRecord, sha: str, status: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"{self.repo_url(repo)}/statuses/{sha}",
            "avatar_url": None,
            "id": status["id"],
            "node_id": node_id("StatusContext", status["id"]),
            "state": status["state"],
            "description": status["description"],
            "target_url": status["target_url"],
            "context": status["context"],
            "created_at": status["created_at"],
            "updated_at": status["created_at"],
            "creator": self.user(status["creator"]),
        }

    def check_run(self, repo: RepoRecord, run: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/check-runs/{run['id']}"
        output = run.get("output") or {}
        return {
            "id": run["id"],
            "node_id": node_id("CheckRun", run["id"]),
            "head_sha": run["head_sha"],
            "external_id": run.get("external_id", ""),
            "url": url,
            "html_url": f"{self.html}/{repo.full_name}/runs/{run['id']}",
            "details_url": run.get("details_url"),
            "status": run.get("status", "queued"),
            "conclusion": run.get("conclusion"),
            "started_at": run.get("started_at"),
            "completed_at": run.get("completed_at"),
            "output": {
                "title": output.get("title"),
                "summary": output.get("summary"),
                "text": output.get("text"),
                "annotations_count": len(run.get("annotations", [])),
                "annotations_url": f"{url}/annotations",
            },
            "name": run["name"],
            "check_suite": {"id": run["id"] + 1},
            "app": run["app"],
            "pull_requests": [],
        }
