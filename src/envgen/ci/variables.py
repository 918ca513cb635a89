"""What the CI targets export: the policy's environment, minus credentials, plus caches.

Shared by gitlab-ci, gitlab-runner and github-actions so that every CI system gets the same
variables as `envgen env`. Variables that need a registry secret are left to the job-time step
(`envgen.ci.jobtime.credentials_script`); cache directories are set under the CI workspace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envgen.artifact import normal_path
from envgen.ci import caches, jobtime
from envgen.tools import exported, proxyenv, tls
from envgen.tools.base import EnvVar

if TYPE_CHECKING:
    from envgen.schema.policy import Policy


def variables(policy: Policy, workspace: str) -> list[EnvVar]:
    """The environment for every job: proxies, tool settings, pointers to the rendered files and
    cache dirs under `workspace`.

    `workspace` is how the CI system spells its checkout directory as a reference, e.g.
    ``${CI_PROJECT_DIR}``.
    """
    # Secrets are composed, and CA files bundled with the system roots, at job time.
    later = {v.name for v in jobtime.credential_vars(policy)}
    if policy.network.ca_file is not None:
        later.update(tls.CI_BUNDLE_VARIABLES)
    # An ephemeral job has no person's configuration to lose: every pointer is exported.
    out = [v for v in exported.variables(policy, workspace, replacing=True) if v.name not in later]
    for cache in caches.enabled_caches(policy):
        for var, sub in cache.dirs:
            path = f"{workspace}/{caches.cache_dir(policy, sub)}"
            out.append(EnvVar(var, path, ("caches", cache.tool)))
    retry = policy.targets.get("retry")
    if retry is not None:
        out.append(
            EnvVar(RETRY_VARIABLE, f"{workspace}/{normal_path(retry)}", ("targets", "retry"))
        )
    return out


def dind_note(policy: Policy) -> str:
    """The header line saying the dind service bypasses the proxy (docs/contract.md 4.4a)."""
    if policy.ci is None or not policy.ci.docker_in_docker:
        return ""
    return (
        f"ci.docker_in_docker: the docker:dind service's host '{proxyenv.DIND_HOST}' is in "
        "NO_PROXY for every tool"
    )


#: Where jobs find the retry target's script: sh "$ENVGEN_RETRY" COMMAND ...
RETRY_VARIABLE = "ENVGEN_RETRY"
