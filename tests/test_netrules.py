"""NO_PROXY rules: parsing, normalisation, what a rule means, and each dialect's tokens."""

from __future__ import annotations

import os
import urllib.request
from unittest import mock

import pytest

from envgen.clients import MODELS
from envgen.clients.java import _java_glob
from envgen.noproxy.coverage import covers
from envgen.noproxy.dialects import DIALECTS, SHAPES, portable, translate
from envgen.noproxy.rules import Kind, parse_rule
from envgen.noproxy.urls import parse_url


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("corp.example", Kind.DOMAIN, "corp.example"),
        (".corp.example", Kind.DOMAIN, "corp.example"),
        ("*.Corp.Example.", Kind.DOMAIN, "corp.example"),
        ("10.0.0.0/8", Kind.CIDR4, "10.0.0.0/8"),
        ("fd00::/8", Kind.CIDR6, "fd00::/8"),
        ("192.168.1.7", Kind.IPV4, "192.168.1.7"),
        ("[2001:DB8::1]", Kind.IPV6, "2001:db8::1"),
        ("registry.local:5000", Kind.DOMAIN, "registry.local:5000"),
        ("[::1]:443", Kind.IPV6, "[::1]:443"),
        ("bücher.example", Kind.DOMAIN, "xn--bcher-kva.example"),
    ],
)
def test_parse_and_normalise(text: str, kind: Kind, canonical: str) -> None:
    rule = parse_rule(text)
    assert rule.kind is kind
    assert str(rule) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot be empty"),
        ("http://corp.example", "not a URL"),
        ("a b", "no spaces"),
        ("a,b", "no spaces or commas"),
        ("*", "bypass the proxy for everything"),
        ("10.0.0.1/8", "did you mean 10.0.0.0/8?"),
        ("host:0", "outside 1-65535"),
        ("1.2.3", "neither a domain name nor a full IP address"),
        ("a..b", "not a valid domain name"),
        ("foo*.example", "only allowed as a leading"),
        ("[::1", "unclosed"),
    ],
)
def test_reject(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("?", r"\?").replace("*", r"\*")):
        parse_rule(text)


def test_loopback_always_added_once() -> None:
    rules = [parse_rule("localhost"), parse_rule("corp.example")]
    got = translate(rules, DIALECTS["npm"])
    assert got.tokens == ("localhost", "corp.example", "127.0.0.1", "[::1]")


def test_npm_dialect_losses() -> None:
    rules = [parse_rule(r) for r in ("10.0.0.0/8", "registry.local:5000", "corp.example")]
    got = translate(rules, DIALECTS["npm"])
    assert [str(loss.rule) for loss in got.losses] == ["10.0.0.0/8", "registry.local:5000"]
    assert got.value == "corp.example,localhost,127.0.0.1,[::1]"


# What each canonical rule means: (rules, host, port-in-URL or None, should go direct)
MEANING = [
    (["corp.example"], "corp.example", None, True),
    (["corp.example"], "a.b.corp.example", None, True),
    (["corp.example"], "evilcorp.example", None, False),
    ([".corp.example"], "corp.example", None, True),
    (["10.0.0.0/8"], "10.20.30.40", None, True),
    (["10.0.0.0/8"], "11.0.0.1", None, False),
    (["192.168.1.7"], "192.168.1.7", None, True),
    (["192.168.1.7"], "192.168.1.70", None, False),
    (["registry.local:5000"], "registry.local", 5000, True),
    (["registry.local:5000"], "registry.local", 5001, False),
    (["2001:db8::1"], "[2001:db8::1]", None, True),
    ([], "localhost", None, True),
    ([], "127.0.0.1", None, True),
    ([], "example.org", None, False),
]


@pytest.mark.parametrize(("rules", "host", "port", "direct"), MEANING)
def test_python_dialect_with_real_requests(
    rules: list[str], host: str, port: int | None, direct: bool
) -> None:
    """pip's vendored requests decides, given the NO_PROXY value the python dialect renders."""
    from pip._vendor.requests.utils import should_bypass_proxies

    value = translate([parse_rule(r) for r in rules], DIALECTS["python"]).value
    url = f"http://{host}{f':{port}' if port else ''}/simple/"
    env = {"no_proxy": value, "NO_PROXY": value, "http_proxy": "http://proxy.invalid:3128"}
    with mock.patch.dict(os.environ, env, clear=True):
        assert should_bypass_proxies(url, no_proxy=None) is direct
        if ":" not in host and "/" not in "".join(rules) and port is None:
            # urllib agrees for names and single addresses (it has no CIDR support).
            assert bool(urllib.request.proxy_bypass_environment(host)) is direct


