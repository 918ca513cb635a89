"""Node: npm (@npmcli/agent), proxy-from-env (axios, proxy-agent) and undici's EnvHttpProxyAgent."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from envgen.clients.base import Decision, Env, Matcher, Model, first_set
from envgen.noproxy.urls import Url


def match_npm(value: str, url: Url) -> str | None:
    """@npmcli/agent lib/proxy.js isNoProxy: label-wise from the right, case-sensitive."""
    host_labels = url.host.split(".")[::-1]
    for raw in value.split(","):
        entry = raw.strip()
        if not entry:
            continue
        labels = [label for label in entry.split(".") if label][::-1]
        if labels and all(
            i < len(host_labels) and host_labels[i] == label for i, label in enumerate(labels)
        ):
            return entry
    return None


_PORTED = re.compile(r"^(.+):(\d+)$")


def _node_entries(value: str, port: int) -> Iterator[tuple[str, str]]:
    """(entry, host part) of each NO_PROXY entry whose port, if any, is `port`.

    The parsing proxy-from-env and undici share: split on ',' or white space, and read a
    trailing ':digits' as the entry's port.
    """
    for entry in re.split(r"[,\s]", value):
        if not entry:
            continue
        parsed = _PORTED.match(entry)
        if parsed and int(parsed.group(2)) != port:
            continue
        yield entry, parsed.group(1) if parsed else entry


def match_proxy_from_env(value: str, url: Url) -> str | None:
    """proxy-from-env 1.1 shouldProxy: bare entries are exact hosts, '.'/'*' ones suffixes."""
    value = value.lower()
    if value == "*":
        return "*"
    host = url.bracketed  # Node's legacy url.parse keeps an IPv6 address as written
    for entry, phost in _node_entries(value, url.effective_port):
        if not re.match(r"^[.*]", phost):
            if host == phost:
                return entry
        elif host.endswith(phost[1:] if phost.startswith("*") else phost):
            return entry
    return None


def match_undici(value: str, url: Url) -> str | None:
    """undici 7 EnvHttpProxyAgent #shouldProxy and #parseNoProxy."""
    if value == "*":
        return "*"
    for entry, written in _node_entries(value, url.effective_port):
        phost = re.sub(r"^\*?\.", "", written).lower()
        if url.host == phost or url.host.endswith("." + phost):
            return entry
    return None


def match_undici_before_7_22(value: str, url: Url) -> str | None:
    """undici before 7.22 (6.x; Node's fetch up to 24.15 and 25.7): an entry is one exact host
    unless it starts with '.' or '*', and then covers every host that ends with it, the '*'
    dropped: '.corp.example' covers a.corp.example but not corp.example; '*' among other
    entries covers every host (it ends every name)."""
    if value == "*":
        return "*"
    for entry, written in _node_entries(value, url.effective_port):
        phost = written.lower()
        if not re.match(r"^[.*]", phost):
            if url.host == phost:
                return entry
        elif url.host.endswith(re.sub(r"^\*", "", phost)):
            return entry
    return None


def _undici_8_entries(value: str) -> Iterator[tuple[str, str, bool, int]]:
    """(entry, host part, wildcard, port) as undici 8.10's #parseNoProxy reads them: an IPv6
    entry bracketed with a port, or bare; 'host:port' only with one colon."""
    for entry in re.split(r"[,\s]", value):
        if not entry:
            continue
        bracketed = re.match(r"^\[(.+)\]:(\d+)$", entry)
        if bracketed:
            host, entry_port = bracketed.group(1), int(bracketed.group(2))
        else:
            unbracketed = re.sub(r"^\[(.+)\]$", r"\1", entry)
            parsed = _PORTED.match(unbracketed) if unbracketed.count(":") == 1 else None
            host = parsed.group(1) if parsed else unbracketed
            entry_port = int(parsed.group(2)) if parsed else 0
        yield entry, host, entry.startswith("*"), entry_port


def _undici_8_host(url: Url, *, trailing_dot: bool) -> str:
    # #getProxyAgentForUrl: host without port and brackets; from 8.11 without a trailing dot.
    host = url.host[1:-1] if url.host.startswith("[") else url.host
    return host[:-1] if not trailing_dot and len(host) > 1 and host.endswith(".") else host


def match_undici_8_10(value: str, url: Url) -> str | None:
    """undici 8.10: as 7.22 (a name covers itself and its subdomains, '.'/'*.' dropped), and
    IPv6 entries read bare or bracketed (nodejs/undici#5623)."""
    if value == "*":
        return "*"
    host = _undici_8_host(url, trailing_dot=True)
    for entry, written, _, port in _undici_8_entries(value):
        phost = re.sub(r"^\*?\.", "", written).lower()
        if port and port != url.effective_port:
            continue
        if host == phost or host.endswith("." + phost):
            return entry
    return None


