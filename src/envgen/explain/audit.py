"""The audit behind `envgen explain`: probe every rule through every tool's model.

Losses are not assumed from a table: every rule is turned into probe URLs (its apex, a
subdomain, a look-alike, the neighbours of a network, other ports) and each tool's model is
asked what it does; wherever that differs from what the rule means
(`envgen.noproxy.coverage.covers`), the audit says so, with the tool's reason.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from envgen import clients
from envgen.clients.base import Model
from envgen.explain import narrowing
from envgen.explain.views import View
from envgen.noproxy import dialects
from envgen.noproxy.coverage import covered_by, index_of
from envgen.noproxy.rules import Kind, Rule, effective_rules
from envgen.noproxy.urls import Url, parse_url


@dataclass(frozen=True)
class Mismatch:
    """A probe where a tool does not do what the rules mean."""

    url: str
    expected: str
    actual: str
    rule: str | None
    entry: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "url": self.url,
            "expected": self.expected,
            "actual": self.actual,
            "rule": self.rule,
            "entry": self.entry,
            "reason": self.reason,
        }


_OTHER_NAMES = ("https://registry.npmjs.org/", "http://198.51.100.1/", "http://[2001:db8:ffff::1]/")


def _port_variants(rule: Rule) -> list[str]:
    if rule.port is None:
        return [""]
    other = rule.port + 1 if rule.port < 65535 else rule.port - 1
    return [f":{rule.port}", f":{other}"]


def _unicode(host: str) -> str:
    """An internationalised name (punycode labels, as rules hold it) in Unicode."""
    if "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def probes(rules: list[Rule]) -> list[str]:
    """URLs that tell whether a tool honours each rule: inside, at its edges, and just outside."""
    urls: list[str] = []
    for rule in effective_rules(rules):
        if rule.kind is Kind.DOMAIN:
            for port in _port_variants(rule):
                urls += [
                    f"http://{rule.host}{port}/",
                    f"https://x.{rule.host}{port}/",
                    f"https://x{rule.host}{port}/",
                ]
            if rule.port is None:
                urls.append(f"https://{rule.host}:8443/")
            unicode = _unicode(rule.host)
            if unicode != rule.host:  # the same name as a person writes it in a URL
                urls.append(f"https://{unicode}{_port_variants(rule)[0]}/")
        elif rule.kind is Kind.IPV4:
            urls += [f"http://{rule.host}{port}/" for port in _port_variants(rule)]
        elif rule.kind is Kind.IPV6:
            urls += [f"http://[{rule.host}]{port}/" for port in _port_variants(rule)]
        else:
            net = ipaddress.ip_network(rule.host)
            first, last = int(net.network_address), int(net.broadcast_address)
            # Two addresses inside (the first and last hosts where there are hosts) and the
            # nearest one outside, when there is one (not for 0.0.0.0/0 or ::/0).
            numbers = [min(first + 1, last), max(last - 1, first)]
            numbers += [n for n in (last + 1, first - 1) if 0 <= n < 2**net.max_prefixlen][:1]
            for number in numbers:
                address = type(net.network_address)(number)
                host = f"[{address}]" if address.version == 6 else str(address)
                urls.append(f"http://{host}/")
    urls += _OTHER_NAMES
    return list(dict.fromkeys(urls))  # in order, each once


@lru_cache(maxsize=8)
def _probed(rules: tuple[Rule, ...]) -> tuple[tuple[str, Url, Rule | None], ...]:
    """Each probe URL, parsed, with the rule that covers it (shared by every tool's audit)."""
    out = []
    index = index_of(list(rules))
    for text in probes(list(rules)):
        url = parse_url(text)
        out.append((text, url, covered_by(index, url)))
    return tuple(out)


def audit(
    rules: list[Rule], view: View, *, narrowed: bool = True, model: Model | None = None
) -> list[Mismatch]:
    """Every probe where `view.tool` does not do what `rules` mean.

    With `narrowed` (the default), each model reads only the NO_PROXY entries that could
    match the probe's host (`envgen.explain.narrowing`): the same answers, linear instead of
    quadratic. `model` is another release's model of the tool (envgen.clients.versions); it
    reads the whole value, as an older release may depend on where an entry stands in it.
    """
    dialect = dialects.DIALECTS[clients.MODELS[view.tool].dialect]
    narrowed = narrowed and model is None
    findings: list[Mismatch] = []
    env_of, config_of = narrowing.narrower(view.env), narrowing.narrower(view.config)
    for text, url, meant in _probed(tuple(rules)):
        env, config = view.env, view.config
        if narrowed:
            env, config = env_of(url), config_of(url)
        got = (
            model.decide(env, config, url)
            if model is not None
            else clients.decide(view.tool, env, config, url)
        )
        if got.proxy is None and got.rule is None and meant is None:
            continue  # no proxy configured at all: nothing to lose
        if (meant is not None) == got.direct:
            continue
        if meant is not None:
            reason = (
                f"{view.tool} compares the name as the URL writes it ({url.written}), while envgen "
                f"writes it in punycode ({meant.host}), so it uses the proxy"
                if not url.written.isascii()
                else dialect.reason(meant)
                or f"{view.tool} does not match {url.host} with "
                f"the value it is given, so it uses the proxy"
            )
            findings.append(Mismatch(text, "direct", "proxy", str(meant), None, reason))
        else:
            entry = got.rule or ""
            reason = (
                f"{view.tool} reads entry {entry!r} as covering {url.host}, which no rule "
                "covers, so it connects directly"
            )
            findings.append(Mismatch(text, "proxy", "direct", None, entry, reason))
    return findings


def legacy_requests(rules: list[Rule], view: View, known: list[Mismatch]) -> list[Mismatch]:
    """What requests < 2.34 (text-suffix matching; pip 23.2 vendors 2.31) does differently."""
    if not rules and not view.env:
        return []
    legacy = View(clients.LEGACY_REQUESTS, view.env, view.config, None, None, view.source)
    seen = {f.url for f in known}
    return [
        Mismatch(
            f.url,
            f.expected,
            f.actual,
            f.rule,
            f.entry,
            f"only with requests < 2.34 (pip 23.2 vendors 2.31), which compares entries as "
            f"text suffixes: {f.reason}",
        )
        for f in audit(rules, legacy)
        if f.url not in seen
    ]
