"""Target `docker`: the Docker daemon's daemon.json (TARGETS.md section 4).

Format: plain JSON, keys in a fixed (sorted) order, 2-space indent, trailing newline; no
comments, so the manifest alone marks it as generated. Reads: proxy (`proxies`, Engine 23.0+,
NO_PROXY in Go's dialect since dockerd is a Go program), registries.docker (registry-mirrors,
insecure-registries) and docker (max-concurrent-downloads/-uploads, max-download-attempts).

daemon.json expands nothing, so a proxy URL with a ${NAME} password cannot be written here.
Engines older than 23.0 refuse the `proxies` key: use the `docker-systemd` target there.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from envgen import dialects
from envgen.encoders import json_literal
from envgen.environment import proxy_urls, rules
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy

NAME = "docker"
DEFAULT_PATH = "docker/daemon.json"
SUMMARY = "dockerd daemon.json: proxies (Go NO_PROXY dialect), mirrors, insecure registries, limits"
MODE = 0o644

_encode = partial(json_literal, fmt="daemon.json")


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render daemon.json with only the keys the policy sets."""
    doc: dict[str, Any] = {}
    urls = proxy_urls(policy)
    if urls:
        proxies = {f"{scheme}-proxy": ctx.encode(_encode, url, loc) for scheme, url, loc in urls}
        proxies["no-proxy"] = dialects.translate(rules(policy), dialects.DIALECTS["go"]).value
        doc["proxies"] = proxies
        ctx.note(
            "`proxies` needs Docker Engine 23.0 or later (older engines refuse the file): "
            "use the docker-systemd target for those",
            ("proxy",),
        )
    registries = policy.registries.docker
    if registries is not None:
        if registries.mirrors:
            doc["registry-mirrors"] = list(registries.mirrors)
            ctx.warn(
                "registry-mirrors apply to Docker Hub pulls only; images from other registries "
                "are pulled from those registries directly",
                ("registries", "docker", "mirrors"),
            )
        if registries.insecure:
            doc["insecure-registries"] = list(registries.insecure)
    tuning = policy.docker
    if tuning is not None:
        for key, value in (
            ("max-concurrent-downloads", tuning.max_concurrent_downloads),
            ("max-concurrent-uploads", tuning.max_concurrent_uploads),
            ("max-download-attempts", tuning.max_download_attempts),
        ):
            if value is not None:
                doc[key] = value
    if not doc:
        ctx.note("the policy sets nothing daemon.json carries: writing an empty object")
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
