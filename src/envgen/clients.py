"""What each tool really does with its proxy settings: a model per client, from its source.

Every model answers one question for one URL: does this tool connect directly or through a
proxy, which setting did it read, and which NO_PROXY entry matched? Each is a transcription of
the tool's own code (named above each function), quirks included, and tests/conformance run
the same table of cases through the real implementations so that a drift shows up as a
failing test, not as a wrong `envgen explain`.

The models read an environment mapping and, for the tools that have one, a private config
(npm's `.npmrc` keys, Java's system properties). They never touch the real process
environment and never resolve names: a host is an IP address only if it is written as one.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from envgen.netrules import Url

Env = Mapping[str, str]
Matcher = Callable[[str, Url], "str | None"]

#: The entry reported when a tool bypasses the proxy for loopback on its own.
LOOPBACK = "(loopback)"


@dataclass(frozen=True)
class Decision:
    """One tool's choice for one URL."""

    proxy: str | None
    rule: str | None
    reason: str
    proxy_setting: str | None = None
    no_proxy_setting: str | None = None

    @property
    def direct(self) -> bool:
        """True when the tool connects to the URL's host itself."""
        return self.proxy is None


def _first(env: Env, names: tuple[str, ...], *, defined: bool) -> tuple[str, str] | None:
    """The first variable of `names` that is set (`defined`) or set and non-empty."""
    for name in names:
        value = env.get(name)
        if value is None or (not defined and value == ""):
            continue
        return name, value
    return None


# --- matchers: (no_proxy value, url) -> the entry that matched, or None ----------------------


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if ":" not in text and not text.replace(".", "").isdigit():
        return None  # a name: skip the (slow) failing parse
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _leading_int(text: str) -> int:
    digits = re.match(r"\s*([0-9]*)", text)
    return int(digits.group(1)) if digits and digits.group(1) else 0


def _curl_cidr(host: str, token: str, version: int) -> bool:
    # lib/noproxy.c Curl_cidr4_match (curl 7.88): no bits or /32 means an exact address.
    network, _, bits_text = token.partition("/")
    bits = _leading_int(bits_text) if bits_text else 0
    address, check = _ip(host), _ip(network)
    if address is None or check is None or address.version != version or check.version != version:
        return False
    if bits > 32:
        return False
    if bits and bits != 32:
        shift = 32 - bits
        return (int(address) >> shift) == (int(check) >> shift)
    return address == check


def match_curl(value: str, url: Url) -> str | None:
    """lib/noproxy.c Curl_check_noproxy as in curl 7.88.

    Only IPv4 hosts get address (and CIDR) matching: an IPv6 host reaches this code without
    brackets and is compared as a name, so IPv6 networks never match (seen with curl 7.88.1).
    Entries are separated by commas and/or blanks.
    """
    if value == "*":
        return "*"
    name = url.hostname.lower()
    is_ipv4 = getattr(url.address, "version", None) == 4
    tokens: list[str] = re.findall(r"[^,\s]+", value)
    for token in tokens:
        if is_ipv4:
            if len(token) < 128 and _curl_cidr(name, token, 4):
                return token
            continue
        text = token[1:] if token.startswith(".") else token
        text = (text[:-1] if text.endswith(".") else text).lower()
        if text and (name == text or (len(text) < len(name) and name.endswith("." + text))):
            return token
    return None


def match_wget(value: str, url: Url) -> str | None:
    """src/host.c sufmatch over the comma-separated list (entries are not trimmed)."""
    what = url.hostname.lower()
    for entry in value.split(","):
        low = entry.lower()
        if not low or len(what) < len(low) or not what.endswith(low):
            continue
        k = len(what) - len(low) - 1
        if k == -1 or what[k] == "." or low[0] == ".":
            return entry
    return None


@dataclass(frozen=True)
class _GoEntries:
    """httpproxy config.init's parse of NO_PROXY: '*', IP/CIDR matchers, domain matchers."""

    star: str | None
    ips: tuple[tuple[str, IPNet | IP, str], ...]
    domains: tuple[tuple[str, str, str, bool], ...]


