"""envgen's own record of what it wrote, where no commit can reach it; and the render lock.

The committed manifest can be edited by anyone with a pull request, so it cannot tell `check`
that nothing changed, nor prove that envgen wrote a file it is about to delete. This record
can: envgen writes it after a full render or a `check` that found no drift, under the git
directory (`.git/envgen/`) when the root is in a git work tree, else under the user's cache
directory, keyed by the root's real path. It holds the digests of the policy chain, the
manifest and every output, with the envgen version. It is never consulted when `CI` is set
(jobs start from fresh clones, and a cache restored into a job is not to be trusted).
This module writes the record; envgen.workspace.record reads it (the `check` fast path).

The same directory holds the lock file that serialises renders of one root (fcntl.flock; on a
system without fcntl renders are not serialised). Standard library only.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from envgen import __version__
from envgen.workspace import record as record_reader
from envgen.workspace.names import MANIFEST_NAME, STATE_NAME


def state_dir(root: Path) -> Path | None:
    """Where envgen keeps its record and lock for `root` (created), or None if nowhere can be."""
    found = record_reader.state_dir(str(root))
    return Path(found) if found is not None else None


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the render lock of `root` (waits for another render of the same root to finish)."""
    directory = state_dir(root)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: renders of one root are not serialised
        yield
        return
    if directory is None:  # pragma: no cover - no writable place for a lock at all
        yield
        return
    fd = os.open(directory / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def record(
    root: Path, policy: str, sources: dict[str, str], files: dict[str, str], manifest: str | None
) -> None:
    """Remember that `files` (path -> digest) are what envgen rendered from `policy` (a path
    relative to the root) and its chain `sources`, with the manifest's digest."""
    directory = state_dir(root)
    if directory is None:
        return
    body = {
        "envgen_version": __version__,
        "policy": policy,
        "sources": sources,
        "files": files,
        "manifest": manifest,
    }
    data = json.dumps(body, sort_keys=True).encode()
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".state.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(directory / STATE_NAME)


def written_files(root: Path) -> dict[str, str]:
    """path -> digest of the outputs envgen recorded writing under `root` (empty if none)."""
    raw = record_reader.recall(str(root))
    files = raw.get("files") if raw else None
    if not isinstance(files, dict):
        return {}
    return {str(k): v for k, v in files.items() if isinstance(v, str)}


def manifest_digest(root: Path) -> str | None:
    """The digest of the manifest under `root` as it is now (None if there is none)."""
    return record_reader.digest_of(str(root / MANIFEST_NAME))
