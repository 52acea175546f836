"""Tier rules: the registered check kinds, policy loading, checking one page, report formats."""

# The kinds that offer fixes register themselves beside those of `kinds` when imported.
from bot.core.rules import fixing as fixing
from bot.core.rules import spelling as spelling
