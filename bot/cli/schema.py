"""`tierbot schema`: the JSON Schema of the front matter the rules in force ask of a tier."""

from __future__ import annotations

import argparse
import json

import yaml

from bot.adapters.files import load_settings
from bot.core.rules.schema import all_tiers_schema, tier_schema
from bot.resources import BUNDLED_RULES


def run_schema(args: argparse.Namespace) -> int:
    settings = load_settings(args.config, args.rules)
    # Named as the user wrote it: the schema reads the same on every machine.
    source = args.rules or settings.config.rules or f"tierbot's bundled {BUNDLED_RULES}"
    policy = settings.policy._replace(source=source)
    schema = all_tiers_schema(policy) if args.all else tier_schema(policy, args.tier)
    text = json.dumps(schema, indent=2, ensure_ascii=False)
    if args.format == "yaml":  # from the JSON: shared fragments written out, not as aliases
        text = yaml.safe_dump(json.loads(text), sort_keys=False, allow_unicode=True, width=100)
    print(text.rstrip("\n"))
    return 0
