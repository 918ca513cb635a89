"""The manifest: which files envgen produced under a root, as committed with them.

It is advisory. A pull request can edit it like any other file, so it never decides drift
(`check` always compares bytes) and never on its own makes envgen delete a file
(`envgen.workspace.write` asks for envgen's marker or for the trusted state's digest). It
is read with a size limit, its paths are normalised before any comparison, and a broken one is
reported, not trusted. Standard library only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envgen import __version__
from envgen.artifact import normal_path
from envgen.digests import hexdigest
from envgen.readfile import ReadRefusedError, read_regular
from envgen.workspace.names import MANIFEST_NAME

MAX_MANIFEST_BYTES = 4_000_000


def sha256(data: bytes) -> str:
    """Hex digest used for every hash in the manifest."""
    return hexdigest(data)


@dataclass
class Manifest:
    """What envgen last wrote under a root, so it can tell its own files from the user's."""

    policy: str = ""
    policy_digest: str = ""
    envgen_version: str = __version__
    sources: dict[str, str] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> Manifest | None:
        """The manifest under `root`, or None if there is none or it is unusable."""
        return read_manifest(root)[0]

    def dumps(self) -> bytes:
        """Deterministic JSON: sorted keys, LF, no timestamps."""
        body = {
            "comment": "Written by envgen render; lets envgen tell its files from yours.",
            "envgen_version": self.envgen_version,
            "policy": self.policy,
            "policy_digest": self.policy_digest,
            "sources": dict(sorted(self.sources.items())),
            "files": dict(sorted(self.files.items())),
        }
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


def read_manifest(root: Path) -> tuple[Manifest | None, str | None]:
    """(the manifest, None), (None, None) when there is none, or (None, why it is unusable)."""
    try:
        raw_bytes = read_regular(root / MANIFEST_NAME, MAX_MANIFEST_BYTES)
    except FileNotFoundError:
        return None, None
    except ReadRefusedError as exc:
        return None, exc.reason
    try:
        raw: Any = json.loads(raw_bytes.decode("utf-8"))
        files: dict[str, dict[str, str]] = {}
        for key, value in raw["files"].items():
            entry = {"target": str(value["target"]), "sha256": str(value["sha256"])}
            files[normal_path(str(key))] = entry
        return (
            Manifest(
                policy=str(raw["policy"]),
                policy_digest=str(raw["policy_digest"]),
                envgen_version=str(raw["envgen_version"]),
                sources={str(k): str(v) for k, v in raw["sources"].items()},
                files=files,
            ),
            None,
        )
    except RecursionError:
        return None, "is nested too deeply to be a manifest"
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, "is not a valid envgen manifest (JSON with policy, sources and files)"


def source_hashes(root: Path, sources: list[tuple[Path, str]]) -> dict[str, str]:
    """Policy chain files keyed by path relative to the root (bases may live outside it)."""
    return {os.path.relpath(p, root).replace(os.sep, "/"): digest for p, digest in sources}
