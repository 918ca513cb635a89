"""Target `buildkit`: a buildkitd.toml for `docker buildx` builders (`envgen.tools.buildkit`).

Format: TOML through tomli-w, one `[registry."HOST"]` table per registry. The header gives the
exact `docker buildx create` command, with the proxies as `--driver-opt env.NAME=VALUE` (buildx
reads driver options as CSV, so each is quoted as one field).
"""

from __future__ import annotations

from typing import Any

import tomli_w

from envgen.formats.shell import sh_word
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import buildkit

NAME = "buildkit"
DEFAULT_PATH = ".envgen/buildkitd.toml"
SUMMARY = "buildkitd.toml for docker buildx: Docker Hub mirrors (hosts), insecure registries, CA"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the registry tables and the header with the builder command."""
    tool = buildkit.settings(policy)
    ctx.report(tool.findings)
    registry: dict[str, dict[str, Any]] = {}
    for setting in tool.file:
        rest = setting.key.removeprefix("registry.")
        host, _, name = rest.rpartition(".")
        value = list(setting.value) if isinstance(setting.value, tuple) else setting.value
        registry.setdefault(host, {})[name] = value
    if not registry:
        ctx.note("the policy sets nothing buildkitd.toml carries: the file has no tables")
    command = [
        "docker buildx create --name envgen --driver docker-container",
        f'--buildkitd-config "$PWD/{ctx.path}"',
    ]
    for var in buildkit.builder_environment(policy):
        # One CSV field per option: NO_PROXY's commas would otherwise split it.
        command.append(f"--driver-opt {sh_word(chr(34) + f'env.{var.name}={var.value}' + chr(34))}")
    header = [
        ctx.marker("#"),
        "# BuildKit builders do not read the Docker daemon's daemon.json. Create one with:",
        *(f"#   {part} \\" for part in command[:-1]),
        f"#   {command[-1]}",
        "# then: docker buildx use envgen",
    ]
    body = tomli_w.dumps({"registry": registry}) if registry else ""
    return "\n".join(header) + "\n" + body
