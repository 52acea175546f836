"""The replayed DStudio pull requests change what they say they change (support/replays.py)."""

from __future__ import annotations

from collections import Counter

from support.git_repo import GitRepo
from support.replays import corpus_library, hyphenated_fields, keys_renamed

from bot.adapters.files import check_paths, load_settings

#: The keys 2a622afc hyphenated that the issue names.
NAMED = {"modern_examples", "last_updated", "production_checklist", "best_for", "trade_offs"}


def test_keys_renamed_hyphenates_the_keys_tierbot_reads_and_nothing_else(
    corpus, git_repo: GitRepo
) -> None:
    repo = corpus_library(git_repo)
    base = repo.files_at("main")
    replay = keys_renamed(repo)
    head = repo.files_at("feature")
    assert replay.pages == 100 and set(head) == set(base)
    assert {name for name in head if head[name] != base[name]} == set(replay.renamed)
    assert NAMED | {"pattern_status", "deprecation_reason"} <= set(hyphenated_fields())
    assert "excellence_tier" not in hyphenated_fields()  # the tier rules still apply
    renamed = Counter(key for keys in replay.renamed.values() for key in keys)
    assert all(renamed[key] > 20 for key in NAMED), renamed
    for name, keys in replay.renamed.items():  # renamed back, each page is main's to the byte
        page = head[name]
        for key in keys:
            hyphenated = f"\n{key.replace('_', '-')}:".encode()
            assert page.count(hyphenated) == 1, (name, key)
            page = page.replace(hyphenated, f"\n{key}:".encode())
        assert page == base[name], name
    # And tierbot reads each of them as a misspelt key.
    pages = [repo.path / name for name in replay.renamed]
    reports = check_paths(pages, load_settings(None, None, repo.path), repo.path).reports
    assert len(reports) == replay.pages
    for report in reports:
        misspelt = {f.field for f in report.findings if f.spelling}  # whichever rule says it
        assert set(replay.renamed[report.path]) <= misspelt, report.path
