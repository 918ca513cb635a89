"""The one registry of targets: built-ins below, plugins from the `envgen.targets` entry points.

Adding a target is one module in this package (plus its template) and one line in
``BUILTIN``. Modules are imported only when a command needs them.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import cast

from envgen.generators.base import Generator

BUILTIN: dict[str, str] = {
    "npm": "envgen.generators.npm",
    "pip": "envgen.generators.pip",
    "go": "envgen.generators.go",
    "docker": "envgen.generators.docker",
    "docker-systemd": "envgen.generators.docker_systemd",
    "gitlab-runner-systemd": "envgen.generators.gitlab_runner_systemd",
    "docker-client": "envgen.generators.docker_client",
    "gitlab-ci": "envgen.generators.gitlab_ci",
    "gitlab-runner": "envgen.generators.gitlab_runner",
    "github-actions": "envgen.generators.github_actions",
    "github-workflow": "envgen.generators.github_workflow",
    "git": "envgen.generators.git",
    "curl": "envgen.generators.curl",
    "buildkit": "envgen.generators.buildkit",
    "retry": "envgen.generators.retry",
}

ENTRY_POINT_GROUP = "envgen.targets"


@cache
def registry() -> dict[str, str]:
    """Target name -> module path, built-ins first; a plugin cannot replace a built-in.

    Read once per process: scanning the installed distributions' entry points costs several
    milliseconds, and rendering once looked every target up again (ten scans per render).
    """
    # importlib.metadata costs ~30 ms to import: only commands that render pay for it, not
    # the fast path of `envgen check`.
    from importlib.metadata import entry_points

    names = dict(BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        names.setdefault(ep.name, ep.value)
    return names


def targets_for(requested: object) -> dict[str, str]:
    """The registry as far as the policy's `targets:` mapping `requested` needs it: the
    built-ins alone when it names only built-ins (a plugin cannot replace one, so the scan of
    every installed distribution's entry points, ~15 ms with importlib.metadata's import, is
    skipped), else the whole registry (for a plugin, and for the list an unknown name gets)."""
    if isinstance(requested, dict) and all(name in BUILTIN for name in requested):
        return dict(BUILTIN)
    return registry()


def default_paths(*, builtin_only: bool = False) -> dict[str, str]:
    """Target name -> default output path (the published schema lists the built-ins only, so
    that it does not depend on what is installed)."""
    names = BUILTIN if builtin_only else registry()
    return {name: load(name).DEFAULT_PATH for name in names}


def load(name: str) -> Generator:
    """Import the generator module of target `name`."""
    module: ModuleType = importlib.import_module(BUILTIN.get(name) or registry()[name])
    return cast(Generator, module)
