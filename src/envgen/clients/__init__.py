"""How each real client READS proxies: one module per family, one table of tools.

Every model is a transcription of the tool's own code (named in its module), quirks included,
and tests/conformance run the same table of cases through the real implementations, so that
a drift shows up as a failing test, not as a wrong `envgen explain`. How envgen WRITES a value
for each tool is another fact, in `envgen.noproxy.dialects` and `envgen.tools`.
"""

from __future__ import annotations

from envgen.clients import curl, go, java, node, nodecore, python, ruby, wget
from envgen.clients.base import Decision, Env, Model
from envgen.clients.python import LEGACY_REQUESTS
from envgen.noproxy.urls import Url

#: The one table of tools: name -> model, in the order `envgen explain` reports them.
MODELS: dict[str, Model] = {
    m.name: m
    for family in (curl, wget, go, python, node, nodecore, ruby, java)
    for m in family.MODELS
}

#: Every tool `envgen explain` reports (docs/contract.md section 2); the legacy requests model is
#: consulted only for its differences.
TOOLS = tuple(name for name in MODELS if name != LEGACY_REQUESTS)


def decide(tool: str, env: Env, config: Env, url: Url) -> Decision:
    """What `tool` does for `url`, given the environment and its private config."""
    return MODELS[tool].decide(env, config, url)


__all__ = ["LEGACY_REQUESTS", "MODELS", "TOOLS", "Decision", "Env", "Model", "decide"]
