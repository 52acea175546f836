"""The settings of a run, read at a revision through the port (the base branch, never the PR)."""

from __future__ import annotations

from bot.core.settings import Overrides, Settings, config_from, policy_for
from bot.port.operations import Job, ReadFiles
from bot.resources import bundled_rules


def settings_job(ref: str, overrides: Overrides = Overrides(), where: str = "") -> Job[Settings]:
    """One read for the config, one more for custom rules; ``where`` names ``ref`` in errors."""
    where = where or ref[:12]
    files = yield ReadFiles(ref, (overrides.config_path,))
    config = config_from(files.get(overrides.config_path), where, overrides)
    rules_path = overrides.rules_path or config.rules
    rules_data = None
    if rules_path:
        rules_data = (yield ReadFiles(ref, (rules_path,))).get(rules_path)
    return Settings(config, policy_for(config, rules_path, rules_data, where, bundled_rules))
