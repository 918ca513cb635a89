"""Target `pip`: a `pip.conf` (pip.ini on Windows) read through PIP_CONFIG_FILE or the usual places.

Format: configparser.RawConfigParser as pip uses it (docs/targets.md, pip; pip docs
"Configuration"). The keys are pip's settings from `envgen.tools.pip` (index-url,
extra-index-url, timeout in seconds, retries, cert); no proxy and no credential, on purpose
(see that module). A list value is written one item per continuation line.
"""

from __future__ import annotations

from envgen.formats.encoders import ini_value
from envgen.formats.lines import lines_file
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import pip

NAME = "pip"
DEFAULT_PATH = "pip.conf"
SUMMARY = "pip config: index URLs, timeout, retries, CA bundle (no proxy, no tokens)"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the [global] section of pip.conf."""
    tool = pip.settings(policy)
    ctx.report(tool.findings)
    entries: list[tuple[str, list[str]]] = []
    for setting in tool.file:
        items = setting.value if isinstance(setting.value, tuple) else (str(setting.value),)
        values = [ctx.encode(ini_value, v, setting.loc_of(i)) for i, v in enumerate(items)]
        entries.append((setting.key, values))
    lines = [
        ctx.marker("#"),
        f'# Use: export PIP_CONFIG_FILE="$PWD/{ctx.path}"   (the CI targets export it)',
        "#   pip loads it last and then skips your own ~/.config/pip/pip.conf",
        "[global]",
    ]
    for key, values in entries:
        # A list value continues on indented lines (configparser's multi-line values).
        lines += [f"{key} = {values[0]}", *(f"    {value}" for value in values[1:])]
    return lines_file(lines)
