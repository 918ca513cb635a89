"""Target `docker-systemd`: the proxy drop-in for docker.service on engines before 23.0.

Format: a systemd unit drop-in; each variable is one double-quoted ``Environment=`` word
(`formats.encoders.systemd_env_assignment`: C-style escapes, ``%`` doubled). The variables are
the daemon's environment from `envgen.tools.docker.daemon_environment` (uppercase names, Go's
NO_PROXY dialect). systemd does not expand ${NAME} in Environment=, so a proxy URL with a
credential reference is refused: put such a proxy in a root-only EnvironmentFile instead.
"""

from __future__ import annotations

from envgen.generators.base import RenderContext
from envgen.generators.dropin import render_drop_in
from envgen.schema.policy import Policy
from envgen.tools import docker

NAME = "docker-systemd"
DEFAULT_PATH = "docker/http-proxy.conf"
SUMMARY = "systemd drop-in for docker.service: HTTP(S)_PROXY, NO_PROXY (Engine < 23.0)"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the [Service] Environment= lines."""
    notes = [
        "Install as /etc/systemd/system/docker.service.d/http-proxy.conf, then:",
        "  systemctl daemon-reload && systemctl restart docker",
        "For Docker Engine < 23.0 (newer engines: prefer `proxies` in daemon.json, which wins).",
    ]
    return render_drop_in(ctx, docker.daemon_environment(policy), notes)
