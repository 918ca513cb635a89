"""What envgen gives each tool, as `envgen explain` models it: one `View` per tool.

Every value comes from `envgen.tools`: the environment of `envgen env` for the environment
readers, npm's `.npmrc` proxy keys, daemon.json `proxies` for dockerd, Java's system
properties. Nothing here re-derives a tool's settings; it only chooses which of them each
client model reads, and where that came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from envgen import clients
from envgen.schema.policy import Policy
from envgen.tools import docker, exported, java, npm, proxyenv, tls
from envgen.tools.base import Credential, Kind, Setting, ToolSettings, Topic
from envgen.tools.registry import TOOLS

#: Stand-in proxy when `--no-proxy` is explained without a policy proxy.
PLACEHOLDER_PROXY = "http://proxy.invalid:3128"

_ENV_SOURCE = "the environment `envgen env` prints"


@dataclass(frozen=True)
class View:
    """What envgen gives one tool: environment, private config, and where each came from."""

    tool: str
    env: Mapping[str, str]
    config: Mapping[str, str]
    no_proxy_setting: str | None
    no_proxy_value: str | None
    source: str
    settings: dict[str, str] = field(default_factory=dict)
    credentials: list[Credential] = field(default_factory=list)
    knobs: dict[Topic, list[str]] = field(default_factory=dict)


def proxies(policy: Policy | None) -> tuple[str | None, str | None]:
    """The policy's http and https proxy (https falling back to http)."""
    if policy is None or policy.proxy is None:
        return None, None
    return policy.proxy.http, policy.proxy.effective_https


def _no_proxy_views(policy: Policy | None, no_proxy: str) -> dict[str, View]:
    """Every tool reading `no_proxy` verbatim as NO_PROXY and no_proxy (`--no-proxy`)."""
    http, https = proxies(policy)
    if http is None and https is None:
        http = https = PLACEHOLDER_PROXY
    env: dict[str, str] = {}
    for name, value in (("http_proxy", http), ("https_proxy", https)):
        if value is not None:
            env[name] = env[name.upper()] = value
    env["no_proxy"] = env["NO_PROXY"] = no_proxy
    properties = java.system_properties(http, https, None)
    out: dict[str, View] = {}
    for tool in clients.TOOLS:
        if tool == "java":
            out[tool] = _java_view(properties)
        else:
            setting = clients.MODELS[tool].no_proxy_setting
            source = "NO_PROXY and no_proxy = --no-proxy"
            out[tool] = View(tool, env, {}, setting, env.get(setting), source)
    return out


def _java_view(properties: dict[str, str]) -> View:
    return View(
        "java",
        {},
        properties,
        java.NON_PROXY_HOSTS,
        properties.get(java.NON_PROXY_HOSTS),
        "-D system properties (JAVA_TOOL_OPTIONS); no target sets them",
    )


def _private(tool: ToolSettings) -> dict[str, str]:
    """A tool's own proxy settings (kinds proxy and no_proxy), as its model reads them."""
    return {s.key: s.text for s in tool.settings if s.kind in (Kind.PROXY, Kind.NO_PROXY)}


def _policy_views(policy: Policy) -> dict[str, View]:
    env = exported.as_mapping(exported.variables(policy))
    npm_tool = npm.settings(policy)
    npm_config = _private(npm_tool)
    daemon = docker.daemon(policy)
    daemon_env = docker.proxy_environment(daemon) if "docker" in policy.targets else {}
    http, https = proxies(policy)
    java_np = java.settings(policy).no_proxy if (http or https) else None
    properties = java.system_properties(http, https, java_np.value if java_np else None)
    out: dict[str, View] = {}
    for tool in clients.TOOLS:
        if tool == "npm" and npm_config:
            where = (
                ".npmrc (npm target)"
                if "npm" in policy.targets
                else ("npm_config_* from `envgen env`")
            )
            out[tool] = View(tool, env, npm_config, "noproxy", npm_config["noproxy"], where)
        elif tool == "docker" and daemon_env:
            out[tool] = View(
                tool,
                daemon_env,
                {},
                "no-proxy",
                daemon_env.get("NO_PROXY"),
                "daemon.json `proxies` (docker target), which win over the daemon's environment",
            )
        elif tool == "java":
            out[tool] = _java_view(properties)
        else:
            setting = clients.MODELS[tool].no_proxy_setting
            out[tool] = View(tool, env, {}, setting, env.get(setting), _ENV_SOURCE)
    _add_settings(policy, out)
    return out


def _add_settings(policy: Policy, out: dict[str, View]) -> None:
    """Each tool's ordinary settings and credentials, in the rows that show them."""
    for view in out.values():
        via = f"the proxy URL ({view.source})"
        if view.tool == "java":
            via = "not by properties: Java needs an Authenticator for proxy credentials"
        view.credentials.extend(proxyenv.credentials(policy, via))
    for tool in TOOLS:
        if tool.needs_target is not None and tool.needs_target not in policy.targets:
            continue
        settings = tool.settings(policy)
        for row in tool.shown_in:
            out[row].settings.update({s.key: s.shown for s in settings.of_kind(Kind.SETTING)})
            out[row].credentials.extend(settings.credentials)
            _add_knobs(out[row], settings.settings)
    environment = {s.key: s for s in tls.settings(policy).settings}
    for row, name in tls.READ_BY.items():
        if name in environment:
            _add_knobs(out[row], [environment[name]])


def _add_knobs(view: View, settings: Iterable[Setting]) -> None:
    """The network knobs (HTTP version, CA, retries, timeouts) a row's tool gets."""
    for setting in settings:
        if setting.topic is not Topic.NONE:
            view.knobs.setdefault(setting.topic, []).append(f"{setting.key} = {setting.shown}")


def views(policy: Policy | None, no_proxy: str | None = None) -> dict[str, View]:
    """The settings every tool gets, from the policy or with `no_proxy` set verbatim."""
    if no_proxy is not None or policy is None:
        return _no_proxy_views(policy, no_proxy or "")
    return _policy_views(policy)
