"""The tool modules, in the order their variables are exported (after the shared proxies).

Adding a tool is one module in this package with a `TOOL` entry, listed here: `envgen env`,
the CI targets and `envgen explain` then pick it up without further changes.
"""

from __future__ import annotations

from envgen.tools import curl, docker, git, go, node, npm, pip, tls, uv
from envgen.tools.base import Tool

TOOLS: tuple[Tool, ...] = (
    go.TOOL,
    pip.TOOL,
    uv.TOOL,
    npm.TOOL,
    git.TOOL,
    node.TOOL,
    tls.TOOL,
    curl.TOOL,
    docker.TOOL,
)
