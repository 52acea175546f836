"""Wheels rebuilt from this test environment's installed distributions: an offline index.

The Action's install step resolves tierbot's dependencies (and its build backend) from an
index; in the tests there is no network, so they are packed back into wheels from what is
installed here, with a fresh RECORD, for ``uv pip install --find-links`` to take.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: Installer metadata, not part of a wheel; RECORD is written anew.
INSTALLER_FILES = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def closure(requirements: Iterable[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions ``requirements`` need, dependencies included."""
    found: dict[str, metadata.Distribution] = {}
    pending = [Requirement(text) for text in requirements]
    while pending:
        wanted = pending.pop()
        dist = metadata.distribution(wanted.name)
        name = canonicalize_name(dist.metadata["Name"])
        for text in dist.requires or ():
            needed = Requirement(text)
            extras = wanted.extras or {""}
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in extras):
                pending.append(needed)
        found[name] = dist
    return found


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def pack(dist: metadata.Distribution, directory: Path) -> Path:
    """``dist`` as a wheel in ``directory``: its files under site-packages, tagged as installed."""
    tag = next(
        line.split(":", 1)[1].strip()
        for line in (dist.read_text("WHEEL") or "").splitlines()
        if line.startswith("Tag:")
    )
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    path = directory / f"{name}-{dist.version}-{tag}.whl"
    records, record_path = [], None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as wheel:
        for entry in dist.files or ():
            parts = entry.parts
            if parts[0] == ".." or "__pycache__" in parts:
                continue  # scripts are made again from entry points; bytecode is not shipped
            if parts[0].endswith(".dist-info") and parts[-1] in INSTALLER_FILES:
                record_path = record_path or f"{parts[0]}/RECORD"
                continue
            data = Path(str(dist.locate_file(entry))).read_bytes()
            wheel.writestr(entry.as_posix(), data)
            records.append(f"{entry.as_posix()},{_digest(data)},{len(data)}")
        assert record_path is not None, f"{name}: no RECORD"
        wheel.writestr(record_path, "\n".join([*records, f"{record_path},,"]) + "\n")
    return path


def build(directory: Path, requirements: Iterable[str]) -> Path:
    """A directory of wheels for every distribution ``requirements`` need."""
    directory.mkdir(parents=True, exist_ok=True)
    for dist in closure(requirements).values():
        pack(dist, directory)
    return directory
