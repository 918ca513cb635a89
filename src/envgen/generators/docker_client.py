"""Target `docker-client`: the Docker CLI's config.json `proxies` (docs/targets.md, Docker).

The client injects `proxies.default` into every container it starts and every `docker build`
as HTTP_PROXY/http_proxy/... variables, so containers and builds get the proxy; the entries come
from `envgen.tools.docker.client_proxies` (portable NO_PROXY, since which tools run inside is
unknown). Format: JSON, sorted keys, 2-space indent. The file is read from $DOCKER_CONFIG
(default ~/.docker): point DOCKER_CONFIG at its directory or merge it into the user's own file
(it holds no `auths`, so copying it over an existing config.json would drop logins).
"""

from __future__ import annotations

import json
from functools import partial

from envgen.formats.encoders import json_literal
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import docker

NAME = "docker-client"
DEFAULT_PATH = "docker/config.json"
SUMMARY = "Docker CLI config.json proxies.default for containers and builds (portable NO_PROXY)"
MODE = 0o644

_encode = partial(json_literal, fmt="the Docker client's config.json")


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render {"proxies": {"default": {...}}}."""
    entries = docker.client_proxies(policy)
    if not entries:
        ctx.warn("the policy has no proxy: config.json sets no proxies", ("proxy",), code="EG209")
    default = {var.name: ctx.encode(_encode, var.value, var.loc) for var in entries}
    doc = {"proxies": {"default": default}} if default else {}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
