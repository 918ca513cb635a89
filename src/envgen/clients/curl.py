"""curl and git (through libcurl): lib/noproxy.c and curl's proxy variables.

`match_curl` is curl 7.87 and later (read in 7.88, the version the conformance suite runs);
curl 7.86.0 rewrote the matching (CIDR) with regressions that 7.87.0 fixed, and curl 7.85 and
earlier matched by text: `match_curl_7_86` and `match_curl_before_7_86` transcribe those
(envgen.clients.versions selects one by version).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from envgen.clients.base import Decision, Env, EnvReader, Matcher, ip
from envgen.noproxy.urls import Url


def _leading_int(text: str) -> int:
    digits = re.match(r"\s*([0-9]*)", text)
    return int(digits.group(1)) if digits and digits.group(1) else 0


def _cidr4(host: str, network: str, bits: int) -> bool:
    """lib/noproxy.c Curl_cidr4_match (the same in 7.86 and 7.88): both IPv4, no bits or /32
    means an exact address, bits over 32 (or negative from 7.86's atoi) never match."""
    address, check = ip(host), ip(network)
    if not 0 <= bits <= 32 or address is None or check is None:
        return False
    if address.version != 4 or check.version != 4:
        return False
    if bits and bits != 32:
        shift = 32 - bits
        return (int(address) >> shift) == (int(check) >> shift)
    return address == check


def _curl_cidr(host: str, token: str) -> bool:
    # curl 7.88 reads the bits with its own digit parser: no sign, so never negative.
    network, _, bits_text = token.partition("/")
    return _cidr4(host, network, _leading_int(bits_text) if bits_text else 0)


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
            if len(token) < 128 and _curl_cidr(name, token):
                return token
            continue
        text = token[1:] if token.startswith(".") else token
        text = (text[:-1] if text.endswith(".") else text).lower()
        if text and (name == text or (len(text) < len(name) and name.endswith("." + text))):
            return token
    return None


def match_curl_before_7_86(value: str, url: Url) -> str | None:
    """lib/url.c check_noproxy as in curl 7.85.0 (and earlier): text only, no CIDR.

    Tokens are separated by commas and spaces (not tabs); one leading dot is dropped; a token
    matches the end of the host name if the lengths are equal or the character before is a
    dot, case-insensitively. An address is compared as text the same way ('0.0.1' covers
    10.0.0.1), an IPv6 host without its brackets; a trailing dot is not stripped from either.
    """
    if value == "*":
        return "*"
    name = _as_written(url)
    tokens: list[str] = re.findall(r"[^, ]+", value)  # separator ", ": a tab is no separator
    for token in tokens:
        text = (token[1:] if token.startswith(".") else token).lower()
        boundary = (
            len(text) == len(name) or name[len(name) - len(text) - 1 : len(name) - len(text)] == "."
        )
        if len(text) <= len(name) and name.endswith(text) and boundary:
            return token
    return None


def _as_written(url: Url) -> str:
    """The host name as curl before 7.87 compared it: lower-cased, a trailing dot kept, an IPv6
    address as the URL parser writes it (compressed), without brackets."""
    address = url.address
    return (
        address.compressed if address is not None and address.version == 6 else url.hostname
    ).lower()


def match_curl_7_86(value: str, url: Url) -> str | None:
    """lib/noproxy.c Curl_check_noproxy as in curl 7.86.0, regressions included.

    That version did not end a token at its comma when comparing: a token that is not the
    last of the value matches only where it is exactly as long as the host name
    (curl/curl#9813, #9842; fixed in 7.87.0). A name token matches exactly; a token with a
    leading dot matches the end of the name with no label boundary; an IPv4 host is matched
    against address and CIDR tokens; a trailing dot is not stripped.
    """
    if value == "*":
        return "*"
    name = _as_written(url)
    is_ipv4 = getattr(url.address, "version", None) == 4
    for found in re.finditer(r"[^, \t]+", value):
        token, rest = found.group(), value[found.start() :]
        if is_ipv4:
            network, slash, bits_text = token.partition("/")
            if slash:  # atoi: leading blanks, a sign, digits
                digits = re.match(r"\s*([+-]?[0-9]+)", bits_text)
                if _cidr4(name, network, int(digits.group(1)) if digits else 0):
                    return token
            elif _cidr4(name, rest, 0):  # the rest of the value: only the last token
                return token
            continue
        if token.startswith("."):
            text, tail = token[1:], rest[1:]
            suffix = name[len(name) - len(text) :]
            if len(text) <= len(name) and tail[: len(name)].lower() == suffix:
                return token
        elif token.lower() == name:
            return token
    return None


#: curl reads lowercase http_proxy only (uppercase HTTP_PROXY is ignored on purpose: CGI).
PROXY_VARS = {
    "http": ("http_proxy", "all_proxy", "ALL_PROXY"),
    "https": ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"),
}
_READER = EnvReader("curl", PROXY_VARS, ("no_proxy", "NO_PROXY"), match_curl)


def reader(name: str, matcher: Matcher) -> Callable[[Env, Env, Url], Decision]:
    """The decide function of curl (or git) with another release's NO_PROXY matching."""
    variant = EnvReader(name, PROXY_VARS, ("no_proxy", "NO_PROXY"), matcher)
    return lambda env, _config, url: variant.decide(env, url)


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