IP = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=64)
def _go_entries(value: str) -> _GoEntries:
    ips: list[tuple[str, IPNet | IP, str]] = []
    domains: list[tuple[str, str, str, bool]] = []
    for raw in value.split(","):
        entry, shown = raw.strip().lower(), raw.strip()
        if not entry:
            continue
        if entry == "*":
            return _GoEntries(shown, (), ())
        if "/" in entry:
            try:
                ips.append((shown, ipaddress.ip_network(entry, strict=False), ""))
                continue
            except ValueError:
                pass
        split = _split_host_port(entry)
        phost, pport = split or (entry, "")
        if split is not None and phost.startswith("[") and phost.endswith("]"):
            phost = phost[1:-1]  # brackets are stripped only from a host:port entry
        pip = _ip(phost)
        if pip is not None:
            ips.append((shown, pip, pport))
        elif phost:
            phost = phost[1:] if phost.startswith("*.") else phost
            match_host = not phost.startswith(".")
            domains.append((shown, "." + phost if match_host else phost, pport, match_host))
    return _GoEntries(None, tuple(ips), tuple(domains))


def match_go(value: str, url: Url) -> str | None:
    """golang.org/x/net/http/httpproxy: config.init and useProxy (no implicit loopback here).

    An IP host is matched against address and CIDR entries only, a name against domain
    entries only (seen with Go 1.27: '2.10' does not cover 192.0.2.10).
    """
    entries = _go_entries(value)
    if entries.star is not None:
        return entries.star
    host, port, address = url.hostname.lower(), str(url.effective_port), url.address
    if address is not None:
        for shown, target, pport in entries.ips:
            if isinstance(target, IPNet):
                if address.version == target.version and address in target:
                    return shown
            elif target == address and pport in ("", port):
                return shown
        return None
    for shown, suffix, pport, match_host in entries.domains:
        if (host.endswith(suffix) or (match_host and host == suffix[1:])) and pport in ("", port):
            return shown
    return None


def _split_host_port(entry: str) -> tuple[str, str] | None:
    """Go's net.SplitHostPort, enough for NO_PROXY entries: None where it returns an error."""
    if entry.startswith("["):
        end = entry.find("]")
        if end < 0 or entry[end + 1 : end + 2] != ":" or "[" in entry[1:end]:
            return None
        return entry[: end + 1], entry[end + 2 :]
    if entry.count(":") != 1:
        return None
    host, port = entry.split(":")
    return host, port


def match_urllib(value: str, host: str) -> str | None:
    """urllib.request.proxy_bypass_environment (CPython 3.11) for a Request.host string."""
    if value == "*":
        return "*"
    host = host.lower()
    match = re.fullmatch(r"(.*):([0-9]*)", host, re.DOTALL)
    hostonly = match.group(1) if match else host
    for raw in value.split(","):
        name = raw.strip()
        if not name:
            continue
        name = name.lstrip(".").lower()
        if name in (hostonly, host):
            return raw.strip()
        if hostonly.endswith("." + name) or host.endswith("." + name):
            return raw.strip()
    return None


def _requests_cidr(entry: str) -> ipaddress.IPv4Network | None:
    if entry.count("/") != 1:
        return None
    address, mask = entry.split("/")
    ip = _ip(address)
    if not mask.isdigit() or not 1 <= int(mask) <= 32 or ip is None or ip.version != 4:
        return None
    return ipaddress.IPv4Network(f"{address}/{mask}", strict=False)


def match_requests(value: str, url: Url, *, text_suffix: bool = False) -> str | None:
    """requests.utils.should_bypass_proxies, first part (its urllib fallback is separate).

    requests 2.34 compares names at label boundaries after dropping a leading dot; before
    2.34 (`text_suffix`, e.g. the copy pip 23.2 vendors) an entry matched any host that ends
    with its text, so 'corp.example' also covered 'xcorp.example'.
    """
    hostname = url.hostname
    address = url.address
    entries = [e for e in value.replace(" ", "").split(",") if e]
    if address is not None and address.version == 4:
        for entry in entries:
            network = _requests_cidr(entry)
            if network is not None:
                if address in network:
                    return entry
            elif hostname == entry:
                return entry
        return None
    with_port = hostname + (f":{url.port}" if url.port else "")
    for entry in entries:
        if text_suffix:
            if hostname.endswith(entry) or with_port.endswith(entry):
                return entry
            continue
        bare = entry.lstrip(".")
        if (
            bare in (hostname, with_port)
            or hostname.endswith("." + bare)
            or with_port.endswith("." + bare)
        ):
            return entry
    return None


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
    for entry, phost in _node_entries(value, url.effective_port):
        if not re.match(r"^[.*]", phost):
            if url.host == phost:
                return entry
        elif url.host.endswith(phost[1:] if phost.startswith("*") else phost):
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


