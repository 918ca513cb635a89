"""How each family of tools must write a canonical NO_PROXY rule (docs/targets.md, NO_PROXY).

A `Dialect` is data: for each kind of rule (domain, address, network, each with or without a
port) the token forms that make the tools of that family do what the rule means, or the
reason they cannot. `translate` turns a policy's rules into one family's value; `portable`
is the union written into the environment (NO_PROXY and no_proxy) that every environment
reader shares. Which of those tokens each tool then honours is not assumed here: it is
computed by the matching models in `envgen.clients`, which the tests check against the
real implementations.

Forms are format strings over ``{host}`` and ``{port}``; ``{octets}`` is an IPv4 network
written as its whole leading octets (``10.*`` for 10.0.0.0/8), which Java's globs can express.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from envgen.noproxy.rules import Kind, Rule, effective_rules

#: The shape of a rule, as the dialect table is keyed.
SHAPES = ("domain", "domain:port", "ipv4", "ipv4:port", "ipv6", "ipv6:port", "cidr4", "cidr6")


def shape(rule: Rule) -> str:
    """The dialect-table key for `rule`: its kind, plus ':port' when it has one."""
    base = {
        Kind.DOMAIN: "domain",
        Kind.IPV4: "ipv4",
        Kind.IPV6: "ipv6",
        Kind.CIDR4: "cidr4",
        Kind.CIDR6: "cidr6",
    }[rule.kind]
    return f"{base}:port" if rule.port is not None else base


@dataclass(frozen=True)
class Dialect:
    """What one family of NO_PROXY readers can express, and how.

    `forms` maps a shape to the tokens to write; a shape missing from `forms` cannot be
    expressed, and `losses` gives the one-sentence reason (what the tool does instead).
    """

    name: str
    forms: Mapping[str, tuple[str, ...]]
    losses: Mapping[str, str]
    separator: str = ","

    def reason(self, rule: Rule) -> str:
        """Why `rule` is lost in this dialect (empty if it is not)."""
        return self.losses.get(shape(rule), "")


@dataclass(frozen=True)
class Loss:
    """A canonical rule a dialect cannot carry, and what the tool will do instead."""

    rule: Rule
    reason: str


@dataclass(frozen=True)
class Translation:
    """A dialect's rendered value and the rules it lost."""

    value: str
    tokens: tuple[str, ...]
    losses: tuple[Loss, ...]


_NO_PORT = (
    "compares the host name only, so an entry with a port never matches and it uses the proxy"
)
_NO_CIDR = "has no CIDR matching, so it uses the proxy for these addresses"
_ALL_PORTS = {"domain:port", "ipv4:port", "ipv6:port"}


