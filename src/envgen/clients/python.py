"""Python: urllib.request (CPython 3.11) and requests, which pip vendors."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from envgen.clients.base import Decision, Env, EnvReader, Model, ip
from envgen.noproxy.urls import Url


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
    parsed = ip(address)
    if not mask.isdigit() or not 1 <= int(mask) <= 32 or parsed is None or parsed.version != 4:
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


#: Lowercase wins.
PROXY_VARS = {"http": ("http_proxy", "HTTP_PROXY"), "https": ("https_proxy", "HTTPS_PROXY")}

_URLLIB = EnvReader(
    "python-urllib",
    PROXY_VARS,
    ("no_proxy", "NO_PROXY"),
    lambda v, u: match_urllib(v, u.netloc),
)


def _requests_decide(
    name: str, *, text_suffix: bool = False
) -> Callable[[Env, Env, Url], Decision]:
    def decide(env: Env, _config: Env, url: Url) -> Decision:
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
        decision = _URLLIB.decide(env, bare)
        return Decision(
            decision.proxy,
            decision.rule,
            decision.reason.replace(url.hostname, url.host),
            decision.proxy_setting,
            decision.no_proxy_setting,
        )

    decide.__name__ = f"decide_{name}"
    return decide


#: requests before 2.34 (pip up to at least 23.2 vendors one): modelled, not reported by
#: default; `envgen explain` adds what it does differently to the requests and pip rows.
LEGACY_REQUESTS = "python-requests<2.34"

_REQUESTS_READS = "as urllib, plus its own no_proxy/NO_PROXY matching"

MODELS = (
    _URLLIB.model("python", "*_proxy in either case (lowercase wins)"),
    Model("python-requests", "python", _REQUESTS_READS, "no_proxy", _requests_decide("requests")),
    Model(
        "pip",
        "python",
        "as requests (pip.conf has no proxy=, so NO_PROXY is honoured)",
        "no_proxy",
        _requests_decide("pip"),
        same_as="python-requests",
    ),
    Model(
        LEGACY_REQUESTS,
        "python",
        _REQUESTS_READS,
        "no_proxy",
        _requests_decide("requests-legacy", text_suffix=True),
    ),
)