@pytest.mark.parametrize(("rules", "host", "port", "direct"), MEANING)
def test_covers_is_what_a_rule_means(
    rules: list[str], host: str, port: int | None, direct: bool
) -> None:
    url = parse_url(f"http://{host}{f':{port}' if port else ''}/")
    assert (covers([parse_rule(r) for r in rules], url) is not None) is direct


def test_dialect_table_is_data() -> None:
    """Every dialect is some tool's (the one table of tools, envgen.clients.MODELS, names it),
    every tool's dialect exists, and every shape a dialect cannot write has a reason."""
    used = {model.dialect for model in MODELS.values()}
    assert used == set(DIALECTS)
    for name, dialect in DIALECTS.items():
        assert dialect.name == name
        for shape in SHAPES:
            assert shape in dialect.forms or dialect.losses.get(shape), (name, shape)


RULES = ["corp.example", "10.0.0.0/8", "2001:db8::1", "registry.local:5000", "fd00::/8"]

# Hand-written from docs/targets.md section 9.2 (and the corrections the real tools forced).
EXPECTED_TOKENS = {
    "curl": "corp.example,10.0.0.0/8,2001:db8::1,localhost,127.0.0.1,::1",
    "wget": "corp.example,2001:db8::1,localhost,127.0.0.1,::1",
    "go": "corp.example,10.0.0.0/8,2001:db8::1,registry.local:5000,fd00::/8,localhost,"
    "127.0.0.1,::1",
    "python": ".corp.example,10.0.0.0/8,2001:db8::1,[2001:db8::1],registry.local:5000,"
    ".localhost,127.0.0.1,::1,[::1]",
    "npm": "corp.example,[2001:db8::1],localhost,127.0.0.1,[::1]",
    "proxy-from-env": "corp.example,.corp.example,[2001:db8::1],registry.local:5000,"
    ".registry.local:5000,localhost,.localhost,127.0.0.1,[::1]",
    "undici": "corp.example,[2001:db8::1],registry.local:5000,localhost,127.0.0.1,[::1]",
    "ruby": "corp.example,10.0.0.0/8,registry.local:5000,localhost,127.0.0.1",
    "java": "corp.example|*.corp.example|10.*|[2001:db8::1]|localhost|*.localhost|127.0.0.1|[::1]",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_TOKENS))
def test_dialect_tokens(name: str) -> None:
    got = translate([parse_rule(r) for r in RULES], DIALECTS[name])
    assert got.value == EXPECTED_TOKENS[name]


def test_portable_value_is_the_union() -> None:
    got = portable([parse_rule(r) for r in RULES])
    assert got.value == (
        "corp.example,.corp.example,10.0.0.0/8,2001:db8::1,[2001:db8::1],registry.local:5000,"
        ".registry.local:5000,fd00::/8,localhost,.localhost,127.0.0.1,::1,[::1]"
    )
    assert not got.losses


@pytest.mark.parametrize(
    ("network", "token"),
    [("10.0.0.0/8", "10.*"), ("172.16.0.0/16", "172.16.*"), ("10.1.2.0/24", "10.1.2.*")],
)
def test_java_whole_octet_networks(network: str, token: str) -> None:
    assert translate([parse_rule(network)], DIALECTS["java"]).tokens[0] == token


def test_java_loses_other_networks() -> None:
    got = translate([parse_rule("172.16.0.0/12")], DIALECTS["java"])
    assert [str(loss.rule) for loss in got.losses] == ["172.16.0.0/12"]
    assert "whole octets" in got.losses[0].reason


@pytest.mark.parametrize(
    ("pattern", "host", "matches"),
    [
        ("*", "a.example", True),
        ("**", "a.example", True),
        ("*.corp.example", "x.corp.example", True),
        ("*.corp.example", "corp.example", False),
        ("10.*", "10.1.2.3", True),
        ("10.*", "110.1.2.3", False),
        ("*corp*", "a.corp.example", True),
        ("a*b", "a*b", True),  # a '*' inside a pattern is literal text
        ("a*b", "axb", False),
        ("a.example", "a.example", True),
        ("a.example", "xa.example", False),
        (".", "a", False),  # quoted: '.' is not "any character"
    ],
)
def test_java_globs_are_quoted_patterns_with_outer_stars(
    pattern: str, host: str, matches: bool
) -> None:
    """DefaultProxySelector's pattern: only a leading and a trailing '*' are wildcards (the
    real JDK's answers on the raw table are in tests/conformance/test_noproxy_real.py)."""
    assert _java_glob(pattern, host) is matches
