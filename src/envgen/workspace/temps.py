"""Temporary files of a render: how they are named, and finding the ones a killed run left.

Every file is staged as `.<name>.<8 random characters>.tmp` beside its destination (and an old
file about to be replaced is kept as a link of the same shape until the render is done), so
that a rename puts it in place atomically. A render killed half-way leaves such files; the
next render removes them (under the render lock, no other render can own them) and `check`
reports them.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

SUFFIX = ".tmp"


def stage_name(directory: Path, name: str) -> tuple[int, Path]:
    """A new, open temporary file beside `name` in `directory`: (fd, path)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=SUFFIX, dir=directory)
    return fd, Path(tmp)


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(f".{name}.") + r"[a-z0-9_]{8}" + re.escape(SUFFIX))


def stale_temps(root: Path, paths: list[str]) -> list[Path]:
    """Temporary files of interrupted renders beside the outputs `paths` (relative to root)."""
    found: list[Path] = []
    by_dir: dict[Path, list[str]] = {}
    for rel in paths:
        full = root / rel
        by_dir.setdefault(full.parent, []).append(full.name)
    for directory, names in sorted(by_dir.items()):
        try:
            entries = sorted(p.name for p in directory.iterdir())
        except OSError:
            continue
        patterns = [_pattern(name) for name in names]
        found += [
            directory / entry
            for entry in entries
            if any(p.fullmatch(entry) for p in patterns)
            and (directory / entry).is_file()
            and not (directory / entry).is_symlink()
        ]
    return found