def resolved_address(url: Url) -> str | None:
    """The address a model resolves the host to: the host itself if it is an address, and
    127.0.0.1 for localhost (Ruby's IPSocket.getaddress; nothing that needs DNS is modelled)."""
    if url.address is not None:
        return str(url.address)
    return "127.0.0.1" if url.hostname == "localhost" else None


def match_ruby(value: str, url: Url) -> str | None:
    """uri gem URI::Generic.use_proxy? (Ruby 3.1 and later)."""
    hostname = url.hostname.lower()
    address = resolved_address(url)
    for found in re.finditer(r"([^:,\s]+)(?::(\d+))?", value):
        p_host, p_port = found.group(1), found.group(2)
        if p_port is not None and url.effective_port != int(p_port):
            continue
        if p_host.startswith("."):
            if hostname.endswith(p_host.lower()):
                return str(found.group(0))
        elif ("." + hostname).endswith("." + p_host.lower()):
            return str(found.group(0))
        if address is not None:
            try:
                network = ipaddress.ip_network(p_host.strip("[]"), strict=False)
            except ValueError:
                continue
            if _ip(address) in network:
                return found.group(0)
    return None


@lru_cache(maxsize=4096)
def _java_regex(pattern: str) -> re.Pattern[str]:
    # Compiled once per pattern: re's own cache (512) thrashes on long nonProxyHosts lists.
    if pattern.startswith("*") and pattern.endswith("*") and len(pattern) > 1:
        return re.compile(".*" + re.escape(pattern[1:-1]) + ".*")
    if pattern.startswith("*"):
        return re.compile(".*" + re.escape(pattern[1:]))
    if pattern.endswith("*"):
        return re.compile(re.escape(pattern[:-1]) + ".*")
    return re.compile(re.escape(pattern))


def match_java(value: str, url: Url) -> str | None:
    """java.net DefaultProxySelector: http.nonProxyHosts globs against the URI's host."""
    host = url.host.lower()
    for raw in value.split("|"):
        pattern = raw.strip().lower()
        if pattern and _java_regex(pattern).fullmatch(host):
            return raw.strip()
    return None


# --- clients -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Client:
    """One tool: the variables it reads, in the order it prefers them, and its matcher.

    `defined` says whether a variable that is set but empty still wins (curl, urllib, undici,
    Ruby) or is skipped (Go, proxy-from-env).
    """

    name: str
    dialect: str
    proxy_vars: Mapping[str, tuple[str, ...]]
    no_proxy_vars: tuple[str, ...]
    matcher: Matcher
    defined: bool = True
    loopback: Callable[[Url], bool] | None = None
    note: str = ""

    def decide(self, env: Env, url: Url) -> Decision:
        """Direct or through which proxy, reading `env` the way this tool does."""
        chosen = _first(env, self.proxy_vars[url.scheme], defined=self.defined)
        if chosen is None or chosen[1] == "":
            names = ", ".join(self.proxy_vars[url.scheme])
            return Decision(
                None, None, f"no proxy is set for {url.scheme} ({self.name} reads {names})"
            )
        var, proxy = chosen
        if self.loopback is not None and self.loopback(url):
            return Decision(
                None, LOOPBACK, f"{self.name} never proxies loopback hosts", proxy_setting=var
            )
        no_proxy = _first(env, self.no_proxy_vars, defined=self.defined)
        if no_proxy is not None and no_proxy[1]:
            entry = self.matcher(no_proxy[1], url)
            if entry is not None:
                return Decision(
                    None,
                    entry,
                    f"{no_proxy[0]} entry {entry!r} matches {url.host}",
                    var,
                    no_proxy[0],
                )
        why = f"no {'/'.join(self.no_proxy_vars)} entry matches {url.host}"
        return Decision(proxy, None, why, var, no_proxy[0] if no_proxy else None)


