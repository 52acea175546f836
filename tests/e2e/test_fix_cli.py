"""`tierbot fix`: what it writes, --check and --diff, pages it cannot read, and the corpus."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from support.fix_cli import snapshot, tierbot
from support.pages import BANNERS, BRONZE, DROP, GOLD, SILVER, body, page

from bot.adapters.files import load_policy, write_page
from bot.cli import fix as fix_command
from bot.cli import main as cli
from bot.core.documents import parse_document
from bot.core.fixes import line_edit
from bot.core.rules.evaluate import evaluate

PAGES = {
    "clean.md": page(GOLD),
    "hyphen.md": page(BRONZE, {"modern_alternatives": DROP, "modern-alternatives": "[Mesh]"}),
    "no-banner.md": page(SILVER, text=body()),
    "broken.md": "---\ntitle: Saga: Distributed Transactions\n---\n",
}
FIXABLE = ("key-spelling", "tier-banner", "tier-banner-missing", "introduced-format")


def write(tmp_path: Path, *names: str) -> dict[str, bytes]:
    for name in names:
        (tmp_path / name).write_text(PAGES[name])
    return snapshot(tmp_path)


def test_fix_writes_the_fixes_lists_them_and_checks_again(tmp_path):
    before = write(tmp_path, "clean.md", "hyphen.md", "no-banner.md")
    result = tierbot(tmp_path, "fix", *before)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "hyphen.md: fixed:",
        "  `modern-alternatives` renamed to `modern_alternatives`",
        "no-banner.md: fixed:",
        f"  tier banner `{BANNERS['silver']}` added after line 20",
        "fixed 2 problems in 2 of 3 pages",
        "3 pages checked: 0 errors, 0 warnings, 0 notices",
    ]
    after = snapshot(tmp_path)
    assert after["clean.md"] == before["clean.md"]
    assert after["hyphen.md"] == before["hyphen.md"].replace(b"modern-", b"modern_")
    banner = BANNERS["silver"].encode()
    assert after["no-banner.md"] == before["no-banner.md"].replace(
        b"# The Pattern\n", b"# The Pattern\n\n" + banner + b"\n", 1
    )
    again = tierbot(tmp_path, "fix", *before)
    assert "fixed 0 problems in 0 of 3 pages" in again.stdout
    assert snapshot(tmp_path) == after


def test_check_writes_nothing_and_fails_when_something_would_change(tmp_path):
    before = write(tmp_path, "clean.md", "hyphen.md")
    result = tierbot(tmp_path, "fix", "--check", *before)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "hyphen.md: would fix:",
        "  `modern-alternatives` renamed to `modern_alternatives`",
        "would fix 1 problem in 1 of 2 pages",
    ]
    assert snapshot(tmp_path) == before
    assert tierbot(tmp_path, "fix", *before).returncode == 0
    assert tierbot(tmp_path, "fix", "--check", *before).returncode == 0


def test_diff_prints_a_patch_git_applies_and_writes_nothing(tmp_path):
    before = write(tmp_path, "hyphen.md", "no-banner.md")
    result = tierbot(tmp_path, "fix", "--diff", *before)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("--- a/hyphen.md\n+++ b/hyphen.md\n@@ ")
    assert "would fix 2 problems in 2 of 2 pages" in result.stderr
    assert snapshot(tmp_path) == before
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply"], input=result.stdout, text=True, cwd=tmp_path, check=True)
    assert tierbot(tmp_path, "fix", "--check", *before).returncode == 0
    assert tierbot(tmp_path, "fix", "--diff", "--check", *before).stdout == ""


def test_a_page_it_cannot_read_is_left_untouched_and_reported(tmp_path):
    before = write(tmp_path, "broken.md", "hyphen.md")
    (tmp_path / "latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    before = snapshot(tmp_path)
    result = tierbot(tmp_path, "fix", "broken.md", "hyphen.md", "latin1.md", "absent.md")
    assert result.returncode == 1  # the pages it could not read are errors of the re-check
    lines = result.stdout.splitlines()
    assert lines[0].startswith("broken.md: left untouched: line 2: the front matter is not valid")
    assert lines[3].startswith("latin1.md: left untouched: line 2: the file is not UTF-8")
    assert lines[4] == "absent.md: left untouched: cannot read it: No such file or directory"
    after = snapshot(tmp_path)
    assert after["broken.md"] == before["broken.md"] and after["latin1.md"] == before["latin1.md"]
    assert after["hyphen.md"] != before["hyphen.md"]


def test_a_page_it_cannot_write_is_reported_and_fails_the_run(tmp_path, monkeypatch, capsys):
    before = write(tmp_path, "hyphen.md", "no-banner.md")
    real_write = fix_command.write_page

    def write_page(path: Path, data: bytes) -> None:
        if path.name == "hyphen.md":
            raise PermissionError(13, "Permission denied")
        real_write(path, data)

    monkeypatch.setattr(fix_command, "write_page", write_page)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["fix", *before]) == 1
    out = capsys.readouterr().out
    assert "hyphen.md: not written: Permission denied" in out
    assert "fixed 1 problem in 1 of 2 pages" in out
    assert (tmp_path / "hyphen.md").read_bytes() == before["hyphen.md"]
    assert (tmp_path / "no-banner.md").read_bytes() != before["no-banner.md"]


def test_fix_selects_the_pages_check_selects(tmp_path):
    docs = tmp_path / "docs" / "pattern-library"
    docs.mkdir(parents=True)
    for name in ("index.md", "hyphen.md"):
        (docs / name).write_text(PAGES["hyphen.md"])
    result = tierbot(tmp_path, "fix", "--check")
    assert result.stdout.splitlines()[-1] == "would fix 1 problem in 1 of 1 page"
    assert result.stdout.startswith("docs/pattern-library/hyphen.md: would fix:")


# --- The real corpus -------------------------------------------------------------------------


def checked(root: Path) -> tuple[list[str], Counter[str]]:
    """The pages `tierbot check` reads under ``root``, and its findings' rules counted."""
    files = json.loads(tierbot(root, "check", "--format", "json").stdout)["files"]
    rules = Counter(f["rule"] for entry in files for f in entry["findings"])
    return [entry["path"] for entry in files], rules


