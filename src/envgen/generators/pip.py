"""Target `pip`: a `pip.conf` (pip.ini on Windows) read through PIP_CONFIG_FILE or the usual places.

Format: configparser.RawConfigParser as pip uses it (docs/targets.md, pip; pip docs
"Configuration"). The keys are pip's settings from `envgen.tools.pip` (index-url,
extra-index-url, timeout in seconds, retries, cert); no proxy and no credential, on purpose
(see that module). A list value is written one item per continuation line.
"""

from __future__ import annotations

from envgen.formats.encoders import ini_value
from envgen.formats.jinja import render_template
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
    return render_template("pip.conf.j2", marker=ctx.marker("#"), path=ctx.path, entries=entries)
