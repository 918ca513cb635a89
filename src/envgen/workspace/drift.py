"""Drift: a file whose bytes differ from what the policy renders now, or should be gone."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from envgen.artifact import Artifact
from envgen.readfile import ReadRefusedError, read_regular
from envgen.workspace.names import MANIFEST_NAME
from envgen.workspace.temps import stale_temps

MAX_OUTPUT_BYTES = 16_000_000


@dataclass(frozen=True)
class Drift:
    """One file that differs from what the policy renders now."""

    path: str
    reason: str
    diff: str = ""


def find_drift(root: Path, artifacts: list[Artifact], retired: list[str]) -> list[Drift]:
    """Compare rendered artifacts with the disk; `retired` files should no longer exist, nor
    the temporary files an interrupted render left."""
    drifts: list[Drift] = []
    for art in artifacts:
        try:
            current = read_regular(root / art.path, MAX_OUTPUT_BYTES)
        except FileNotFoundError:
            drifts.append(Drift(art.path, "missing"))
            continue
        except ReadRefusedError as exc:
            drifts.append(Drift(art.path, exc.reason))
            continue
        if current != art.content:
            drifts.append(Drift(art.path, "differs", unified_diff(art.path, current, art.content)))
    for path in retired:
        if (root / path).is_file():
            drifts.append(Drift(path, "no longer produced by the policy"))
    for tmp in stale_temps(root, [a.path for a in artifacts] + [MANIFEST_NAME]):
        rel = tmp.relative_to(root).as_posix()
        drifts.append(Drift(rel, "left by an interrupted render (envgen render removes it)"))
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
