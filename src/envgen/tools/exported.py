"""The environment a policy gives every tool: what `envgen env` prints and the CI targets export.

Each tool's variables come from its own module; this only puts them together in a fixed order
(the shared proxy variables, then each tool of `envgen.tools.registry.TOOLS`), so that the
output is deterministic and every consumer of the environment sees the same variables.
"""

from __future__ import annotations

from envgen.schema.policy import Policy
from envgen.tools import pointers, proxyenv
from envgen.tools.base import EnvVar
from envgen.tools.registry import TOOLS


def variables(
    policy: Policy, workspace: str | None = None, *, replacing: bool = False
) -> list[EnvVar]:
    """Every variable, grouped by tool, in a fixed order; with `workspace`, the pointers to the
    rendered files under it (`envgen.tools.pointers`), replacing ones only if `replacing`."""
    out = proxyenv.variables(policy)
    for tool in TOOLS:
        out.extend(tool.settings(policy).env)
    if workspace is not None:
        out = pointers.with_pointers(out, policy, workspace, replacing=replacing)
    return out


def as_mapping(variables: list[EnvVar]) -> dict[str, str]:
    """name -> value, as a process environment (for the models in `envgen.clients`)."""
    return {v.name: v.value for v in variables}
