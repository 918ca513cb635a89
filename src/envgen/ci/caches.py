"""Tool caches CI keeps between jobs, under `caches.dir` in the workspace.

Each tool's cache directories and lock files are that tool's facts (`envgen.tools.<tool>.CACHE`);
this module only says which ones a policy turns on and where they go. They live under the CI
workspace because GitLab caches only paths inside the project directory, and Go's cache
directories must be absolute (the CI targets prefix the workspace variable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envgen.tools import go, npm, pip, poetry, uv
from envgen.tools.base import ToolCache

if TYPE_CHECKING:
    from envgen.schema.policy import Policy

TOOL_CACHES: tuple[ToolCache, ...] = (npm.CACHE, pip.CACHE, uv.CACHE, poetry.CACHE, go.CACHE)


def enabled_caches(policy: Policy) -> list[ToolCache]:
    """The tool caches `caches:` turns on, in a fixed order."""
    caches = policy.caches
    if caches is None:
        return []
    return [c for c in TOOL_CACHES if getattr(caches, c.tool)]


def cache_dir(policy: Policy, sub: str) -> str:
    """A cache directory relative to the workspace, e.g. '.cache/go/mod'."""
    base = policy.caches.dir if policy.caches is not None else ".cache"
    return f"{base.rstrip('/')}/{sub}"
