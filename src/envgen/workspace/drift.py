"""Drift: a file whose bytes differ from what the policy renders now, or should be gone."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from envgen.artifact import Artifact


@dataclass(frozen=True)
class Drift:
    """One file that differs from what the policy renders now."""

    path: str
    reason: str
    diff: str = ""


def find_drift(root: Path, artifacts: list[Artifact], retired: list[str]) -> list[Drift]:
    """Compare rendered artifacts with the disk; `retired` files should no longer exist."""
    drifts: list[Drift] = []
    for art in artifacts:
        full = root / art.path
        if not full.is_file():
            drifts.append(Drift(art.path, "missing"))
            continue
        current = full.read_bytes()
        if current != art.content:
            drifts.append(Drift(art.path, "differs", unified_diff(art.path, current, art.content)))
    for path in retired:
        if (root / path).is_file():
            drifts.append(Drift(path, "no longer produced by the policy"))
    return drifts


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A unified diff from the file on disk to what envgen would write."""
    lines = difflib.unified_diff(
        old.decode("utf-8", "replace").splitlines(keepends=True),
        new.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"a/{path} (on disk)",
        tofile=f"b/{path} (rendered)",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
