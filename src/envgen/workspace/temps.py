"""Temporary files of a render: staging them, and finding the ones a killed run left.

Every file is staged as `.<name>.<8 random characters>.tmp` beside its destination (and an old
file about to be replaced is kept as a link of the same shape until the render is done), so
that a rename puts it in place atomically. A render killed half-way leaves such files; the
next render removes them (under the render lock, no other render can own them) and `check`
reports them. The shape is envgen.workspace.names.is_temp_of.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from envgen.workspace.names import TEMP_SUFFIX

SUFFIX = TEMP_SUFFIX


def stage_name(directory: Path, name: str) -> tuple[int, Path]:
    """A new, open temporary file beside `name` in `directory`: (fd, path)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=SUFFIX, dir=directory)
    return fd, Path(tmp)


def stale_temps(root: Path, paths: list[str]) -> list[Path]:
    """Temporary files of interrupted renders beside the outputs `paths` (relative to root)."""
    from envgen.workspace.record import stale_temp_names

    return [Path(p) for p in stale_temp_names(str(root), paths)]