def _go_loopback(url: Url) -> bool:
    # httpproxy useProxy: the literal "localhost" (case-sensitive) and loopback addresses.
    address = url.address
    return url.hostname == "localhost" or (address is not None and address.is_loopback)


def _ruby_loopback(url: Url) -> bool:
    address = resolved_address(url)
    return address is not None and (address.startswith("127.") or address == "::1")


_CURL = {
    "http": ("http_proxy", "all_proxy", "ALL_PROXY"),
    "https": ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"),
}
_GO = {"http": ("HTTP_PROXY", "http_proxy"), "https": ("HTTPS_PROXY", "https_proxy")}
_LOWER_FIRST = {"http": ("http_proxy", "HTTP_PROXY"), "https": ("https_proxy", "HTTPS_PROXY")}

CLIENTS: dict[str, Client] = {
    c.name: c
    for c in (
        Client(
            "curl",
            "curl",
            _CURL,
            ("no_proxy", "NO_PROXY"),
            match_curl,
            note="uppercase HTTP_PROXY is ignored on purpose",
        ),
        Client(
            "git",
            "curl",
            _CURL,
            ("no_proxy", "NO_PROXY"),
            match_curl,
            note="through libcurl; an http.proxy git config would win over the environment",
        ),
        Client(
            "wget",
            "wget",
            {"http": ("http_proxy",), "https": ("https_proxy",)},
            ("no_proxy",),
            match_wget,
            note="reads lowercase variables only",
        ),
        Client(
            "go",
            "go",
            _GO,
            ("NO_PROXY", "no_proxy"),
            match_go,
            defined=False,
            loopback=_go_loopback,
            note="uppercase wins; https never falls back to HTTP_PROXY",
        ),
        Client(
            "docker",
            "go",
            _GO,
            ("NO_PROXY", "no_proxy"),
            match_go,
            defined=False,
            loopback=_go_loopback,
            note="the daemon's environment; daemon.json `proxies` (Engine 23+) would win",
        ),
        Client(
            "python-urllib",
            "python",
            _LOWER_FIRST,
            ("no_proxy", "NO_PROXY"),
            lambda v, u: match_urllib(v, u.netloc),
            note="lowercase wins",
        ),
        Client(
            "ruby",
            "ruby",
            _LOWER_FIRST,
            ("no_proxy", "NO_PROXY"),
            match_ruby,
            loopback=_ruby_loopback,
            note="hosts resolving to 127.* or ::1 are never proxied; CIDR entries match "
            "the resolved address (envgen does not resolve names)",
        ),
    )
}


def _requests_decide(name: str, *, text_suffix: bool = False) -> Callable[[Env, Url], Decision]:
    urllib_client = CLIENTS["python-urllib"]

    def decide(env: Env, url: Url) -> Decision:
        own = env.get("no_proxy") or env.get("NO_PROXY")
        if own:
            entry = match_requests(own, url, text_suffix=text_suffix)
            if entry is not None:
                var = "no_proxy" if env.get("no_proxy") else "NO_PROXY"
                return Decision(
                    None,
                    entry,
                    f"{var} entry {entry!r} matches {url.hostname}",
                    no_proxy_setting=var,
                )
        # The fallback: urllib's proxy_bypass on the bare host name, then its proxy choice.
        bare = Url(url.text, url.scheme, url.hostname, None, url.hostname)
        decision = urllib_client.decide(env, bare)
        return Decision(
            decision.proxy,
            decision.rule,
            decision.reason.replace(url.hostname, url.host),
            decision.proxy_setting,
            decision.no_proxy_setting,
        )

    decide.__name__ = f"decide_{name}"
    return decide


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
) -> Callable[[Env, Url], Decision]:
    def decide(env: Env, url: Url) -> Decision:
        chosen = proxy_order(env, url.scheme)
        if chosen is None or not chosen[1]:
            return Decision(None, None, f"no proxy is set for {url.scheme}")
        no_proxy = _first(env, no_proxy_order, defined=defined)
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


