"""One rendered file: the only thing generators hand to the workspace.

Standard library only: the fast path of `envgen check` imports this module, and must not pull in
the policy model or ruamel.yaml (docs/architecture.md, "Rules").
"""

from __future__ import annotations

from dataclasses import dataclass


def normal_path(path: str) -> str:
    """One spelling of an output path: './a//b/' is 'a/b'. '..' is kept (so that the path
    checks still see and refuse it), and so is a leading '/'."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return ("/" if path.startswith("/") else "") + "/".join(parts)


@dataclass(frozen=True)
class Artifact:
    """One rendered file: its target, where it goes (relative to the root) and its exact bytes."""

    target: str
    path: str
    content: bytes
    mode: int = 0o644
