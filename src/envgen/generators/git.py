"""Target `git`: a git config file with what envgen gives git (`envgen.tools.git`).

Format: git-config(1), one `[section]` per key prefix, values through
`formats.encoders.gitconfig_value`. git takes proxies from the environment: none are written.
How git finds the file (the header says it too): `git config --global include.path FILE` ADDS
it to the user's ~/.gitconfig; in an ephemeral CI job `GIT_CONFIG_GLOBAL=FILE` REPLACES
~/.gitconfig (and `git config --global` would then write into the generated file).
"""

from __future__ import annotations

from envgen.formats.encoders import gitconfig_value
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import git

NAME = "git"
DEFAULT_PATH = ".envgen/gitconfig"
SUMMARY = "git config: HTTP/1.1, stall detection (lowSpeed*), CA file; no proxies (environment)"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the config, keys grouped by section in the settings' order."""
    tool = git.settings(policy)
    ctx.report(tool.findings)
    sections: dict[str, list[str]] = {}
    for setting in tool.file:
        section, _, name = setting.key.partition(".")
        value = ctx.encode(gitconfig_value, setting.text, setting.loc)
        sections.setdefault(section, []).append(f"\t{name} = {value}")
    lines = [
        ctx.marker("#"),
        f'# Use: git config --global include.path "$PWD/{ctx.path}"   (adds to your ~/.gitconfig)',
        f'#  or, in an ephemeral CI job: export GIT_CONFIG_GLOBAL="$PWD/{ctx.path}"',
        "#     (replaces ~/.gitconfig; `git config --global` would then write into this file)",
        "# Proxies come from the environment (http_proxy, https_proxy, no_proxy).",
    ]
    for section, entries in sections.items():
        lines += [f"[{section}]", *entries]
    return "\n".join(lines) + "\n"
