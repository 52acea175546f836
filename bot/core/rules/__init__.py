"""Tier rules: the registered check kinds, policy loading, checking one page, report formats."""