def _losses(reasons: Mapping[str, str], **extra: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for shapes, reason in reasons.items():
        for one in shapes.split():
            out[one] = reason
    out.update(extra)
    return out


DIALECTS: dict[str, Dialect] = {
    # lib/noproxy.c (curl >= 7.86): a leading dot is stripped, a bare name matches the domain
    # and its subdomains at a label boundary; CIDR for IP-literal hosts; no ports; IPv6 bare.
    "curl": Dialect(
        name="curl",
        forms={
            "domain": ("{host}",),
            "ipv4": ("{host}",),
            "ipv6": ("{host}",),
            "cidr4": ("{host}",),
        },
        losses=_losses(
            {" ".join(_ALL_PORTS): f"curl {_NO_PORT}"},
            cidr6="curl 7.88 compares IPv6 hosts as text, so an IPv6 network never matches and "
            "it uses the proxy for these addresses",
        ),
    ),
    # src/host.c sufmatch: suffix at a label boundary; '.d' matches subdomains only; no CIDR,
    # no ports; IPv6 compared as text without brackets.
    "wget": Dialect(
        name="wget",
        forms={"domain": ("{host}",), "ipv4": ("{host}",), "ipv6": ("{host}",)},
        losses=_losses(
            {" ".join(_ALL_PORTS): f"wget {_NO_PORT}", "cidr4 cidr6": f"wget {_NO_CIDR}"}
        ),
    ),
    # golang.org/x/net/http/httpproxy: 'd' matches the domain and subdomains, '.d' subdomains
    # only; host:port and [v6]:port entries (the URL's default port counts); CIDR v4 and v6.
    "go": Dialect(
        name="go",
        forms={
            "domain": ("{host}",),
            "domain:port": ("{host}:{port}",),
            "ipv4": ("{host}",),
            "ipv4:port": ("{host}:{port}",),
            "ipv6": ("{host}",),
            "ipv6:port": ("[{host}]:{port}",),
            "cidr4": ("{host}",),
            "cidr6": ("{host}",),
        },
        losses={},
    ),
    # requests.utils.should_bypass_proxies then urllib.request.proxy_bypass_environment:
    # '.d' matches subdomains by text suffix and the apex through urllib (which strips the
    # dot), without the 'evilcorp.example' match a bare 'corp.example' gets from requests.
    # urllib sees '[v6]' hosts, requests the bare address: both are written.
    "python": Dialect(
        name="python",
        forms={
            "domain": (".{host}",),
            "domain:port": ("{host}:{port}",),
            "ipv4": ("{host}",),
            "ipv4:port": ("{host}:{port}",),
            "ipv6": ("{host}", "[{host}]"),
            "ipv6:port": ("[{host}]:{port}",),
            "cidr4": ("{host}",),
        },
        losses={
            "cidr6": "requests matches CIDR only for IPv4 hosts and urllib not at all, so they "
            "use the proxy for these addresses",
        },
    ),
    # @npmcli/agent: entries split on ',' and compared label by label from the right (so a
    # leading dot means nothing) and case-sensitively; no CIDR; an entry with a port never
    # matches; IPv6 hostnames keep their brackets.
    "npm": Dialect(
        name="npm",
        forms={"domain": ("{host}",), "ipv4": ("{host}",), "ipv6": ("[{host}]",)},
        losses=_losses({" ".join(_ALL_PORTS): f"npm {_NO_PORT}", "cidr4 cidr6": f"npm {_NO_CIDR}"}),
    ),
    # proxy-from-env (axios, proxy-agent): a bare entry is one exact host, '.d' and '*.d'
    # match by suffix; ports (the URL's default port counts); IPv6 in brackets; no CIDR.
    "proxy-from-env": Dialect(
        name="proxy-from-env",
        forms={
            "domain": ("{host}", ".{host}"),
            "domain:port": ("{host}:{port}", ".{host}:{port}"),
            "ipv4": ("{host}",),
            "ipv4:port": ("{host}:{port}",),
            "ipv6": ("[{host}]",),
            "ipv6:port": ("[{host}]:{port}",),
        },
        losses=_losses({"cidr4 cidr6": f"proxy-from-env {_NO_CIDR}"}),
    ),
    # undici EnvHttpProxyAgent (fetch with NODE_USE_ENV_PROXY): '.d' and '*.d' lose the prefix;
    # a name matches the domain and subdomains; ports; IPv6 in brackets; no CIDR.
    "undici": Dialect(
        name="undici",
        forms={
            "domain": ("{host}",),
            "domain:port": ("{host}:{port}",),
            "ipv4": ("{host}",),
            "ipv4:port": ("{host}:{port}",),
            "ipv6": ("[{host}]",),
            "ipv6:port": ("[{host}]:{port}",),
        },
        losses=_losses({"cidr4 cidr6": f"undici {_NO_CIDR}"}),
    ),
    # Node's own http/https with NODE_USE_ENV_PROXY=1 (envgen.clients.nodecore): a bare entry
    # is one exact host ('host:port' too), '.d' covers d and its subdomains, IPv6 bare; IPv4
    # ranges 'a-b' but no CIDR. Not an environment dialect: `portable` already writes 'd' and
    # '.d' and bare IPv6, which it reads.
    "node": Dialect(
        name="node",
        forms={
            "domain": ("{host}", ".{host}"),
            "domain:port": ("{host}:{port}",),
            "ipv4": ("{host}",),
            "ipv4:port": ("{host}:{port}",),
            "ipv6": ("{host}",),
        },
        losses=_losses(
            {"cidr4 cidr6": f"node {_NO_CIDR}"},
            **{
                "ipv6:port": "node compares 'address:port' with the address unbracketed, a form "
                "no other tool reads, so it uses the proxy"
            },
        ),
    ),
    # uri gem URI::Generic.use_proxy?: entries scanned as host[:port] (':' is a separator,
    # so IPv6 cannot be written); CIDR against the address the host resolves to.
    "ruby": Dialect(
        name="ruby",
        forms={
            "domain": ("{host}",),
            "domain:port": ("{host}:{port}",),
            "ipv4": ("{host}",),
            "ipv4:port": ("{host}:{port}",),
            "cidr4": ("{host}",),
        },
        losses=_losses(
            {
                "ipv6 ipv6:port cidr6": "Ruby reads ':' in NO_PROXY as a port separator, so an "
                "IPv6 entry cannot be written and it uses the proxy for it",
            }
        ),
    ),
    # java.net DefaultProxySelector: http.nonProxyHosts, '|'-separated globs with '*' at
    # either end, matched against the whole host; IPv6 hosts in brackets; no ports, no CIDR
    # beyond whole octets.
    "java": Dialect(
        name="java",
        separator="|",
        forms={
            "domain": ("{host}", "*.{host}"),
            "ipv4": ("{host}",),
            "ipv6": ("[{host}]",),
            "cidr4": ("{octets}",),
        },
        losses=_losses(
            {
                " ".join(_ALL_PORTS): "Java's http.nonProxyHosts has no ports, so it uses the "
                "proxy for this host",
                "cidr6": "Java's http.nonProxyHosts has no IPv6 networks, so it uses the "
                "proxy for these addresses",
            },
            cidr4="Java's http.nonProxyHosts globs express only networks of whole octets "
            "(/8, /16, /24), so it uses the proxy for these addresses",
        ),
    ),
}

#: The dialects whose tools read NO_PROXY from the environment, in the order their tokens
#: are added to the portable value.
ENVIRONMENT_DIALECTS = ("curl", "go", "python", "wget", "proxy-from-env", "undici", "ruby")


def _tokens(rule: Rule, dialect: Dialect) -> list[str]:
    out: list[str] = []
    for form in dialect.forms.get(shape(rule), ()):
        if form == "{octets}":
            net = ipaddress.ip_network(rule.host)
            if net.prefixlen % 8 or not 0 < net.prefixlen < 32:
                return []
            octets = str(net.network_address).split(".")[: net.prefixlen // 8]
            out.append(".".join(octets) + ".*")
        else:
            out.append(form.format(host=rule.host, port=rule.port))
    return out


def translate(rules: list[Rule], dialect: Dialect) -> Translation:
    """Render `rules` (plus the implicit loopback rules) in `dialect`, listing what is lost."""
    tokens: dict[str, None] = {}  # an ordered set: each token once, first place kept
    losses: list[Loss] = []
    for rule in effective_rules(rules):
        got = _tokens(rule, dialect)
        if got:
            tokens.update(dict.fromkeys(got))
        else:
            losses.append(Loss(rule, dialect.reason(rule) or f"{dialect.name} cannot express it"))
    return Translation(dialect.separator.join(tokens), tuple(tokens), tuple(losses))


def portable(rules: list[Rule]) -> Translation:
    """The value for NO_PROXY and no_proxy: every environment dialect's tokens, rule by rule.

    This is the portable recipe of docs/targets.md made exact: both ``d`` and ``.d`` for a
    domain, IPv6 both bare and bracketed, CIDR and ports written for the tools that read them.
    A token one tool cannot use is inert in the others, except where `envgen.clients` shows
    otherwise (and `envgen explain` reports it). Losses are the rules no environment reader can
    express.
    """
    tokens: dict[str, None] = {}  # an ordered set: each token once, first place kept
    losses: list[Loss] = []
    for rule in effective_rules(rules):
        got = [t for name in ENVIRONMENT_DIALECTS for t in _tokens(rule, DIALECTS[name])]
        if not got:
            losses.append(Loss(rule, "no tool that reads NO_PROXY can express it"))
        tokens.update(dict.fromkeys(got))
    return Translation(",".join(tokens), tuple(tokens), tuple(losses))
