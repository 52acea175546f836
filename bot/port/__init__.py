"""The GitHub port: operations and their results as data, the Forge protocols, the driver.

A job (publishing a review, a quarterly issue) is a generator that yields operations and
receives their results. It holds all the logic; an adapter (PyGithub, sync; gidgethub,
async; a git checkout) only executes one operation at a time, so every adapter runs the
very same job.
"""
