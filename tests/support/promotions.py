"""A pull request promoting a page to gold under the promotion gate, for the App's, `tierbot
pr`'s and the Action's tests: the config, the page at both tiers, who may approve."""

from __future__ import annotations

from .app_site import BREAKER, GOLD_PAGE, LIB

CONFIG_PATH = ".github/tierbot.yml"
LEAD = "Lead"  # an approver by login (the config spells it lower-case)
TEAM = "acme/maintainers"
CONFIG = f"promotions:\n  approvers: [{LEAD.lower()}, {TEAM}]\n"
SILVER_PAGE = GOLD_PAGE.replace("excellence_tier: gold", "excellence_tier: silver", 1)
OTHER = f"{LIB}/resilience/other-notes.md"  # a page a later push touches instead
NEEDS = "Needs approval from lead or acme/maintainers"

#: The base (config, silver page) and head (the page made gold) of a promotion.
BASE = {CONFIG_PATH: CONFIG, BREAKER: SILVER_PAGE}
HEAD = {BREAKER: GOLD_PAGE}


def approved_by(login: str) -> str:
    return f"Promotion approved by {login}"
