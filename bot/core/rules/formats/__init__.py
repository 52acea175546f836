"""`tierbot check`'s output formats by name, in the order ``--format`` lists them.

A format is a module of this package exposing ``FORMAT``, an ``OutputFormat``; adding one is
that module and its line below. The command line's choices and dispatch come from here.
"""

from __future__ import annotations

from bot.core.rules.formats import github, json_report, sarif, text
from bot.core.rules.formats.model import OutputFormat

FORMATS: dict[str, OutputFormat] = {
    found.name: found for found in (text.FORMAT, json_report.FORMAT, github.FORMAT, sarif.FORMAT)
}
