"""NO_PROXY rules in their canonical form: what a policy's `proxy.no_proxy` entries are.

There is no NO_PROXY standard (docs/targets.md, "NO_PROXY"): tools disagree on the leading dot,
CIDR, ports and IPv6. A policy states each rule once, in canonical form; a rule's meaning is
`envgen.noproxy.coverage.covers`: what every tool *should* do. How each family of tools must
write a rule lives in `envgen.noproxy.dialects`; what each tool really does with a NO_PROXY
value lives in `envgen.clients`.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from envgen.secrets import excerpt

IMPLICIT_RULES = ("localhost", "127.0.0.1", "::1")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_PORT = re.compile(r"^(.*):([0-9]{1,5})$")


class Kind(StrEnum):
    """What a canonical rule names."""

    DOMAIN = "domain"
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    CIDR4 = "cidr4"
    CIDR6 = "cidr6"


@dataclass(frozen=True)
class Rule:
    """One canonical NO_PROXY rule: a domain (and all its subdomains), an address or a network.

    `host` is the bare domain (lowercase, punycode, no leading dot), the compressed address or
    the network in CIDR form; `port` restricts the rule to one port.
    """

    kind: Kind
    host: str
    port: int | None = None

    def __str__(self) -> str:
        if self.port is None:
            return self.host
        if self.kind is Kind.IPV6:
            return f"[{self.host}]:{self.port}"
        return f"{self.host}:{self.port}"


@lru_cache(maxsize=1 << 16)  # a rule is parsed by the model and again by every tool's view
def parse_rule(text: str) -> Rule:
    """Parse one policy rule; raise ValueError with a one-sentence reason if it is not one.

    Accepted: ``corp.example``, ``.corp.example`` and ``*.corp.example`` (all: the domain and
    its subdomains), IPv4/IPv6 addresses (IPv6 optionally in brackets), CIDR networks, and
    ``host:port`` / ``[v6]:port``.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("a NO_PROXY rule cannot be empty")
    if raw != text or any(c.isspace() or c == "," for c in raw):
        raise ValueError("a NO_PROXY rule is one host, address or network: no spaces or commas")
    if "://" in raw or ("/" in raw and not _looks_cidr(raw)):
        raise ValueError("a NO_PROXY rule is a host, not a URL: drop the scheme and path")
    if raw == "*":
        raise ValueError("'*' would bypass the proxy for everything: remove the proxy section")
    if "/" in raw:
        return _parse_cidr(raw)
    host, port = _split_port(raw)
    address = parse_address(host)
    if address is not None:
        kind = Kind.IPV4 if address.version == 4 else Kind.IPV6
        return Rule(kind, address.compressed, port)
    if host.startswith("[") or ":" in host:
        raise ValueError(f"{excerpt(raw)} is not a valid address or host:port")
    return Rule(Kind.DOMAIN, _normalise_domain(host), port)


def _looks_cidr(raw: str) -> bool:
    return raw.count("/") == 1 and raw.rsplit("/", 1)[1].isdigit()


def _parse_cidr(raw: str) -> Rule:
    try:
        net = ipaddress.ip_network(raw, strict=False)
    except ValueError:
        raise ValueError(f"{excerpt(raw)} is not a valid CIDR network") from None
    if net.network_address != ipaddress.ip_address(raw.split("/", maxsplit=1)[0]):
        raise ValueError(f"{excerpt(raw)} has host bits set: did you mean {net}?")
    return Rule(Kind.CIDR4 if net.version == 4 else Kind.CIDR6, net.compressed)


def _split_port(raw: str) -> tuple[str, int | None]:
    if raw.startswith("["):
        end = raw.find("]")
        if end < 0:
            raise ValueError(f"{excerpt(raw)} has an unclosed '['")
        rest = raw[end + 1 :]
        if not rest:
            return raw[1:end], None
        if not rest.startswith(":") or not rest[1:].isdigit():
            raise ValueError(f"{excerpt(raw)} is not a valid [address]:port")
        return raw[1:end], _check_port(int(rest[1:]), raw)
    if raw.count(":") == 1:
        match = _PORT.match(raw)
        if not match:
            raise ValueError(f"{excerpt(raw)} has an invalid port")
        return match.group(1), _check_port(int(match.group(2)), raw)
    return raw, None


def _check_port(port: int, raw: str) -> int:
    if not 1 <= port <= 65535:
        raise ValueError(f"{excerpt(raw)} has a port outside 1-65535")
    return port


def parse_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`host` as an IP address, or None when it is a name (or not a valid address)."""
    if ":" not in host and not host.replace(".", "").isdigit():
        return None  # a name: skip the (slow) failing parse
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _normalise_domain(host: str) -> str:
    name = host.removeprefix("*.") if host.startswith("*.") else host.lstrip(".")
    if host.startswith(".."):
        raise ValueError(f"{excerpt(host)} has more than one leading dot")
    name = name.rstrip(".").lower()
    if "*" in name:
        raise ValueError(f"{excerpt(host)}: '*' is only allowed as a leading '*.' label")
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{excerpt(host)} is not a valid domain name") from None
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"{excerpt(host)} is not a valid domain name")
    if all(label.isdigit() for label in labels):
        raise ValueError(f"{excerpt(host)} is neither a domain name nor a full IP address")
    return name


@cache
def _implicit() -> tuple[Rule, ...]:
    return tuple(parse_rule(r) for r in IMPLICIT_RULES)


def effective_rules(rules: list[Rule]) -> list[Rule]:
    """The policy's rules plus the loopback rules envgen always adds, without repeats."""
    return list(dict.fromkeys([*rules, *_implicit()]))
