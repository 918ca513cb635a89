"""A systemd unit drop-in holding a service's environment: what docker-systemd and
gitlab-runner-systemd render (not a target itself).

Each variable is one double-quoted ``Environment=`` word (`formats.encoders.
systemd_env_assignment`: C-style escapes, ``%`` doubled); systemd does not expand ${NAME} in
Environment=, so a value with a credential reference is refused.
"""

from __future__ import annotations

from functools import partial

from envgen.formats.encoders import systemd_env_assignment
from envgen.formats.lines import lines_file
from envgen.generators.base import RenderContext
from envgen.tools.base import EnvVar


def render_drop_in(ctx: RenderContext, variables: list[EnvVar], notes: list[str]) -> str:
    """The drop-in's text: the marker, `notes` as comments, then [Service] Environment= lines."""
    if not variables:
        ctx.warn("the policy has no proxy: the drop-in sets nothing", ("proxy",), code="EG209")
    assignments = [
        ctx.encode(partial(systemd_env_assignment, var.name), var.value, var.loc)
        for var in variables
    ]
    return lines_file(
        [
            ctx.marker("#"),
            *(f"# {line}" for line in notes),
            "[Service]",
            *(f"Environment={assignment}" for assignment in assignments),
        ]
    )
