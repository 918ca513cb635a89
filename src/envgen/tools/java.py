"""Java: proxies reach the JVM only as system properties (java.net "Networking Properties").

Java reads no proxy environment variable. envgen has no Java target yet: `envgen explain` shows
the properties a user would put in JAVA_TOOL_OPTIONS, with NO_PROXY in http.nonProxyHosts'
dialect ('|'-separated globs).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from envgen.schema.policy import Policy
from envgen.tools import proxyenv
from envgen.tools.base import ToolSettings

NON_PROXY_HOSTS = "http.nonProxyHosts"


def system_properties(http: str | None, https: str | None, non_proxy: str | None) -> dict[str, str]:
    """-Dhttp(s).proxyHost/Port and -Dhttp.nonProxyHosts for these proxies and value."""
    out: dict[str, str] = {}
    for prefix, url in (("http", http), ("https", https)):
        if url is None:
            continue
        parts = urlsplit(url)
        out[f"{prefix}.proxyHost"] = parts.hostname or ""
        out[f"{prefix}.proxyPort"] = str(parts.port or (443 if parts.scheme == "https" else 80))
    if non_proxy is not None:
        out[NON_PROXY_HOSTS] = non_proxy
    return out


def tool_options(properties: dict[str, str]) -> str:
    """The -D options for `properties`, as a user would put them in JAVA_TOOL_OPTIONS."""
    return " ".join(f"-D{k}={v}" for k, v in properties.items())


def settings(policy: Policy) -> ToolSettings:
    """The translation of the policy's rules into http.nonProxyHosts (and what it loses)."""
    return ToolSettings("java", no_proxy=proxyenv.translate(policy, "java"))
