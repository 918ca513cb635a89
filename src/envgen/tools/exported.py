"""The environment a policy gives every tool: what `envgen env` prints and the CI targets export.

Each tool's variables come from its own module; this only puts them together in a fixed order
(proxies, then go, pip, npm, git and Node), so that the output is deterministic and every
consumer of the environment sees the same variables.
"""

from __future__ import annotations

from envgen.schema.policy import Policy
from envgen.tools import git, go, node, npm, pip, proxyenv
from envgen.tools.base import EnvVar


def variables(policy: Policy) -> list[EnvVar]:
    """Every variable, grouped by tool, in a fixed order."""
    return [
        *proxyenv.variables(policy),
        *go.settings(policy).env,
        *pip.settings(policy).env,
        *npm.settings(policy).env,
        *git.settings(policy).env,
        *node.settings(policy).env,
    ]


def as_mapping(variables: list[EnvVar]) -> dict[str, str]:
    """name -> value, as a process environment (for the models in `envgen.clients`)."""
    return {v.name: v.value for v in variables}
