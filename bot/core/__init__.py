"""The pure core: page texts, rules and GitHub's answers in; findings, comments and plans out.

Nothing here does I/O: no files, no network, no subprocess. Everything above may import it.
"""
