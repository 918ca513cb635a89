"""NO_PROXY rules: the canonical form of a policy and each tool's dialect of it.

There is no NO_PROXY standard (shared/reference/TARGETS.md section 9): tools disagree on the
leading dot, CIDR, ports and IPv6. A policy states each rule once, in canonical form; a
`Dialect` is data saying what one family of tools can express and how, and `translate` turns
the canonical rules into that family's value plus the list of rules it cannot carry (losses).
Adding a tool is adding a `Dialect` row, not code.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum

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


def effective_rules(rules: list[Rule]) -> list[Rule]:
    """The policy's rules plus the loopback rules envgen always adds, without repeats."""
    out: list[Rule] = []
    for rule in [*rules, *(parse_rule(r) for r in IMPLICIT_RULES)]:
        if rule not in out:
            out.append(rule)
    return out


@dataclass(frozen=True)
class Dialect:
    """What one family of NO_PROXY readers can express, as data (TARGETS.md section 9.2).

    Forms are format strings applied to a rule's host: ``"{}"`` writes it bare, ``".{}"`` with a
    leading dot, ``"[{}]"`` in brackets. An empty tuple means the dialect cannot express that
    kind of rule, which makes it a loss with `*_loss` as the reason.
    """

    name: str
    tools: tuple[str, ...]
    domain_forms: tuple[str, ...]
    domain_port_forms: tuple[str, ...]
    ipv4_forms: tuple[str, ...]
    ipv4_port_forms: tuple[str, ...]
    ipv6_forms: tuple[str, ...]
    ipv6_port_forms: tuple[str, ...]
    cidr4: bool
    cidr6: bool
    port_loss: str
    cidr_loss: str


@dataclass(frozen=True)
class Loss:
    """A canonical rule a dialect cannot carry, and what the tool will do instead."""

    rule: Rule
    reason: str


@dataclass(frozen=True)
class Translation:
    """A dialect's rendered NO_PROXY value and the rules it lost."""

    value: str
    tokens: tuple[str, ...]
    losses: tuple[Loss, ...]


DIALECTS: dict[str, Dialect] = {
    # @npmcli/agent: entries split on ',' and compared label by label from the right, after
    # dropping empty labels (so a leading dot means nothing); no CIDR; an entry with a port never
    # matches because only the URL's hostname is compared; IPv6 hostnames keep their brackets.
    "npm": Dialect(
        name="npm",
        tools=("npm",),
        domain_forms=("{}",),
        domain_port_forms=(),
        ipv4_forms=("{}",),
        ipv4_port_forms=(),
        ipv6_forms=("[{}]",),
        ipv6_port_forms=(),
        cidr4=False,
        cidr6=False,
        port_loss="npm compares host names only, so it will use the proxy for this host",
        cidr_loss="npm has no CIDR matching, so it will use the proxy for these addresses",
    ),
    # requests.utils.should_bypass_proxies, then urllib's proxy_bypass_environment: '.d' matches
    # subdomains by suffix and the apex through urllib (which strips the dot), without the
    # 'evilcorp.example' suffix match a bare 'corp.example' would give; IPv4 CIDR only for IPv4
    # literal hosts; host:port only when the URL spells the port; IPv4 address:port never.
    "python": Dialect(
        name="python",
        tools=("python-requests", "pip"),
        domain_forms=(".{}",),
        domain_port_forms=("{}",),
        ipv4_forms=("{}",),
        ipv4_port_forms=(),
        ipv6_forms=("{}",),
        ipv6_port_forms=(),
        cidr4=True,
        cidr6=False,
        port_loss="requests compares an IP literal host without its port, so it will use "
        "the proxy for this address and port",
        cidr_loss="requests matches CIDR only for IPv4, so it will use the proxy for these "
        "addresses",
    ),
}


def translate(rules: list[Rule], dialect: Dialect) -> Translation:
    """Render `rules` (plus the implicit loopback rules) in `dialect`, listing what is lost."""
    tokens: list[str] = []
    losses: list[Loss] = []
    for rule in effective_rules(rules):
        got = _tokens_for(rule, dialect)
        if got:
            tokens.extend(t for t in got if t not in tokens)
        else:
            reason = (
                dialect.cidr_loss if rule.kind in (Kind.CIDR4, Kind.CIDR6) else dialect.port_loss
            )
            losses.append(Loss(rule, reason))
    return Translation(",".join(tokens), tuple(tokens), tuple(losses))


def _tokens_for(rule: Rule, d: Dialect) -> list[str]:
    if rule.kind is Kind.CIDR4 or rule.kind is Kind.CIDR6:
        return [rule.host] if (d.cidr4 if rule.kind is Kind.CIDR4 else d.cidr6) else []
    forms = {
        (Kind.DOMAIN, False): d.domain_forms,
        (Kind.DOMAIN, True): d.domain_port_forms,
        (Kind.IPV4, False): d.ipv4_forms,
        (Kind.IPV4, True): d.ipv4_port_forms,
        (Kind.IPV6, False): d.ipv6_forms,
        (Kind.IPV6, True): d.ipv6_port_forms,
    }[(rule.kind, rule.port is not None)]
    suffix = f":{rule.port}" if rule.port is not None else ""
    return [form.format(rule.host) + suffix for form in forms]
