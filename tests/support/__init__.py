"""Helpers the tests share: the fake GitHub, git repositories, pages, events, the action runner."""
