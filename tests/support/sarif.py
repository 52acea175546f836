"""The SARIF 2.1.0 JSON schema kept beside the tests (schemas/README.md names its source), and
what a report breaks of it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.protocols import Validator

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


@cache
def _validator() -> Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    kind = jsonschema.validators.validator_for(schema)  # the draft its `$schema` names
    kind.check_schema(schema)
    return kind(schema)


def sarif_errors(report: Any) -> list[str]:
    """Where and how ``report`` is not SARIF 2.1.0, one line each; none for a valid log."""
    errors = sorted(_validator().iter_errors(report), key=lambda error: list(error.path))
    return [f"/{'/'.join(map(str, error.path))}: {error.message}" for error in errors]
