"""Target `docker-client`: the Docker CLI's config.json `proxies` (TARGETS.md section 4.3).

The client injects `proxies.default` into every container it starts and every `docker build`
as HTTP_PROXY/http_proxy/... variables, so containers and builds get the proxy. Which tools
run inside is unknown, so NO_PROXY is the portable form. Format: JSON, sorted keys, 2-space
indent. The file is read from $DOCKER_CONFIG (default ~/.docker): the policy chooses where it
is rendered; point DOCKER_CONFIG at its directory or merge it into the user's own file (it
holds no `auths`, so copying it over an existing config.json would drop logins).
"""

from __future__ import annotations

import json
from functools import partial

from envgen import dialects
from envgen.encoders import json_literal
from envgen.environment import proxy_urls, rules
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy

NAME = "docker-client"
DEFAULT_PATH = "docker/config.json"
SUMMARY = "Docker CLI config.json proxies.default for containers and builds (portable NO_PROXY)"
MODE = 0o644

_encode = partial(json_literal, fmt="the Docker client's config.json")


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render {"proxies": {"default": {...}}}."""
    default: dict[str, str] = {}
    urls = proxy_urls(policy)
    if not urls:
        ctx.warn("the policy has no proxy: config.json sets no proxies", ("proxy",))
    else:
        for scheme, url, loc in urls:
            default[f"{scheme}Proxy"] = ctx.encode(_encode, url, loc)
        default["noProxy"] = dialects.portable(rules(policy)).value
    doc = {"proxies": {"default": default}} if default else {}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
