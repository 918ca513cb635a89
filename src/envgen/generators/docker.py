"""Target `docker`: the Docker daemon's daemon.json (docs/targets.md, Docker).

Format: plain JSON, keys sorted, 2-space indent, trailing newline; no comments, so the manifest
alone marks it as generated. The keys are the daemon's settings from `envgen.tools.docker`
(`proxies` for Engine 23.0+, registry-mirrors, insecure-registries, transfer limits), only those
the policy sets. daemon.json expands nothing, so a proxy URL with a ${NAME} password is refused.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from envgen.formats.encoders import json_literal
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import docker
from envgen.tools.base import Kind

NAME = "docker"
DEFAULT_PATH = "docker/daemon.json"
SUMMARY = "dockerd daemon.json: proxies (Go NO_PROXY dialect), mirrors, insecure registries, limits"
MODE = 0o644

_encode = partial(json_literal, fmt="daemon.json")


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render daemon.json with only the keys the policy sets."""
    tool = docker.daemon(policy)
    ctx.report(tool.findings)
    doc: dict[str, Any] = {}
    for setting in tool.file:
        value: Any = setting.value
        if setting.kind is Kind.PROXY:
            value = ctx.encode(_encode, setting.text, setting.loc)
        elif isinstance(value, tuple):
            value = list(value)
        table, _, key = setting.key.rpartition(".")
        (doc.setdefault(table, {}) if table else doc)[key] = value
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
