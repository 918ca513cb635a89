"""The one table of tools (envgen.clients.MODELS) is consistent with itself."""

from __future__ import annotations

import re

from envgen import clients
from envgen.noproxy.dialects import DIALECTS

_VARIABLE = re.compile(r"\b[A-Za-z][A-Za-z_]*(?:_proxy|_PROXY)\b")


def test_reads_names_only_variables_the_model_reads() -> None:
    """`reads` is prose beside the variable list; every variable it names is in that list."""
    checked = 0
    for model in clients.MODELS.values():
        if not model.variables:
            continue
        named = set(_VARIABLE.findall(model.reads))
        assert named <= set(model.variables), (model.name, named - set(model.variables))
        checked += 1
    assert checked >= 6  # curl, git, wget, go, docker, urllib, ruby


def test_every_tool_has_a_dialect_and_its_twin_exists() -> None:
    for model in clients.MODELS.values():
        assert model.dialect in DIALECTS, model.name
        assert model.same_as is None or model.same_as in clients.MODELS, model.name


#: docs/contract.md section 2: `explain URL --format json` has at least these tools (in this order).
CONTRACT_TOOLS = (
    "curl",
    "git",
    "wget",
    "go",
    "docker",
    "python-urllib",
    "python-requests",
    "pip",
    "npm",
    "node-proxy-from-env",
    "node-undici",
    "node",
    "ruby",
    "java",
)


def test_reported_tools_are_the_contract() -> None:
    assert clients.TOOLS == CONTRACT_TOOLS
