"""envgen.explain.narrowing must never change an answer: audits with and without it agree.

Narrowing is a speed-up of `envgen explain`'s audit (each tool's model reads only the NO_PROXY
entries that could match the probe's host). Its claim is that a dropped entry matches that host
in no modelled tool. These tests hold it to that on the conformance rule sets, on raw NO_PROXY
values (globs, blanks, `*`, IPv6, ports), and on seeded random rule sets that mix every kind of
rule, by running every tool's audit both ways.
"""

from __future__ import annotations

import ipaddress
import random
from typing import Any

import pytest

from envgen.clients.base import resolved_address
from envgen.explain import audit, narrowing
from envgen.explain.views import View, views
from envgen.noproxy import rules as netrules
from envgen.noproxy.coverage import covers
from envgen.noproxy.urls import Url, parse_url
from envgen.schema.policy import Policy
from envgen.tools import proxyenv
from tests.conformance.test_noproxy_real import RAW_VALUES, RULE_SETS

POOL = [
    "corp.example",
    ".corp.example",
    "build.internal",
    "a.b.c.example",
    "xcorp.example",
    "localhost",
    "registry.local:5000",
    "host.example:8443",
    "10.0.0.0/8",
    "10.1.0.0/16",
    "127.0.0.0/8",
    "192.168.1.7",
    "192.0.2.10",
    "0.2.10.example",
    "172.16.0.0/12",
    "2001:db8::1",
    "fd00::/8",
    "[2001:db8::1]:8443",
    "10.1.2.3:8080",
    "bücher.example",
    "1.example",
    "example",
]


def _policy(rules: list[str]) -> Policy:
    data: dict[str, Any] = {
        "version": 1,
        "proxy": {"http": "http://proxy.example:3128", "no_proxy": rules},
        "registries": {"npm": {"url": "https://npm.example/"}},
        "targets": {"npm": ".npmrc", "docker": "daemon.json"},
    }
    return Policy.model_validate(data)


def _both_ways(rules: list[netrules.Rule], views: dict[str, View]) -> None:
    for tool, view in views.items():
        slow = audit.audit(rules, view, narrowed=False)
        fast = audit.audit(rules, view, narrowed=True)
        assert fast == slow, tool


@pytest.mark.parametrize("name", sorted(RULE_SETS))
def test_conformance_rule_sets(name: str) -> None:
    policy = _policy(RULE_SETS[name])
    _both_ways(proxyenv.rules(policy), views(policy))


#: Values where narrowing could turn a list into exactly '*', which several tools read as
#: "everything" while they read a '*' inside a list differently.
STAR_LISTS = ["*,corp.example", " *,corp.example", "*,10.0.0.0/8", "*|corp.example"]


@pytest.mark.parametrize("value", [*RAW_VALUES, *STAR_LISTS])
def test_raw_values(value: str) -> None:
    rules = proxyenv.rules(_policy(POOL))
    _both_ways(rules, views(None, value))


@pytest.mark.parametrize("seed", range(40))
def test_random_rule_sets(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
    chosen = rng.sample(POOL, rng.randint(1, len(POOL)))
    policy = _policy(chosen)
    _both_ways(proxyenv.rules(policy), views(policy))
    # And the same probes against a value written by hand, blanks and globs included.
    raw = rng.choice([",", " ", ", "]).join(
        rng.choice(["*." + r, r, "." + r, r.upper()]) for r in chosen
    )
    _both_ways(proxyenv.rules(policy), views(None, raw))


def test_narrowing_drops_what_cannot_match() -> None:
    """The speed-up is real: a host keeps the entries it ends with and the non-plain ones."""
    value = ",".join(["first.example", "a.example", "b.example", "10.0.0.0/8", "*mid*", "::1"])
    url = parse_url("https://x.a.example/")
    assert narrowing.narrow({"NO_PROXY": value}, url)["NO_PROXY"] == (
        "first.example,a.example,*mid*,::1"
    )
    address = parse_url("http://10.1.2.3/")
    assert narrowing.narrow({"no_proxy": value}, address)["no_proxy"] == (
        "first.example,10.0.0.0/8,*mid*,::1"
    )
    # Ruby resolves localhost, so a CIDR entry can match it.
    assert resolved_address(parse_url("http://localhost/")) == "127.0.0.1"
    assert (
        "10.0.0.0/8"
        in narrowing.narrow({"no_proxy": value}, parse_url("http://localhost/"))["no_proxy"]
    )
    # A value with a lone '*' entry is left as it is.
    assert narrowing.narrow({"no_proxy": "a.example,*"}, url)["no_proxy"] == "a.example,*"


def _covers_linearly(rules: list[netrules.Rule], url: Url) -> netrules.Rule | None:
    """covers() as its docstring defines it, one rule at a time in order: the reference the
    indexed version must agree with."""
    address = url.address
    for rule in netrules.effective_rules(rules):
        if rule.port is not None and rule.port != url.effective_port:
            continue
        if rule.kind is netrules.Kind.DOMAIN:
            if address is None and (
                url.hostname == rule.host or url.hostname.endswith("." + rule.host)
            ):
                return rule
        elif rule.kind in (netrules.Kind.IPV4, netrules.Kind.IPV6):
            if address is not None and address == ipaddress.ip_address(rule.host):
                return rule
        elif address is not None and address in ipaddress.ip_network(rule.host):
            return rule
    return None


@pytest.mark.parametrize("seed", range(40))
def test_indexed_coverage_agrees_with_the_definition(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
    rules = proxyenv.rules(_policy(rng.sample(POOL, rng.randint(1, len(POOL)))))
    urls = [
        *audit.probes(proxyenv.rules(_policy(POOL))),
        "http://a.b.c.example:8443/",
        "https://host.example:8443/",
        "http://127.0.0.5/",
        "http://[::1]:80/",
    ]
    for text in urls:
        url = parse_url(text)
        assert covers(rules, url) == _covers_linearly(rules, url), text
