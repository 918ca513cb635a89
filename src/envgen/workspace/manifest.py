"""The manifest: what envgen last wrote under a root, so it can tell its own files from yours.

Standard library only: `envgen check`'s fast path reads it without pydantic or jinja2.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envgen import __version__

MANIFEST_NAME = ".envgen-manifest.json"


def sha256(data: bytes) -> str:
    """Hex digest used for every hash in the manifest."""
    return hashlib.sha256(data).hexdigest()


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
        """The manifest under `root`, or None if there is none or it is unreadable."""
        try:
            raw: Any = json.loads((root / MANIFEST_NAME).read_text("utf-8"))
            return cls(
                policy=str(raw["policy"]),
                policy_digest=str(raw["policy_digest"]),
                envgen_version=str(raw["envgen_version"]),
                sources={str(k): str(v) for k, v in raw["sources"].items()},
                files={
                    str(k): {"target": str(v["target"]), "sha256": str(v["sha256"])}
                    for k, v in raw["files"].items()
                },
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

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


def source_hashes(root: Path, sources: list[tuple[Path, str]]) -> dict[str, str]:
    """Policy chain files keyed by path relative to the root (bases may live outside it)."""
    return {os.path.relpath(p, root).replace(os.sep, "/"): digest for p, digest in sources}


def manifest_is_current(root: Path, manifest: Manifest, policy_path: Path) -> bool:
    """True when the policy chain and every output are byte-identical to what the manifest
    recorded with this envgen version: then `check` has nothing to re-render."""
    if manifest.envgen_version != __version__ or manifest.policy != policy_path.name:
        return False
    for rel, digest in manifest.sources.items():
        try:
            if sha256((root / rel).read_bytes()) != digest:
                return False
        except OSError:
            return False
    for rel, entry in manifest.files.items():
        try:
            if sha256((root / rel).read_bytes()) != entry["sha256"]:
                return False
        except OSError:
            return False
    return True