def test_the_corpus_is_fixed_exactly_where_the_fixes_say(corpus, tmp_path):
    root = tmp_path / "library"
    shutil.copytree(corpus / "docs", root / "docs")
    before, (pages, counted) = snapshot(root), checked(root)
    assert tierbot(root, "fix", "--check").returncode == 1
    result = tierbot(root, "fix")
    assert "fixed" in result.stdout, result.stderr
    after, (_, recounted) = snapshot(root), checked(root)

    assert {rule: recounted[rule] for rule in FIXABLE[:3]} == dict.fromkeys(FIXABLE[:3], 0)
    assert recounted["introduced-format"] == 1  # `1960s`: no fix
    # The renames resolve findings about the renamed fields; every other count stays.
    resolved = {"bronze-deprecation-reason", "bronze-modern-alternatives", "silver-trade-offs"}
    for rule in set(counted) - set(FIXABLE) - resolved:
        assert recounted[rule] == counted[rule], rule
    for rule in resolved:
        assert recounted[rule] < counted[rule], rule

    policy = load_policy()
    fixable = {
        name
        for name in pages
        if any(f.fix for f in evaluate(parse_document(name, before[name]), policy))
    }
    changed = {name for name, data in before.items() if after[name] != data}
    assert changed == fixable  # every page with a fix, and no other (guides are skipped)
    for name in sorted(changed):
        data = before[name]
        document = parse_document(name, data)
        findings = evaluate(document, policy)
        spans = [line_edit(document.text, f.fix)[:2] for f in findings if f.fix]
        assert spans, name
        old, new = data.decode().splitlines(), after[name].decode().splitlines()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            # Replaced or deleted lines are lines a fix covers; inserted ones follow one
            # (after its blank line, when the diff lines the blank lines up the other way).
            if tag == "insert":
                assert any(a <= i1 <= b + 1 for a, b in spans), (name, i1, spans)
            else:
                # (Fixes on adjacent lines come as one block: each line is some fix's.)
                lines = range(i1 + 1, i2 + 1)
                covered = all(any(a <= n <= b for a, b in spans) for n in lines)
                assert covered, (name, i1, i2, spans)
    again = tierbot(root, "fix")
    assert f"fixed 0 problems in 0 of {len(pages)} pages" in again.stdout
    assert snapshot(root) == after
    assert tierbot(root, "fix", "--check").returncode == 0


def test_write_page_keeps_the_mode_and_a_symbolic_link(tmp_path):
    target = tmp_path / "real.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_page(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real.md"]  # no temp left