def match_undici_8_11(value: str, url: Url) -> str | None:
    """undici 8.11 and later (Node 26.x fetch): a '*' entry anywhere ends every host (on its
    port, if it has one); '*.d' covers subdomains only, 'd' and '.d' the domain too; a
    trailing dot is dropped from the host and from entries."""
    host = _undici_8_host(url, trailing_dot=False)
    for entry, written, wildcard, port in _undici_8_entries(value):
        phost = re.sub(r"^(.+)\.$", r"\1", re.sub(r"^\*?\.", "", written)).lower()
        if phost == "*":
            if port and port != url.effective_port:
                continue
            return entry
        if port and port != url.effective_port:
            continue
        if (not wildcard and host == phost) or host.endswith("." + phost):
            return entry
    return None


def _npm_decide(env: Env, config: Env, url: Url) -> Decision:
    """@npmcli/agent getProxy: npm's config first, then the environment (keys case-folded)."""
    folded = {k.lower(): v for k, v in sorted(env.items(), key=lambda kv: kv[0].isupper())}
    proxy = config.get("https-proxy") or config.get("proxy")
    setting = ("https-proxy" if config.get("https-proxy") else "proxy") if proxy else None
    if not proxy:
        order = (
            ("https_proxy",) if url.scheme == "https" else ("https_proxy", "http_proxy", "proxy")
        )
        for key in order:
            if folded.get(key):
                proxy, setting = folded[key], key
                break
    if not proxy:
        return Decision(None, None, "npm has no proxy configured and none in the environment")
    no_proxy = config.get("noproxy")
    no_setting = "noproxy" if no_proxy else ("no_proxy" if folded.get("no_proxy") else None)
    no_proxy = no_proxy or folded.get("no_proxy", "")
    entry = match_npm(no_proxy, url) if no_proxy else None
    if entry is not None:
        return Decision(
            None, entry, f"{no_setting} entry {entry!r} matches {url.host}", setting, no_setting
        )
    return Decision(
        proxy, None, f"no {no_setting or 'noproxy'} entry matches {url.host}", setting, no_setting
    )


def _node_decide(
    matcher: Matcher,
    proxy_order: Callable[[Env, str], tuple[str, str] | None],
    no_proxy_order: tuple[str, ...],
    defined: bool,
) -> Callable[[Env, Env, Url], Decision]:
    def decide(env: Env, _config: Env, url: Url) -> Decision:
        chosen = proxy_order(env, url.scheme)
        if chosen is None or not chosen[1]:
            return Decision(None, None, f"no proxy is set for {url.scheme}")
        no_proxy = first_set(env, no_proxy_order, defined=defined)
        if no_proxy is not None and no_proxy[1]:
            entry = matcher(no_proxy[1], url)
            if entry is not None:
                return Decision(
                    None,
                    entry,
                    f"{no_proxy[0]} entry {entry!r} matches {url.host}",
                    chosen[0],
                    no_proxy[0],
                )
        return Decision(
            chosen[1],
            None,
            f"no NO_PROXY entry matches {url.host}",
            chosen[0],
            no_proxy[0] if no_proxy else None,
        )

    return decide


def undici_decide(matcher: Matcher) -> Callable[[Env, Env, Url], Decision]:
    """EnvHttpProxyAgent's decision with `matcher` (a release's NO_PROXY matching)."""
    return _node_decide(matcher, _undici_proxy, ("no_proxy", "NO_PROXY"), defined=True)


def _pfe_proxy(env: Env, scheme: str) -> tuple[str, str] | None:
    # getEnv(key) is process.env[lower] || process.env[upper].
    for key in (f"npm_config_{scheme}_proxy", f"{scheme}_proxy", "npm_config_proxy", "all_proxy"):
        found = first_set(env, (key.lower(), key.upper()), defined=False)
        if found is not None:
            return found
    return None


def _undici_proxy(env: Env, scheme: str) -> tuple[str, str] | None:
    http = first_set(env, ("http_proxy", "HTTP_PROXY"), defined=True)
    if scheme == "http":
        return http
    https = first_set(env, ("https_proxy", "HTTPS_PROXY"), defined=True)
    return https if https is not None and https[1] else http


MODELS = (
    Model(
        "npm",
        "npm",
        ".npmrc proxy, https-proxy, noproxy; else the environment",
        "no_proxy",
        _npm_decide,
    ),
    Model(
        "node-proxy-from-env",
        "proxy-from-env",
        "npm_config_<scheme>_proxy, <scheme>_proxy, all_proxy; no_proxy",
        "no_proxy",
        _node_decide(
            match_proxy_from_env,
            _pfe_proxy,
            ("npm_config_no_proxy", "NPM_CONFIG_NO_PROXY", "no_proxy", "NO_PROXY"),
            defined=False,
        ),
    ),
    Model(
        "node-undici",
        "undici",
        "http_proxy/HTTP_PROXY, https_proxy/HTTPS_PROXY (lowercase wins); no_proxy",
        "no_proxy",
        undici_decide(match_undici),
    ),
)
