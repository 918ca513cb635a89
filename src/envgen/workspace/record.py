"""envgen's own record, read side: where it lives, and whether it shows that nothing changed.

This is the `check` fast path (docs/architecture.md): an unchanged repository is answered from
here before argparse, pathlib, the policy model or the YAML parser is imported, so it imports the
standard library's os and json and a SHA-256, nothing else (tests/test_check.py holds it to
that). envgen.workspace.state writes the record; envgen.commands.cmd_check and envgen.entry
both ask `is_current`, so the fast and the full check cannot disagree on when it answers.

Where: under the git directory (`.git/envgen/<key>/`) when the root is in a git work tree, else
under the user's cache directory, keyed by the root's real path; never consulted when `CI` is
set (jobs start from fresh clones, and a cache restored into a job is not to be trusted).
"""

from __future__ import annotations

import json
import os

from envgen import __version__
from envgen.digests import hexdigest
from envgen.readfile import ReadRefusedError, read_regular
from envgen.workspace.names import MANIFEST_NAME, STATE_NAME, is_temp_of

TYPE_CHECKING = False  # typing costs milliseconds the fast path does not have
if TYPE_CHECKING:
    from typing import Any

MAX_STATE_BYTES = 4_000_000


def git_dir(root: str) -> str | None:
    """The git directory of the work tree holding `root` (a real path), if any."""
    directory = root
    while True:
        dot_git = os.path.join(directory, ".git")
        if os.path.isdir(dot_git):
            return dot_git
        if os.path.isfile(dot_git):
            try:
                text = read_regular(dot_git, 4096).decode("utf-8", "replace").strip()
            except (OSError, ReadRefusedError):
                return None
            if text.startswith("gitdir:"):
                target = text.removeprefix("gitdir:").strip()
                return target if os.path.isabs(target) else os.path.join(directory, target)
            return None
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _user_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "envgen")


def state_dir(root: str) -> str | None:
    """Where envgen keeps its record and lock for `root` (created), or None if nowhere can be."""
    real = os.path.realpath(root)
    key = hexdigest(real.encode("utf-8", "surrogateescape"))[:24]
    git = git_dir(real)
    candidates = [os.path.join(git, "envgen", key)] if git is not None else []
    candidates.append(os.path.join(_user_dir(), key))
    for candidate in candidates:
        try:
            os.makedirs(candidate, mode=0o700, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return candidate
    return None


def digest_of(path: str) -> str | None:
    """The digest of the regular file at `path`, or None when it is missing or unreadable."""
    try:
        return hexdigest(read_regular(path, MAX_STATE_BYTES * 16))
    except (OSError, ReadRefusedError):
        return None


def recall(root: str) -> dict[str, Any] | None:
    """The record for `root` made by this envgen version, or None."""
    directory = state_dir(root)
    if directory is None:
        return None
    try:
        raw: Any = json.loads(read_regular(os.path.join(directory, STATE_NAME), MAX_STATE_BYTES))
    except (OSError, ReadRefusedError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("envgen_version") != __version__:
        return None
    return raw


def stale_temp_names(root: str, paths: list[str]) -> list[str]:
    """Temporary files of interrupted renders beside the outputs `paths` (relative to root)."""
    by_dir: dict[str, list[str]] = {}
    for rel in paths:
        full = os.path.join(root, rel)
        by_dir.setdefault(os.path.dirname(full), []).append(os.path.basename(full))
    found: list[str] = []
    for directory in sorted(by_dir, key=lambda d: d.split(os.sep)):
        names = by_dir[directory]
        try:
            entries = sorted(os.listdir(directory))
        except OSError:
            continue
        for entry in entries:
            if any(is_temp_of(entry, name) for name in names):
                full = os.path.join(directory, entry)
                if os.path.isfile(full) and not os.path.islink(full):
                    found.append(full)
    return found


def under_ci() -> bool:
    """`CI` is set: the record is neither trusted nor worth writing (a job starts from a fresh
    clone and leaves nothing behind for the next one)."""
    return bool(os.environ.get("CI"))


def is_current(root: str, policy: str) -> int | None:
    """The number of outputs, when the record shows nothing changed since envgen last rendered
    or checked `policy` (its chain, the manifest and every output byte-identical, and no file
    left by an interrupted render); else None. Never under CI."""
    if under_ci():
        return None
    raw = recall(root)
    if raw is None or raw.get("policy") != policy:
        return None
    sources, files = raw.get("sources"), raw.get("files")
    if not isinstance(sources, dict) or not isinstance(files, dict) or not sources:
        return None
    if digest_of(os.path.join(root, MANIFEST_NAME)) != raw.get("manifest"):
        return None
    for path, digest in [*sources.items(), *files.items()]:
        if digest_of(os.path.join(root, path)) != digest:
            return None
    if stale_temp_names(root, list(files)):
        return None
    return len(files)
