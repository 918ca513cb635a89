"""Target `npm`: a project or user `.npmrc`.

Format: npm/ini then npm's ``${NAME}`` substitution (docs/targets.md, npm; npm docs "npmrc").
The keys and values are npm's settings from `envgen.tools.npm` (registries, scoped registries,
``${NAME}`` tokens, proxies, noproxy in npm's dialect, fetch retries and timeout, cafile); this
module only encodes them, refusing what .npmrc cannot carry.
"""

from __future__ import annotations

from functools import partial

from envgen.formats.encoders import npmrc_key, npmrc_value
from envgen.formats.lines import lines_file
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import npm
from envgen.tools.base import Kind

NAME = "npm"
DEFAULT_PATH = ".npmrc"
SUMMARY = "npm config: registries, scoped registries, ${NAME} tokens, proxies, retries"
MODE = 0o600  # files that can carry credentials, even by reference, are private


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render .npmrc lines in the settings' order: registries, proxies, network."""
    tool = npm.settings(policy)
    ctx.report(tool.findings)
    entries: list[tuple[str, str]] = []
    for setting in tool.file:
        # ${NAME} is written only where npm is meant to expand it: tokens and proxy passwords.
        allow_env = setting.kind in (Kind.CREDENTIAL, Kind.PROXY)
        key = ctx.encode(npmrc_key, setting.key, setting.loc)
        value = ctx.encode(partial(npmrc_value, allow_env=allow_env), setting.text, setting.loc)
        entries.append((key, value))
    return lines_file(
        [
            ctx.marker(";"),
            *(f"; {line}" for line in use(ctx.path)),
            *(f"{key}={value}" for key, value in entries),
        ]
    )


def use(path: str) -> list[str]:
    """How npm finds the file: as the project's .npmrc when it sits beside package.json
    (npm reads `<project>/.npmrc`), or through NPM_CONFIG_USERCONFIG, which the CI targets set."""
    pointer = f'export NPM_CONFIG_USERCONFIG="$PWD/{path}"'
    if path.rsplit("/", 1)[-1] == ".npmrc":
        return [
            "npm reads this file as the project's config when it runs here (beside package.json);",
            f"elsewhere: {pointer} (replaces your ~/.npmrc; the CI targets export it)",
        ]
    return [f"Use: {pointer} (replaces your ~/.npmrc; the CI targets export it)"]