def _pfe_proxy(env: Env, scheme: str) -> tuple[str, str] | None:
    # getEnv(key) is process.env[lower] || process.env[upper].
    for key in (f"npm_config_{scheme}_proxy", f"{scheme}_proxy", "npm_config_proxy", "all_proxy"):
        found = _first(env, (key.lower(), key.upper()), defined=False)
        if found is not None:
            return found
    return None


def _undici_proxy(env: Env, scheme: str) -> tuple[str, str] | None:
    http = _first(env, ("http_proxy", "HTTP_PROXY"), defined=True)
    if scheme == "http":
        return http
    https = _first(env, ("https_proxy", "HTTPS_PROXY"), defined=True)
    return https if https is not None and https[1] else http


JAVA_LOOPBACK = "localhost|127.*|[::1]|0.0.0.0|[::0]"


def _java_decide(config: Env, url: Url) -> Decision:
    """DefaultProxySelector.select with the proxy properties.

    A non-empty http.nonProxyHosts gets Java's loopback patterns appended (seen with JDK 17:
    loopback stays direct); an empty one matches nothing; an unset one is the default list.
    """
    prefix = "https" if url.scheme == "https" else "http"
    host = config.get(f"{prefix}.proxyHost")
    if not host:
        return Decision(
            None,
            None,
            f"Java reads no proxy environment variables and -D{prefix}.proxyHost is not set",
        )
    port = config.get(f"{prefix}.proxyPort") or ("443" if prefix == "https" else "80")
    patterns = config.get("http.nonProxyHosts", JAVA_LOOPBACK)
    if patterns and patterns != JAVA_LOOPBACK:
        patterns = f"{patterns}|{JAVA_LOOPBACK}"
    entry = match_java(patterns, url)
    if entry is not None:
        return Decision(
            None,
            entry,
            f"http.nonProxyHosts pattern {entry!r} matches {url.host}",
            f"{prefix}.proxyHost",
            "http.nonProxyHosts",
        )
    return Decision(
        f"http://{host}:{port}",
        None,
        f"no http.nonProxyHosts pattern matches {url.host}",
        f"{prefix}.proxyHost",
        "http.nonProxyHosts",
    )


_requests = _requests_decide("python-requests")
_requests_legacy = _requests_decide("python-requests<2.34", text_suffix=True)
_pfe = _node_decide(
    match_proxy_from_env,
    _pfe_proxy,
    ("npm_config_no_proxy", "NPM_CONFIG_NO_PROXY", "no_proxy", "NO_PROXY"),
    defined=False,
)
_undici = _node_decide(match_undici, _undici_proxy, ("no_proxy", "NO_PROXY"), defined=True)

#: Every tool `envgen explain` models, in the order it reports them (POLICY.md section 2).
TOOLS = (
    "curl",
    "git",
    "wget",
    "go",
    "docker",
    "python-urllib",
    "python-requests",
    "pip",
    "npm",
    "node-proxy-from-env",
    "node-undici",
    "ruby",
    "java",
)

#: requests before 2.34 (pip up to at least 23.2 vendors one): modelled, not reported by
#: default; `envgen explain` mentions it in its notes.
LEGACY_REQUESTS = "python-requests<2.34"

#: The dialect each tool's private setting or environment value is written in.
TOOL_DIALECT = {
    "curl": "curl",
    "git": "curl",
    "wget": "wget",
    "go": "go",
    "docker": "go",
    "python-urllib": "python",
    "python-requests": "python",
    "pip": "python",
    "npm": "npm",
    "node-proxy-from-env": "proxy-from-env",
    "node-undici": "undici",
    "ruby": "ruby",
    "java": "java",
    LEGACY_REQUESTS: "python",
}


def decide(tool: str, env: Env, config: Env, url: Url) -> Decision:
    """What `tool` does for `url`, given the environment and its private config."""
    if tool in CLIENTS:
        return CLIENTS[tool].decide(env, url)
    if tool in ("python-requests", "pip"):
        return _requests(env, url)
    if tool == LEGACY_REQUESTS:
        return _requests_legacy(env, url)
    if tool == "npm":
        return _npm_decide(env, config, url)
    if tool == "node-proxy-from-env":
        return _pfe(env, url)
    if tool == "node-undici":
        return _undici(env, url)
    if tool == "java":
        return _java_decide(config, url)
    raise KeyError(tool)
