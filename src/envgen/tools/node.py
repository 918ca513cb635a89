"""Node.js itself: the extra CA bundle every Node program (npm included) reads at start-up.

NODE_EXTRA_CA_CERTS ADDS the file's certificates to Node's built-in roots (Node docs, "CLI":
NODE_EXTRA_CA_CERTS), where npm's `cafile` and most other tools' CA settings REPLACE them.
"""

from __future__ import annotations

from envgen.schema.policy import Policy
from envgen.tools.base import Setting, Tool, ToolSettings, Topic, env_of

EXTRA_CA_CERTS = "NODE_EXTRA_CA_CERTS"


def settings(policy: Policy) -> ToolSettings:
    """NODE_EXTRA_CA_CERTS from network.ca_file, through the environment only."""
    out: list[Setting] = []
    ca_file = policy.network.ca_file
    if ca_file is not None:
        out.append(
            Setting(
                EXTRA_CA_CERTS,
                ca_file,
                ("network", "ca_file"),
                in_file=False,
                env=EXTRA_CA_CERTS,
                topic=Topic.CA,
            )
        )
    return ToolSettings("node", tuple(out), env_of(out))


TOOL = Tool("node", settings, shown_in=("node-proxy-from-env", "node-undici"))
