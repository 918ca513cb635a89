"""Target `curl`: a .curlrc with what envgen gives curl (`envgen.tools.curl`).

Format: curl(1) "-K, --config": one option per line, `option = "value"` (values through
`formats.encoders.curlrc_value`), a flag alone. How curl finds it (the header says it too):
`curl -K FILE` ADDS it to the command line; `CURL_HOME=<its directory>` makes curl read it as
its default config, REPLACING the user's own ~/.curlrc.
"""

from __future__ import annotations

from envgen.formats.encoders import curlrc_value
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import curl

NAME = "curl"
DEFAULT_PATH = ".envgen/curl/.curlrc"
SUMMARY = "curl config: HTTP/1.1, retries of resets and refusals, timeouts, stall detection, CA"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the options in the settings' order."""
    tool = curl.settings(policy)
    ctx.report(tool.findings)
    directory = ctx.path.rsplit("/", 1)[0] if "/" in ctx.path else "."
    lines = [
        ctx.marker("#"),
        f'# Use: curl -K "$PWD/{ctx.path}" ...   (adds these options to the command)',
        f'#  or: export CURL_HOME="$PWD/{directory}"   (replaces your own ~/.curlrc)',
        "# Proxies come from the environment (http_proxy, https_proxy).",
    ]
    for setting in tool.file:
        if setting.value is True:
            lines.append(setting.key)
        else:
            lines.append(f"{setting.key} = {ctx.encode(curlrc_value, setting.text, setting.loc)}")
    return "\n".join(lines) + "\n"
