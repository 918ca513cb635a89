"""Target `gitlab-runner-systemd`: the proxy drop-in for gitlab-runner.service.

The runner process itself talks to GitLab (job requests, artifacts, caches) and pulls images
through the Docker daemon; it reads the proxy from its own environment like any Go program
(GitLab Runner docs, "Running GitLab Runner behind a proxy": a systemd drop-in with
HTTP_PROXY, HTTPS_PROXY and NO_PROXY). The variables are `envgen.tools.go.service_environment`
(uppercase names, Go's NO_PROXY dialect, GODEBUG for HTTP/1.1), written as docker-systemd
writes them (`formats.encoders.systemd_env_assignment`). The `environment` of config.toml
(the gitlab-runner target) is what jobs get; this file is what the runner service gets.
"""

from __future__ import annotations

from envgen.generators.base import RenderContext
from envgen.generators.dropin import render_drop_in
from envgen.schema.policy import Policy
from envgen.tools import go

NAME = "gitlab-runner-systemd"
DEFAULT_PATH = "gitlab-runner/http-proxy.conf"
SUMMARY = "systemd drop-in for gitlab-runner.service: HTTP(S)_PROXY, NO_PROXY for the runner"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the [Service] Environment= lines."""
    notes = [
        "Install as /etc/systemd/system/gitlab-runner.service.d/http-proxy.conf, then:",
        "  systemctl daemon-reload && systemctl restart gitlab-runner",
        "The runner service's own proxy; jobs get theirs from config.toml's environment.",
    ]
    return render_drop_in(ctx, go.service_environment(policy), notes)
