"""The `--date` of the commands that date what they write (quarterly, new): a day, else today.

Today is the UTC day, as GitHub's timestamps are: a run near midnight dates as CI does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.errors import UsageError


def given_date(text: str | None) -> date:
    """A command's `--date` (YYYY-MM-DD), else today in UTC."""
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date: expected YYYY-MM-DD, got {text!r}") from None
