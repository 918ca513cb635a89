"""Ruby: the uri gem's URI::Generic.use_proxy? (Ruby 3.1 and later)."""

from __future__ import annotations

import ipaddress
import re

from envgen.clients.base import EnvReader, ip, resolved_address
from envgen.noproxy.urls import Url


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
            if ip(address) in network:
                return found.group(0)
    return None


def _ruby_loopback(url: Url) -> bool:
    address = resolved_address(url)
    return address is not None and (address.startswith("127.") or address == "::1")


MODELS = (
    # Hosts resolving to 127.* or ::1 are never proxied; CIDR entries match the resolved
    # address (envgen does not resolve names).
    EnvReader(
        "ruby",
        {"http": ("http_proxy", "HTTP_PROXY"), "https": ("https_proxy", "HTTPS_PROXY")},
        ("no_proxy", "NO_PROXY"),
        match_ruby,
        loopback=_ruby_loopback,
    ).model("ruby", "http_proxy then HTTP_PROXY, https_proxy/HTTPS_PROXY; no_proxy/NO_PROXY"),
)
