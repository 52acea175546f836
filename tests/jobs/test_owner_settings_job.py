"""`settings_job` over the owner's settings, scripted: what is read where, and each refusal."""

from __future__ import annotations

import re
from typing import Any

import pytest
from support.pages import default_policy, rules_text
from support.scripted import Script

from bot.core.config import CONFIG_PATH, Config
from bot.core.extends import Extended
from bot.errors import ConfigError, ForgeError, NotFound
from bot.jobs.settings import settings_job
from bot.port.operations import ReadFiles, ResolveRef

SHA, ORG_SHA = "b" * 40, "c" * 40
HOME, ORG = "octo/patterns", "octo/.github"
RULES = "policy/rules.yml"
NEEDS_TITLE = rules_text().encode()


def own(text: str | None) -> tuple[ReadFiles, dict[str, bytes | None]]:
    return ReadFiles(SHA, (CONFIG_PATH,)), {CONFIG_PATH: None if text is None else text.encode()}


def org_head(answer: object = ORG_SHA, repository: str = ORG) -> tuple[ResolveRef, object]:
    return ResolveRef("HEAD", repository), answer


def org_file(path: str, data: bytes | None, repository: str = ORG) -> tuple[ReadFiles, object]:
    return ReadFiles(ORG_SHA, (path,), repository), {path: data}


def test_without_settings_of_its_own_the_owners_rule_and_name_their_rules() -> None:
    script = Script(
        own(None),
        org_head(),
        org_file(CONFIG_PATH, f"fail-on: warnings\nrules: {RULES}\n".encode()),
        org_file(RULES, NEEDS_TITLE),
    )

    settings = script.run(settings_job(SHA, home=HOME))

    assert settings.config.fail_on == "warnings"
    assert [rule.id for rule in settings.policy.rules] == ["needs-title"]
    assert settings.policy.source == f"{ORG}:{RULES}"
    assert settings.extended == Extended(ORG, CONFIG_PATH, under_own=False)


def test_settings_of_its_own_without_extends_read_nothing_elsewhere() -> None:
    script = Script(own("fail-on: errors\n"))

    settings = script.run(settings_job(SHA, home=HOME))

    assert (settings.config.fail_on, settings.extended) == ("errors", None)


def test_extends_lays_the_repositorys_over_and_reads_its_own_rules_at_the_base() -> None:
    script = Script(
        own(f"_extends: .github\nrules: {RULES}\nquarterly: {{budget: 3}}\n"),
        org_head(),
        org_file(CONFIG_PATH, b"fail-on: never\nrules: org.yml\nquarterly: {assignees: [ann]}\n"),
        (ReadFiles(SHA, (RULES,)), {RULES: NEEDS_TITLE}),
    )

    settings = script.run(settings_job(SHA, where="main", home=HOME))

    assert settings.config.fail_on == "never"
    assert settings.config.quarterly[:3] == (("tierbot: quarterly-review",), ("ann",), 3)
    assert settings.policy.source == f"{RULES} at main"
    assert settings.extended == Extended(ORG, CONFIG_PATH, under_own=True)


def test_extends_names_another_repository_and_file() -> None:
    script = Script(
        own("_extends: acme/base:tierbot/org.yml\n"),
        org_head(repository="acme/base"),
        org_file("tierbot/org.yml", b"fail-on: errors\n", repository="acme/base"),
    )

    settings = script.run(settings_job(SHA, home=HOME))

    assert settings.config.fail_on == "errors"
    assert settings.extended == Extended("acme/base", "tierbot/org.yml", under_own=True)


@pytest.mark.parametrize(
    "steps",
    [
        [org_head(NotFound("no such repository", status=404))],
        [org_head(ForgeError("Git Repository is empty.", status=409))],
        [org_head(), org_file(CONFIG_PATH, None)],
    ],
    ids=["no .github", "empty .github", "no file there"],
)
def test_no_owner_settings_are_the_defaults_said_nowhere(steps: list[tuple[Any, Any]]) -> None:
    settings = Script(own(None), *steps).run(settings_job(SHA, home=HOME))

    assert (settings.config, settings.policy, settings.extended) == (
        Config(),
        default_policy(),
        None,
    )


def test_owner_settings_refused_say_what_to_do() -> None:
    refused = ForgeError("GitHub answered 403: Resource not accessible", status=403)
    script = Script(own(None), org_head(refused))

    with pytest.raises(ConfigError) as raised:
        script.run(settings_job(SHA, home=HOME))

    said = str(raised.value)
    assert said.startswith(f"{ORG}:{CONFIG_PATH}: GitHub refused to read it")
    assert f"Install tierbot on {ORG}" in said
    assert f"add a `{CONFIG_PATH}` of this repository's own" in said


def test_extends_naming_what_is_not_there_is_an_error_naming_the_file_that_asked() -> None:
    asked = f"{CONFIG_PATH} at bbbbbbbbbbbb: `_extends`"
    with pytest.raises(ConfigError, match=re.escape(f"{asked}: no repository octo/gone")):
        Script(
            own("_extends: gone\n"), org_head(NotFound("x", status=404), repository="octo/gone")
        ).run(settings_job(SHA, home=HOME))
    with pytest.raises(ConfigError, match=re.escape(f"{asked}: no file {ORG}:{CONFIG_PATH}")):
        Script(own("_extends: .github\n"), org_head(), org_file(CONFIG_PATH, None)).run(
            settings_job(SHA, home=HOME)
        )


def test_an_invalid_owner_file_is_an_error_naming_it_exactly() -> None:
    script = Script(own(None), org_head(), org_file(CONFIG_PATH, b"fail-on: sometimes\n"))

    with pytest.raises(ConfigError, match=re.escape(f"{ORG}:{CONFIG_PATH}: `fail-on`: must be")):
        script.run(settings_job(SHA, home=HOME))


def test_the_owners_extends_is_not_followed() -> None:
    script = Script(
        own(None), org_head(), org_file(CONFIG_PATH, b"_extends: elsewhere\nfail-on: errors\n")
    )

    assert script.run(settings_job(SHA, home=HOME)).config.fail_on == "errors"


def test_the_owners_repository_itself_reads_no_layer_under_its_own() -> None:
    script = Script(own(None))

    assert script.run(settings_job(SHA, home="Octo/.github")).extended is None
