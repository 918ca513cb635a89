"""curl and git (through libcurl): lib/noproxy.c and curl's proxy variables (curl 7.88)."""

from __future__ import annotations

import re

from envgen.clients.base import EnvReader, ip
from envgen.noproxy.urls import Url


def _leading_int(text: str) -> int:
    digits = re.match(r"\s*([0-9]*)", text)
    return int(digits.group(1)) if digits and digits.group(1) else 0


def _curl_cidr(host: str, token: str, version: int) -> bool:
    # lib/noproxy.c Curl_cidr4_match (curl 7.88): no bits or /32 means an exact address.
    network, _, bits_text = token.partition("/")
    bits = _leading_int(bits_text) if bits_text else 0
    address, check = ip(host), ip(network)
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
    Entries are separated by commas and/or blanks (space, tab; not a line break).
    """
    if value == "*":
        return "*"
    # curl's URL parser writes an IPv6 address canonically; Curl_check_noproxy strips a
    # trailing dot from a name.
    name = url.canonical.lower()
    is_ipv4 = getattr(url.address, "version", None) == 4
    tokens: list[str] = re.findall(r"[^, \t]+", value)  # ISBLANK: space and tab only
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


#: curl reads lowercase http_proxy only (uppercase HTTP_PROXY is ignored on purpose: CGI).
PROXY_VARS = {
    "http": ("http_proxy", "all_proxy", "ALL_PROXY"),
    "https": ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"),
}
_READER = EnvReader("curl", PROXY_VARS, ("no_proxy", "NO_PROXY"), match_curl)

MODELS = (
    _READER.model(
        "curl",
        "http_proxy (lowercase only), https_proxy/HTTPS_PROXY, all_proxy; no_proxy/NO_PROXY",
        http2=True,  # libcurl built with nghttp2 offers h2 by ALPN (curl --version: HTTP2)
    ),
    EnvReader("git", PROXY_VARS, ("no_proxy", "NO_PROXY"), match_curl).model(
        "curl",
        "as curl (libcurl); an http.proxy git config would win",
        same_as="curl",
        http2=True,
    ),
)
