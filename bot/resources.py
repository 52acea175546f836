"""Files shipped inside tierbot itself (the bundled rules): a leaf any entry or adapter may use."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.errors import RulesError

BUNDLED_RULES = "dstudio.yml"


def bundled_rules_path() -> Path:
    """The bundled DStudio policy, in an installed wheel or a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules" / BUNDLED_RULES, here.parent / "rules" / BUNDLED_RULES):
        if candidate.is_file():
            return candidate
    raise RulesError(f"the bundled rules file {BUNDLED_RULES} is missing from this installation")


@cache
def bundled_rules() -> tuple[str, str]:
    """(text, path) of the bundled rules file, read once per process."""
    path = bundled_rules_path()
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as error:
        raise RulesError(f"{path}: cannot read the rules file: {error}") from None


def bundled_example(name: str) -> str:
    """An example file shipped with tierbot (`workflows/tierbot.yml`, `tierbot.yml`):
    the text `tierbot init` writes, the same file the README shows."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_examples" / name, here.parent / "examples" / name):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise RulesError(f"the example file {name} is missing from this installation")
