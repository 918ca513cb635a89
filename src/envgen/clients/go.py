"""Go programs (the go command, dockerd): golang.org/x/net/http/httpproxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from envgen.clients.base import Decision, Env, EnvReader, Matcher, ip
from envgen.noproxy.urls import Url


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
        pip = ip(phost)
        if pip is not None:
            ips.append((shown, pip, pport))
        elif phost:
            phost = phost[1:] if phost.startswith("*.") else phost
            match_host = not phost.startswith(".")
            phost = _idna_ascii("." + phost if match_host else phost)
            domains.append((shown, phost, pport, match_host))
    return _GoEntries(None, tuple(ips), tuple(domains))


def _idna_ascii(text: str) -> str:
    """httpproxy idnaASCII (x/net de3da570): a non-ASCII entry in punycode, label by label,
    as the URL's host is (canonicalAddr); kept as written where it cannot be converted."""
    if text.isascii():
        return text
    try:
        return ".".join(
            label.encode("idna").decode("ascii") if label else "" for label in text.split(".")
        )
    except UnicodeError:
        return text


def match_go(value: str, url: Url) -> str | None:
    """golang.org/x/net/http/httpproxy: config.init and useProxy (no implicit loopback here).

    An IP host is matched against address and CIDR entries only, a name against domain
    entries only (seen with Go 1.27: '2.10' does not cover 192.0.2.10).
    """
    return _match_go(value, url, ip_suffixes=False)


def match_go_ip_suffixes(value: str, url: Url) -> str | None:
    """httpproxy before x/net v0.36.0 (Go before 1.23.7, and 1.24.0): an IP host that no
    address or CIDR entry covers is then matched against the domain entries as text, so
    '2.10' covers 192.0.2.10 (CVE-2025-22870's fix, x/net cde1dda9, stopped that:
    golang/go#72123)."""
    return _match_go(value, url, ip_suffixes=True)


def _match_go(value: str, url: Url, *, ip_suffixes: bool) -> str | None:
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
        if not ip_suffixes:
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


def _go_loopback(url: Url) -> bool:
    # httpproxy useProxy: the literal "localhost" (case-sensitive) and loopback addresses.
    address = url.address
    # url.Hostname() keeps the letter case: "LOCALHOST" is not exempt (seen with Go 1.22+).
    written = url.netloc.rsplit("@", 1)[-1]
    written = (
        written[1:].partition("]")[0] if written.startswith("[") else written.partition(":")[0]
    )
    return written == "localhost" or (address is not None and address.is_loopback)


def reader(matcher: Matcher) -> Callable[[Env, Env, Url], Decision]:
    """The go command's decision with another release's NO_PROXY matching."""
    variant = EnvReader(
        "go", PROXY_VARS, NO_PROXY_VARS, matcher, defined=False, loopback=_go_loopback
    )
    return lambda env, _config, url: variant.decide(env, url)


#: Uppercase wins; https never falls back to HTTP_PROXY.
PROXY_VARS = {"http": ("HTTP_PROXY", "http_proxy"), "https": ("HTTPS_PROXY", "https_proxy")}
NO_PROXY_VARS = ("NO_PROXY", "no_proxy")

MODELS = (
    EnvReader(
        "go", PROXY_VARS, NO_PROXY_VARS, match_go, defined=False, loopback=_go_loopback
    ).model(
        "go",
        "HTTP_PROXY/http_proxy, HTTPS_PROXY/https_proxy, NO_PROXY/no_proxy (uppercase wins)",
        http2=True,  # net/http negotiates h2 over TLS unless GODEBUG=http2client=0
    ),
    EnvReader(
        "docker", PROXY_VARS, NO_PROXY_VARS, match_go, defined=False, loopback=_go_loopback
    ).model(
        "go",
        "daemon.json `proxies`, else the daemon's environment (Go rules)",
        same_as="go",
        http2=True,
    ),
)
