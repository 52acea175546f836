"""The Action's promotion gate, as the runner runs `action.yml` against the fake GitHub: the
run fails while a promotion waits for an approver; the approval's `pull_request_review` run
passes."""

from __future__ import annotations

from support import events
from support.action_site import REPO, SILVER_PAGE, make_library, open_pull
from support.promotions import CONFIG, CONFIG_PATH, LEAD, NEEDS, approved_by

NEVER = {"fail-on": "never"}  # the review's own findings never fail these runs
TITLE = "tierbot promotion gate"


def gate_lines(run) -> list[tuple[str, str]]:
    """The run's annotations of the gate: level and message."""
    return [
        (level, text) for level, props, text in run.annotations() if props.get("title") == TITLE
    ]


def test_a_promotion_fails_the_run_until_an_approver_approves(
    run_action, fake_github, tmp_path
) -> None:
    library = make_library(tmp_path / "workspace", {CONFIG_PATH: CONFIG})
    page = library.read(SILVER_PAGE)
    library.commit({SILVER_PAGE: page.replace("excellence_tier: silver", "excellence_tier: gold")})
    payload = open_pull(fake_github, library)
    number, head = payload["number"], library.sha()

    waiting = run_action("pull_request", payload, library.path, NEVER)

    assert waiting.returncode == 1, waiting.stderr
    assert gate_lines(waiting) == [("error", NEEDS)]
    assert f"### 🔒 {NEEDS}" in waiting.summary and SILVER_PAGE in waiting.summary

    fake_github.state.add_review(REPO, number, LEAD, "APPROVED")
    review = events.pull_request_review(
        REPO, number, library.sha("main"), head, reviewer=LEAD, state="approved", review_id=1
    )
    passing = run_action("pull_request_review", review, library.path, NEVER)

    assert passing.returncode == 0, passing.stderr
    assert gate_lines(passing) == [("notice", approved_by(LEAD))]
    assert approved_by(LEAD) in passing.summary
