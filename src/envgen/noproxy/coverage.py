"""What a policy's rules mean for one URL: the canonical answer every tool is measured against."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from envgen.noproxy.rules import Kind, Rule, effective_rules
from envgen.noproxy.urls import Url


def covers(rules: list[Rule], url: Url) -> Rule | None:
    """The first canonical rule (implicit loopback included) that sends `url` direct, if any.

    This is what the policy means, whatever a tool makes of it: a domain rule covers the
    domain and every subdomain, an address rule that address, a network every address in it,
    and a port limits a rule to connections to that port (the URL's own or its default).
    """
    return covered_by(_coverage(tuple(rules)), url)


def index_of(rules: list[Rule]) -> _Coverage:
    """The rules' coverage index, for many `covered_by` calls (hashing the rules once)."""
    return _coverage(tuple(rules))


def covered_by(index: _Coverage, url: Url) -> Rule | None:
    """`covers` over an index made once by `index_of`."""
    address = url.address
    found: list[tuple[int, Rule]] = []
    if address is None:
        name = url.name  # what the policy means: `a.example.` is the DNS name `a.example`
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
