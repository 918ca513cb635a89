"""envgen's own record of what it wrote, where no commit can reach it; and the render lock.

The committed manifest can be edited by anyone with a pull request, so it cannot tell `check`
that nothing changed, nor prove that envgen wrote a file it is about to delete. This record
can: envgen writes it after a full render or a `check` that found no drift, under the git
directory (`.git/envgen/`) when the root is in a git work tree, else under the user's cache
directory, keyed by the root's real path. It holds the digests of the policy chain, the
manifest and every output, with the envgen version. It is never consulted when `CI` is set
(jobs start from fresh clones, and a cache restored into a job is not to be trusted).

The same directory holds the lock file that serialises renders of one root (fcntl.flock; on a
system without fcntl renders are not serialised). Standard library only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from envgen import __version__
from envgen.readfile import ReadRefusedError, read_regular
from envgen.workspace.manifest import MANIFEST_NAME
from envgen.workspace.temps import stale_temps

STATE_NAME = "state.json"
MAX_STATE_BYTES = 4_000_000


def _git_dir(root: Path) -> Path | None:
    """The git directory of the work tree holding `root`, if any."""
    for directory in (root, *root.parents):
        dot_git = directory / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            try:
                text = read_regular(dot_git, 4096).decode("utf-8", "replace").strip()
            except (OSError, ReadRefusedError):
                return None
            if text.startswith("gitdir:"):
                target = Path(text.removeprefix("gitdir:").strip())
                return target if target.is_absolute() else directory / target
            return None
    return None


def _user_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "envgen"


def state_dir(root: Path) -> Path | None:
    """Where envgen keeps its record and lock for `root` (created), or None if nowhere can be."""
    real = os.path.realpath(root)
    key = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    git = _git_dir(Path(real))
    candidates = [git / "envgen" / key] if git is not None else []
    candidates.append(_user_dir() / key)
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return candidate
    return None


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


def _digest_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(read_regular(path, MAX_STATE_BYTES * 16)).hexdigest()
    except (OSError, ReadRefusedError):
        return None


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


def recall(root: Path) -> dict[str, Any] | None:
    """The record for `root` made by this envgen version, or None."""
    directory = state_dir(root)
    if directory is None:
        return None
    try:
        raw: Any = json.loads(read_regular(directory / STATE_NAME, MAX_STATE_BYTES))
    except (OSError, ReadRefusedError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("envgen_version") != __version__:
        return None
    return raw


def written_files(root: Path) -> dict[str, str]:
    """path -> digest of the outputs envgen recorded writing under `root` (empty if none)."""
    raw = recall(root)
    files = raw.get("files") if raw else None
    if not isinstance(files, dict):
        return {}
    return {str(k): v for k, v in files.items() if isinstance(v, str)}


def manifest_digest(root: Path) -> str | None:
    """The digest of the manifest under `root` as it is now (None if there is none)."""
    return _digest_of(root / MANIFEST_NAME)


def is_current(root: Path, policy: str) -> int | None:
    """The number of outputs, when the record shows nothing changed since envgen last rendered
    or checked `policy` (its chain, the manifest and every output byte-identical, and no file
    left by an interrupted render); else None. Never under CI."""
    if os.environ.get("CI"):
        return None
    raw = recall(root)
    if raw is None or raw.get("policy") != policy:
        return None
    sources, files = raw.get("sources"), raw.get("files")
    if not isinstance(sources, dict) or not isinstance(files, dict) or not sources:
        return None
    if manifest_digest(root) != raw.get("manifest"):
        return None
    for path, digest in [*sources.items(), *files.items()]:
        if _digest_of(root / path) != digest:
            return None
    if stale_temps(root, list(files)):
        return None
    return len(files)
