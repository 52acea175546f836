"""`tierbot serve`: the webhook GitHub App, once its extra (`tierbot[app]`) is installed."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
from collections.abc import Callable

from bot.errors import UsageError

#: The modules of the `app` extra (pyproject.toml), by import name.
APP_EXTRA = ("aiohttp", "gidgethub", "prometheus_client", "cachetools")
INSTALL_APP = "pip install 'tierbot[app]'"
#: bot.app is an entry point of its own, like bot.action: named here as a console script is.
APP_ENTRY = "bot.app.server:run_server"


def require_app_extra(command: str) -> None:
    """A ``UsageError`` naming the install command when a module of the extra is missing."""
    missing = [name for name in APP_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"{command} needs {', '.join(missing)}: install them with {INSTALL_APP}")


def run_serve(args: argparse.Namespace) -> int:
    require_app_extra("`tierbot serve`")
    module, _, name = APP_ENTRY.partition(":")
    serve: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return serve(args)
