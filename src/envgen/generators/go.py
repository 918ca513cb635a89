"""Target `go`: a GOENV file, the format `go env -w` writes (docs/targets.md, Go).

Format: one ``KEY=VALUE`` per line, read byte for byte by cmd/go (no quoting, trimming or
expansion), so every value goes through `formats.encoders.goenv_value`. The lines are go's
settings from `envgen.tools.go`, the same values `envgen env` exports.
"""

from __future__ import annotations

from envgen.formats.encoders import goenv_value
from envgen.formats.lines import lines_file
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import go

NAME = "go"
DEFAULT_PATH = "go.env"
SUMMARY = "GOENV file: module proxies (| or , fallback), private modules, checksum database"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the GOENV lines."""
    tool = go.settings(policy)
    ctx.report(tool.findings)
    entries = [(s.key, ctx.encode(goenv_value, s.text, s.loc)) for s in tool.file]
    return lines_file(
        [
            ctx.marker("#"),
            f'# Use with: export GOENV="$PWD/{ctx.path}" (or copy to "$(go env GOENV)"). Proxy '
            "variables and",
            "# credentials are not go settings: they come from `envgen env` and the CI targets.",
            *(f"{key}={value}" for key, value in entries),
        ]
    )
