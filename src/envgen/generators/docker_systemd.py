"""Target `docker-systemd`: the proxy drop-in for docker.service on engines before 23.0.

Format: a systemd unit drop-in; each variable is one double-quoted ``Environment=`` word
(`encoders.systemd_env_assignment`: C-style escapes, ``%`` doubled). dockerd is a Go program,
which reads the uppercase names first, so those are written (TARGETS.md section 9.1), with
NO_PROXY in Go's dialect. systemd does not expand ${NAME} in Environment=, so a proxy URL with
a credential reference is refused: put such a proxy in a root-only EnvironmentFile instead.
"""

from __future__ import annotations

from functools import partial

from envgen import dialects
from envgen._jinja import render_template
from envgen.encoders import systemd_env_assignment
from envgen.environment import proxy_urls, rules
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy

NAME = "docker-systemd"
DEFAULT_PATH = "docker/http-proxy.conf"
SUMMARY = "systemd drop-in for docker.service: HTTP(S)_PROXY, NO_PROXY (Engine < 23.0)"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the [Service] Environment= lines."""
    assignments: list[str] = []
    urls = proxy_urls(policy)
    if not urls:
        ctx.warn("the policy has no proxy: the drop-in sets nothing", ("proxy",))
    else:
        values = [(f"{scheme.upper()}_PROXY", url, loc) for scheme, url, loc in urls]
        no_proxy = dialects.translate(rules(policy), dialects.DIALECTS["go"]).value
        values.append(("NO_PROXY", no_proxy, ("proxy", "no_proxy")))
        for name, value, loc in values:
            assignments.append(ctx.encode(partial(systemd_env_assignment, name), value, loc))
    return render_template(
        "docker-http-proxy.conf.j2", marker=ctx.marker("#"), assignments=assignments
    )
