"""What the CI targets export: the policy's environment, minus credentials, plus caches.

Shared by gitlab-ci, gitlab-runner and github-actions so that every CI system gets the same
variables as `envgen env`. Registry credentials are left to the job-time step
(`envgen.jobtime.credentials_script`); tool caches live under the CI workspace, because GitLab
caches only paths inside the project directory and cache dirs must be absolute for Go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from envgen import environment, jobtime
from envgen.environment import EnvVar

if TYPE_CHECKING:
    from envgen.schema.policy import Policy


@dataclass(frozen=True)
class ToolCache:
    """One tool's cache: its directory variables and the lock files that key it."""

    tool: str
    dirs: tuple[tuple[str, str], ...]  # (variable, sub-directory under caches.dir)
    lock_files: tuple[str, ...]  # at most two: GitLab's cache:key:files limit


TOOL_CACHES = (
    ToolCache("npm", (("npm_config_cache", "npm"),), ("package-lock.json", "npm-shrinkwrap.json")),
    ToolCache("pip", (("PIP_CACHE_DIR", "pip"),), ("requirements.txt", "poetry.lock")),
    ToolCache("go", (("GOMODCACHE", "go/mod"), ("GOCACHE", "go/build")), ("go.sum",)),
)

#: Extra lock-file flavours that get their own cache template (same directories).
LOCK_VARIANTS = {"pip": {"uv": ("uv.lock",)}}


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


def variables(policy: Policy, workspace: str) -> list[EnvVar]:
    """The environment for every job: proxies, tool settings, cache dirs under `workspace`.

    `workspace` is how the CI system spells its checkout directory as a reference, e.g.
    ``${CI_PROJECT_DIR}``.
    """
    secret = {v.name for v in jobtime.credential_vars(policy)}
    out = [v for v in environment.environment(policy) if v.name not in secret]
    for cache in enabled_caches(policy):
        for var, sub in cache.dirs:
            path = f"{workspace}/{cache_dir(policy, sub)}"
            out.append(EnvVar(var, path, f"caches.{cache.tool}"))
    return out
