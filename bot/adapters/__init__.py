"""Adapters: execute the port's operations (GitHub through PyGithub, a git checkout) and read
the working tree. They import the port and the core, never the jobs."""
