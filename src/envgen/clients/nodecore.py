"""Node's own http and https with NODE_USE_ENV_PROXY=1 (or --use-env-proxy).

Without that variable Node's built-in clients read no proxy variable at all. With it (Node
22.21+, 24.5+, 25, 26; fetch alone from 24.0; not Node 23), http.request and https.request go
through lib/internal/http.js (ProxyConfig.shouldUseProxy, read here) and fetch through the
undici Node bundles (envgen.clients.node: `node-undici`, by undici's version).

shouldUseProxy: NO_PROXY split on commas, each entry trimmed and lower-cased; '*' anywhere
ends every host; an entry equal to the host or to 'host:port' (the default port filled in)
matches; '.d' matches d itself and, before Node 24.16 / 26.1 (and on 22.x and 25.x), any host
ending in d (so also 'xd'), from then only at a label boundary; '*.d' matches subdomains only;
'a-b' is an IPv4 range; no CIDR; an IPv6 host is compared without its brackets. Lower-case
variables win: http_proxy over HTTP_PROXY, no_proxy over NO_PROXY; no loopback exemption.
Read off the real Node releases (tests/conformance/test_node_env_real.py).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from envgen.clients.base import Decision, Env, Matcher, Model
from envgen.noproxy.urls import Url

ENABLE = "NODE_USE_ENV_PROXY"
PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY")


def _host(url: Url) -> str:
    host = url.host.lower()  # WHATWG: IPv6 canonical, in brackets
    return host[1:-1] if host.startswith("[") else host


def _ipv4(text: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


def _matcher(*, boundary: bool) -> Matcher:
    def match(value: str, url: Url) -> str | None:
        host = _host(url)
        with_port = f"{host}:{url.effective_port}"
        address = _ipv4(host)
        for raw in value.split(","):
            entry = raw.strip().lower()
            if entry == "*" or entry in (host, with_port):
                return raw.strip()
            if entry.startswith("."):
                suffix = entry[1:]
                if boundary:
                    cut = len(host) - len(suffix)
                    if host == suffix or (host.endswith(suffix) and host[cut - 1 : cut] == "."):
                        return raw.strip()
                elif host.endswith(suffix):
                    return raw.strip()
            if entry.startswith("*.") and host.endswith(entry[1:]):
                return raw.strip()
            if "-" in entry and address is not None:
                start, _, end = (part.strip() for part in entry.partition("-"))
                low, high = _ipv4(start), _ipv4(end)
                if low is not None and high is not None and low <= address <= high:
                    return raw.strip()
        return None

    return match


def match_nothing(_value: str, _url: Url) -> str | None:
    """The matcher of a release whose http and https read no proxy variable: `decider` then
    never reads NO_PROXY (see `unsupported`)."""
    return None


def unsupported(_env: Env, _config: Env, url: Url) -> Decision:
    """A Node release whose http and https read no proxy variable, whatever is set."""
    return Decision(
        None,
        None,
        f"this Node release connects to {url.host} itself: its http and https read no proxy "
        "variable (NODE_USE_ENV_PROXY came in Node 22.21 and 24.5)",
    )


match_node_core = _matcher(boundary=True)
match_node_core_suffix = _matcher(boundary=False)


def decider(matcher: Matcher, *, enabled: bool = False) -> Callable[[Env, Env, Url], Decision]:
    """Node's decision: `enabled` models a Node started with NODE_USE_ENV_PROXY=1 whatever the
    environment says (`envgen explain --tool node=VERSION`)."""

    def decide(env: Env, _config: Env, url: Url) -> Decision:
        if not enabled and env.get(ENABLE) != "1":
            return Decision(
                None,
                None,
                "Node's own http, https and fetch read no proxy variable unless "
                "NODE_USE_ENV_PROXY=1 (or --use-env-proxy) is set",
            )
        names = (f"{url.scheme}_proxy", f"{url.scheme.upper()}_PROXY")
        chosen = next(((n, env[n]) for n in names if env.get(n)), None)  # JS `||`
        if chosen is None:
            return Decision(
                None, None, f"no proxy is set for {url.scheme} (Node reads {', '.join(names)})"
            )
        no_name = next((n for n in ("no_proxy", "NO_PROXY") if env.get(n)), None)
        entry = matcher(env[no_name], url) if no_name else None
        if entry is not None:
            return Decision(
                None, entry, f"{no_name} entry {entry!r} matches {url.host}", chosen[0], no_name
            )
        return Decision(
            chosen[1], None, f"no NO_PROXY entry matches {url.host}", chosen[0], no_name
        )

    return decide


MODELS = (
    Model(
        "node",
        "node",
        "only with NODE_USE_ENV_PROXY=1: http_proxy/HTTP_PROXY, https_proxy/HTTPS_PROXY "
        "(lowercase wins), no_proxy/NO_PROXY",
        "no_proxy",
        decider(match_node_core),
        variables=(ENABLE, *PROXY_VARIABLES),
    ),
)
