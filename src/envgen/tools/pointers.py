"""The variables that point each tool at its target's file (docs/contract.md 4.5).

Some pointers ADD a rendered file to a person's own configuration (git's include.path, given
through GIT_CONFIG_KEY_n); the others REPLACE part of it: PIP_CONFIG_FILE makes pip skip the
user's pip.conf, GOENV hides `go env -w` settings, NPM_CONFIG_USERCONFIG, DOCKER_CONFIG and
CURL_HOME take the place of ~/.npmrc, ~/.docker/config.json and ~/.curlrc. The CI targets (an
ephemeral job has no person's configuration to lose) export all of them; `envgen env` prints
the adding ones, and the replacing ones with `--all-pointers`, each with what it hides.
"""

from __future__ import annotations

from envgen.artifact import normal_path
from envgen.schema.policy import Policy
from envgen.tools import git
from envgen.tools.base import EnvVar, Pointer
from envgen.tools.registry import TOOLS


def pointed(policy: Policy, *, replacing: bool) -> list[tuple[Pointer, str]]:
    """Each pointer the policy's targets need, with the path it points at (relative to the
    policy's directory; "" is the directory itself), in the order of the tool modules."""
    out: list[tuple[Pointer, str]] = []
    for tool in TOOLS:
        for pointer in tool.pointers:
            path = policy.targets.get(pointer.target)
            if path is None or not (pointer.adds or replacing):
                continue
            rel = normal_path(path)
            if pointer.directory:
                head, _, name = rel.rpartition("/")
                if name != pointer.file_name:
                    continue  # the tool reads only that name in the directory
                rel = head
            out.append((pointer, rel))
    return out


def with_pointers(
    variables: list[EnvVar], policy: Policy, workspace: str, *, replacing: bool
) -> list[EnvVar]:
    """`variables` plus the pointers, as paths under `workspace` (absolute, or a CI system's
    reference to its checkout such as ``${CI_PROJECT_DIR}``)."""
    out = list(variables)
    for pointer, rel in pointed(policy, replacing=replacing):
        value = f"{workspace}/{rel}" if rel else workspace
        loc = ("targets", pointer.target)
        if pointer.git_config:
            out = git.with_include(out, value, loc)
            continue
        note = f"{pointer.variable} replaces {pointer.hides}" if pointer.hides else ""
        out.append(EnvVar(pointer.variable, value, loc, note))
    return out
