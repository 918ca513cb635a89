"""NO_PROXY rules: the canonical form of a policy and each tool's dialect of it.

There is no NO_PROXY standard (shared/reference/TARGETS.md section 9): tools disagree on the
leading dot, CIDR, ports and IPv6. A policy states each rule once, in canonical form; a
rule's meaning is `covers`: what every tool *should* do. How each tool writes a rule lives in
`envgen.dialects`; what each tool really does with a NO_PROXY value lives in `envgen.clients`.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property, lru_cache

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
    address = _parse_address(host)
    if address is not None:
        kind = Kind.IPV4 if address.version == 4 else Kind.IPV6
        return Rule(kind, address.compressed, port)
    if host.startswith("[") or ":" in host:
        raise ValueError(f"{raw!r} is not a valid address or host:port")
    return Rule(Kind.DOMAIN, _normalise_domain(host), port)


def _looks_cidr(raw: str) -> bool:
    return raw.count("/") == 1 and raw.rsplit("/", 1)[1].isdigit()


def _parse_cidr(raw: str) -> Rule:
    try:
        net = ipaddress.ip_network(raw, strict=False)
    except ValueError:
        raise ValueError(f"{raw!r} is not a valid CIDR network") from None
    if net.network_address != ipaddress.ip_address(raw.split("/", maxsplit=1)[0]):
        raise ValueError(f"{raw!r} has host bits set: did you mean {net}?")
    return Rule(Kind.CIDR4 if net.version == 4 else Kind.CIDR6, net.compressed)


def _split_port(raw: str) -> tuple[str, int | None]:
    if raw.startswith("["):
        end = raw.find("]")
        if end < 0:
            raise ValueError(f"{raw!r} has an unclosed '['")
        rest = raw[end + 1 :]
        if not rest:
            return raw[1:end], None
        if not rest.startswith(":") or not rest[1:].isdigit():
            raise ValueError(f"{raw!r} is not a valid [address]:port")
        return raw[1:end], _check_port(int(rest[1:]), raw)
    if raw.count(":") == 1:
        match = _PORT.match(raw)
        if not match:
            raise ValueError(f"{raw!r} has an invalid port")
        return match.group(1), _check_port(int(match.group(2)), raw)
    return raw, None


def _check_port(port: int, raw: str) -> int:
    if not 1 <= port <= 65535:
        raise ValueError(f"{raw!r} has a port outside 1-65535")
    return port


def _parse_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if ":" not in host and not host.replace(".", "").isdigit():
        return None  # a name: skip the (slow) failing parse
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _normalise_domain(host: str) -> str:
    name = host.removeprefix("*.") if host.startswith("*.") else host.lstrip(".")
    if host.startswith(".."):
        raise ValueError(f"{host!r} has more than one leading dot")
    name = name.rstrip(".").lower()
    if "*" in name:
        raise ValueError(f"{host!r}: '*' is only allowed as a leading '*.' label")
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{host!r} is not a valid domain name") from None
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"{host!r} is not a valid domain name")
    if all(label.isdigit() for label in labels):
        raise ValueError(f"{host!r} is neither a domain name nor a full IP address")
    return name


@cache
def _implicit() -> tuple[Rule, ...]:
    return tuple(parse_rule(r) for r in IMPLICIT_RULES)


def effective_rules(rules: list[Rule]) -> list[Rule]:
    """The policy's rules plus the loopback rules envgen always adds, without repeats."""
    return list(dict.fromkeys([*rules, *_implicit()]))


DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Url:
    """A request URL as the proxy-decision code of the tools sees it.

    Tools look at different parts: `hostname` (lowercase, punycode, no brackets), the
    bracketed `host` a browser-style URL parser keeps, the port as spelled in the URL or the
    scheme's default, or the whole `netloc` with any user info (Python's urllib).
    """

    text: str
    scheme: str
    hostname: str
    port: int | None
    netloc: str

    @property
    def effective_port(self) -> int:
        """The port a connection goes to: the spelled one or the scheme's default."""
        return self.port if self.port is not None else DEFAULT_PORTS[self.scheme]

    @cached_property
    def address(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        """The host as an IP address, or None for a name."""
        return _parse_address(self.hostname)

    @property
    def host(self) -> str:
        """The hostname, with brackets around an IPv6 address (WHATWG URL `hostname`)."""
        address = self.address
        return (
            f"[{self.hostname}]" if address is not None and address.version == 6 else self.hostname
        )


_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*):[^/@]*@")


def redact_url(text: str) -> str:
    """`text` with any password in its user info replaced by ``***`` (for messages)."""
    return _USERINFO.sub(r"\1:***@", text)


def parse_url(text: str) -> Url:
    """Parse an http(s) URL; raise ValueError with a one-sentence reason if it is not one.

    Messages never repeat a password the URL may carry.
    """
    from urllib.parse import urlsplit

    shown = redact_url(text.strip())
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{shown!r} is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"{shown!r}: only http:// and https:// URLs can be explained")
    if not parts.hostname:
        raise ValueError(f"{shown!r} has no host")
    hostname = (
        parts.hostname.rstrip(".") if _parse_address(parts.hostname) is None else parts.hostname
    )
    if not hostname.isascii():
        try:
            hostname = hostname.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{shown!r} has an invalid host name") from None
    address = _parse_address(hostname)
    if address is not None:
        hostname = address.compressed
    return Url(text.strip(), scheme, hostname.lower(), port, parts.netloc)


def covers(rules: list[Rule], url: Url) -> Rule | None:
    """The first canonical rule (implicit loopback included) that sends `url` direct, if any.

    This is what the policy means, whatever a tool makes of it: a domain rule covers the
    domain and every subdomain, an address rule that address, a network every address in it,
    and a port limits a rule to connections to that port (the URL's own or its default).
    """
    index = _coverage(tuple(rules))
    address = url.address
    found: list[tuple[int, Rule]] = []
    if address is None:
        name = url.hostname
        while name:  # the name itself, then each parent domain
            found += index.domains.get(name, ())
            name = name.partition(".")[2]
    else:
        found += index.addresses.get(address, ())
        found += [(i, rule) for i, rule, net in index.networks if address in net]
    port = url.effective_port
    matching = [(i, rule) for i, rule in found if rule.port is None or rule.port == port]
    return min(matching, key=lambda pair: pair[0])[1] if matching else None


@dataclass(frozen=True)
class _Coverage:
    """Effective rules indexed by host, each with its place in the list (the first match wins):
    one look-up per label of a URL's host instead of one comparison per rule."""

    domains: dict[str, list[tuple[int, Rule]]]
    addresses: dict[ipaddress.IPv4Address | ipaddress.IPv6Address, list[tuple[int, Rule]]]
    networks: list[tuple[int, Rule, ipaddress.IPv4Network | ipaddress.IPv6Network]]


@lru_cache(maxsize=16)
def _coverage(rules: tuple[Rule, ...]) -> _Coverage:
    index = _Coverage({}, {}, [])
    for i, rule in enumerate(effective_rules(list(rules))):
        if rule.kind is Kind.DOMAIN:
            index.domains.setdefault(rule.host, []).append((i, rule))
        elif rule.kind in (Kind.IPV4, Kind.IPV6):
            index.addresses.setdefault(ipaddress.ip_address(rule.host), []).append((i, rule))
        else:
            index.networks.append((i, rule, ipaddress.ip_network(rule.host)))
    return index
