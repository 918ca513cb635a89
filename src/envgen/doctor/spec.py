"""What `envgen doctor` will do, before it does it: the URLs, the runs, the fakes' ports.

Pure: from the policy (and the URLs asked about) to a plan the sandbox executes. The
environment each tool gets is what `envgen env --all-pointers` prints, pointing at the
rendered files in a scratch directory, with every `${NAME}` reference given a sentinel value
(recorder.sentinel) so that no real secret is ever read and the fakes can tell which
reference a tool sent; HOME, caches and temporary files live in the scratch directory.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from envgen.doctor.probes import Probe
from envgen.doctor.recorder import sentinel
from envgen.noproxy.rules import Kind, Rule
from envgen.noproxy.urls import Url, parse_url
from envgen.schema.policy import Policy
from envgen.tools.base import EnvVar

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: A name no rule of a typical policy covers: the public npm registry (it resolves to the
#: loopback inside the sandbox like every other host).
OUTSIDE_URL = "https://registry.npmjs.org/"
MAX_DERIVED_URLS = 10
RUN_SECONDS = 20


@dataclass
class Run:
    """One tool fetching one URL."""

    id: int
    probe: str
    url: str
    argv: list[str]
    env: dict[str, str]
    cwd: str


@dataclass
class Spec:
    """Everything the sandbox needs (as JSON) and what the report needs to read its answer."""

    work: str
    hosts: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    listeners: list[dict[str, object]] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "work": self.work,
            "hosts": self.hosts,
            "addresses": self.addresses,
            "listeners": self.listeners,
            "runs": [
                {"id": r.id, "argv": r.argv, "env": r.env, "cwd": r.cwd, "timeout": RUN_SECONDS}
                for r in self.runs
            ],
        }


def with_sentinels(value: str) -> str:
    """`value` with each ${NAME} reference replaced by its sentinel."""
    return _REF.sub(lambda m: sentinel(m.group(1)), value)


def references_in(texts: list[str]) -> tuple[str, ...]:
    """The ${NAME} references in `texts` (the rendered files: .npmrc's token, for one)."""
    return tuple(sorted({m for text in texts for m in _REF.findall(text)}))


def derived_urls(policy: Policy, rules: list[Rule]) -> list[str]:
    """The URLs worth asking about when none are given: the registries, one URL inside each
    NO_PROXY rule, and one outside them all."""
    urls: list[str] = []
    registries = policy.registries
    if registries.npm is not None:
        urls.append(str(registries.npm.url))
    if registries.pypi is not None and registries.pypi.index is not None:
        urls.append(str(registries.pypi.index))
    if registries.go is not None:
        urls += [str(p) for p in registries.go.proxy if str(p).startswith(("http://", "https://"))]
    for rule in rules:
        port = f":{rule.port}" if rule.port is not None else ""
        if rule.kind is Kind.DOMAIN:
            urls.append(f"https://{rule.host}{port}/")
        elif rule.kind is Kind.IPV4:
            urls.append(f"http://{rule.host}{port}/")
        elif rule.kind is Kind.IPV6:
            urls.append(f"http://[{rule.host}]{port}/")
        else:
            net = ipaddress.ip_network(rule.host)
            first = type(net.network_address)(
                min(int(net.network_address) + 1, int(net.broadcast_address))
            )
            urls.append(f"http://[{first}]/" if first.version == 6 else f"http://{first}/")
    urls = list(dict.fromkeys(urls))[:MAX_DERIVED_URLS]
    return [*urls, OUTSIDE_URL] if OUTSIDE_URL not in urls else urls


def host_of(url: Url) -> tuple[str | None, str | None]:
    """(a name for the hosts file, an address for the loopback) of `url`: a name as it is
    looked up (punycode, no trailing dot), an address compressed, a loopback one neither."""
    address = url.address
    if address is None:
        return url.name, None
    if address.is_loopback:
        return None, None
    return None, address.compressed


def build(
    policy: Policy,
    urls: list[str],
    probes: list[tuple[Probe, str]],
    *,
    variables: list[EnvVar],
    work: str,
    base_env: dict[str, str],
    references: tuple[str, ...] = (),
) -> Spec:
    """The sandbox's plan: every probe (with its executable's path) against every URL.
    `references` are the ${NAME}s the rendered files hold besides those of `variables`."""
    spec = Spec(work=work)
    env = dict(base_env)
    for var in variables:
        env[var.name] = with_sentinels(var.value)
    for ref in sorted({*references, *(m for var in variables for m in _REF.findall(var.value))}):
        env[ref] = sentinel(ref)  # never the caller's value, even if base_env carried one
    hosts: dict[str, None] = {}
    addresses: dict[str, None] = {}
    ports: dict[int, str] = {}
    proxy = policy.proxy
    for text in (proxy.http, proxy.effective_https) if proxy is not None else ():
        if text:
            parsed = parse_url(with_sentinels(str(text)))
            name, address = host_of(parsed)
            hosts.update({name: None} if name else {})
            addresses.update({address: None} if address else {})
            ports[parsed.effective_port] = "proxy"
    for url_text in urls:
        parsed = parse_url(url_text)
        name, address = host_of(parsed)
        hosts.update({name: None} if name else {})
        addresses.update({address: None} if address else {})
        ports.setdefault(parsed.effective_port, "origin")
        for probe, path in probes:
            run_id = len(spec.runs)
            cwd = f"{work}/runs/{run_id}"
            run_env = {**env, **probe.env}
            if probe.name == "go":
                run_env["GOPROXY"] = url_text
            spec.runs.append(
                Run(run_id, probe.name, url_text, probe.command(path, url_text, cwd), run_env, cwd)
            )
    spec.hosts = list(hosts)
    spec.addresses = list(addresses)
    spec.listeners = [{"listener": kind, "port": port} for port, kind in sorted(ports.items())]
    return spec
