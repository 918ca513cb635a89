"""`envgen explain`: what every tool will really do with the settings envgen gives it.

Pure functions from a policy (or a bare NO_PROXY value) to a JSON-ready report. Each tool is
modelled by `envgen.clients` with exactly the settings envgen renders for it: the environment
of `envgen env` for environment readers, `.npmrc` keys for npm, system properties for Java.

Losses are not assumed from a table: every rule is turned into probe URLs (its apex, a
subdomain, a look-alike, the neighbours of a network, other ports) and each tool's model is
asked what it does; wherever that differs from what the rule means (`netrules.covers`), the
report says so, with the tool's reason. The tests check the models against the real tools.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from envgen import clients, dialects, environment, narrowing, netrules
from envgen.netrules import Kind, Rule, Url
from envgen.schema.policy import Policy
from envgen.secrets import ENV_REF_ANYWHERE

#: Stand-in proxy when `--no-proxy` is explained without a policy proxy.
PLACEHOLDER_PROXY = "http://proxy.invalid:3128"

#: Tools that share another's row: same code, same settings.
SAME_AS = {"git": "curl", "docker": "go", "pip": "python-requests"}

_READS = {
    "curl": "http_proxy (lowercase only), https_proxy/HTTPS_PROXY, all_proxy; no_proxy/NO_PROXY",
    "git": "as curl (libcurl); an http.proxy git config would win",
    "wget": "http_proxy, https_proxy, no_proxy (lowercase only)",
    "go": "HTTP_PROXY/http_proxy, HTTPS_PROXY/https_proxy, NO_PROXY/no_proxy (uppercase wins)",
    "docker": "daemon.json `proxies`, else the daemon's environment (Go rules)",
    "python-urllib": "*_proxy in either case (lowercase wins)",
    "python-requests": "as urllib, plus its own no_proxy/NO_PROXY matching",
    "pip": "as requests (pip.conf has no proxy=, so NO_PROXY is honoured)",
    "npm": ".npmrc proxy, https-proxy, noproxy; else the environment",
    "node-proxy-from-env": "npm_config_<scheme>_proxy, <scheme>_proxy, all_proxy; no_proxy",
    "node-undici": "http_proxy/HTTP_PROXY, https_proxy/HTTPS_PROXY (lowercase wins); no_proxy",
    "ruby": "http_proxy then HTTP_PROXY, https_proxy/HTTPS_PROXY; no_proxy/NO_PROXY",
    "java": "system properties only: -Dhttp(s).proxyHost/Port, -Dhttp.nonProxyHosts",
}


@dataclass(frozen=True)
class View:
    """What envgen gives one tool: environment, private config, and where each came from."""

    tool: str
    env: Mapping[str, str]
    config: Mapping[str, str]
    no_proxy_setting: str | None
    no_proxy_value: str | None
    source: str
    settings: dict[str, str] = field(default_factory=dict)
    credentials: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
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


def _java_config(http: str | None, https: str | None, non_proxy: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for prefix, url in (("http", http), ("https", https)):
        if url is None:
            continue
        parts = urlsplit(url)
        out[f"{prefix}.proxyHost"] = parts.hostname or ""
        out[f"{prefix}.proxyPort"] = str(parts.port or (443 if parts.scheme == "https" else 80))
    if non_proxy is not None:
        out["http.nonProxyHosts"] = non_proxy
    return out


def java_options(config: Mapping[str, str]) -> str:
    """The -D options for `config`, as a user would put them in JAVA_TOOL_OPTIONS."""
    return " ".join(f"-D{k}={v}" for k, v in config.items())


def _proxies(policy: Policy | None) -> tuple[str | None, str | None]:
    if policy is None or policy.proxy is None:
        return None, None
    return policy.proxy.http, policy.proxy.effective_https


@dataclass(frozen=True)
class _Given:
    """What envgen hands out: the environment, npm's and Java's private settings."""

    env: dict[str, str]
    npm: dict[str, str]
    java: dict[str, str]
    source: str
    docker: dict[str, str] = field(default_factory=dict)


def _given_no_proxy(policy: Policy | None, no_proxy: str) -> _Given:
    http, https = _proxies(policy)
    if http is None and https is None:
        http = https = PLACEHOLDER_PROXY
    env: dict[str, str] = {}
    for name, value in (("http_proxy", http), ("https_proxy", https)):
        if value is not None:
            env[name] = env[name.upper()] = value
    env["no_proxy"] = env["NO_PROXY"] = no_proxy
    return _Given(env, {}, _java_config(http, https, None), "NO_PROXY and no_proxy = --no-proxy")


def _given_policy(policy: Policy) -> _Given:
    http, https = _proxies(policy)
    env = {
        k: v
        for k, v in environment.as_mapping(environment.environment(policy)).items()
        if not k.startswith(("npm_config_", "GIT_CONFIG"))
    }
    npm: dict[str, str] = {}
    java_np = None
    if http or https:
        rules = environment.rules(policy)
        npm = {k: v for k, v in (("proxy", http), ("https-proxy", https)) if v is not None}
        npm["noproxy"] = dialects.translate(rules, dialects.DIALECTS["npm"]).value
        java_np = dialects.translate(rules, dialects.DIALECTS["java"]).value
    docker: dict[str, str] = {}
    if (http or https) and "docker" in policy.targets:
        # dockerd is Go: daemon.json `proxies` behave as these variables do for Go.
        go_np = dialects.translate(environment.rules(policy), dialects.DIALECTS["go"]).value
        docker = {k: v for k, v in (("HTTP_PROXY", http), ("HTTPS_PROXY", https)) if v}
        docker["NO_PROXY"] = go_np
    java = _java_config(http, https, java_np)
    return _Given(env, npm, java, "the environment `envgen env` prints", docker)


def views(policy: Policy | None, no_proxy: str | None = None) -> dict[str, View]:
    """The settings every tool gets, from the policy or with `no_proxy` set verbatim."""
    if no_proxy is not None or policy is None:
        given = _given_no_proxy(policy, no_proxy or "")
    else:
        given = _given_policy(policy)
    out: dict[str, View] = {}
    for tool in clients.TOOLS:
        if tool == "npm" and given.npm:
            where = (
                ".npmrc (npm target)"
                if policy and "npm" in policy.targets
                else ("npm_config_* from `envgen env`")
            )
            out[tool] = View(tool, given.env, given.npm, "noproxy", given.npm["noproxy"], where)
        elif tool == "docker" and given.docker:
            out[tool] = View(
                tool,
                given.docker,
                {},
                "no-proxy",
                given.docker.get("NO_PROXY"),
                "daemon.json `proxies` (docker target), which win over the daemon's environment",
            )
        elif tool == "java":
            out[tool] = View(
                tool,
                {},
                given.java,
                "http.nonProxyHosts",
                given.java.get("http.nonProxyHosts"),
                "-D system properties (JAVA_TOOL_OPTIONS); no target sets them",
            )
        else:
            client = clients.CLIENTS.get(tool)
            setting = client.no_proxy_vars[0] if client else "no_proxy"
            out[tool] = View(tool, given.env, {}, setting, given.env.get(setting), given.source)
    if policy is not None and no_proxy is None:
        _proxy_credentials(policy, out)
        _npm_settings(policy, out["npm"])
        _pip_settings(policy, out["pip"])
        _other_settings(policy, out)
    return out


def _proxy_credentials(policy: Policy, out: dict[str, View]) -> None:
    refs = sorted(set(ENV_REF_ANYWHERE.findall(" ".join(filter(None, _proxies(policy))))))
    for view in out.values():
        for ref in refs:
            via = f"the proxy URL ({view.source})"
            if view.tool == "java":
                via = "not by properties: Java needs an Authenticator for proxy credentials"
            view.credentials.append({"reference": "${" + ref + "}", "for": "proxy", "via": via})


def _npm_settings(policy: Policy, view: View) -> None:
    net = policy.network
    view.settings.update(
        {
            "fetch-retries": str(net.retries),
            "fetch-timeout": f"{net.timeout} ms",
            "fetch-retry-mintimeout": f"{net.backoff.min} ms",
            "fetch-retry-maxtimeout": f"{net.backoff.max} ms",
        }
    )
    if net.ca_file:
        view.settings["cafile"] = net.ca_file
    npm = policy.registries.npm
    if npm is None:
        return
    if npm.url:
        view.settings["registry"] = npm.url
    for scope, reg in sorted(npm.scopes.items()):
        view.settings[f"{scope}:registry"] = reg.url
    via = ".npmrc _authToken (npm expands it)"
    if "npm" not in policy.targets:
        via = "nothing yet: add the npm target so that .npmrc carries it"
    for url, token in [(npm.url, npm.token), *((r.url, r.token) for r in npm.scopes.values())]:
        if url and token:
            view.credentials.append({"reference": token, "for": url, "via": via})


def _pip_settings(policy: Policy, view: View) -> None:
    net = policy.network
    view.settings.update(
        {"timeout": f"{environment.seconds(net.timeout)} s", "retries": str(net.retries)}
    )
    if net.ca_file:
        view.settings["cert"] = net.ca_file
    pypi = policy.registries.pypi
    if pypi is None:
        return
    if pypi.index:
        view.settings["index-url"] = pypi.index
    if pypi.extra:
        view.settings["extra-index-url"] = " ".join(e.url for e in pypi.extra)
    via = "PIP_EXTRA_INDEX_URL, composed at job time (envgen env / CI targets)"
    for extra in pypi.extra:
        if extra.token:
            view.credentials.append({"reference": extra.token, "for": extra.url, "via": via})


def _other_settings(policy: Policy, out: dict[str, View]) -> None:
    for var in environment.go_vars(policy):
        out["go"].settings[var.name] = var.value
    if policy.registries.go is not None:
        via = "a ~/.netrc entry written at job time (never in go.env)"
        for auth in policy.registries.go.auth:
            out["go"].credentials.append({"reference": auth.token, "for": auth.host, "via": via})
    net = policy.network
    if net.http_version == "1.1":
        out["git"].settings["http.version"] = "HTTP/1.1 (GIT_CONFIG_* from envgen env)"
    if net.ca_file:
        for tool in ("node-proxy-from-env", "node-undici"):
            out[tool].settings["NODE_EXTRA_CA_CERTS"] = net.ca_file
    docker = policy.registries.docker
    if docker is not None and docker.mirrors:
        out["docker"].settings["registry-mirrors"] = " ".join(docker.mirrors)


# --- probing -------------------------------------------------------------------------------

_OTHER_NAMES = ("https://registry.npmjs.org/", "http://198.51.100.1/", "http://[2001:db8:ffff::1]/")


def _port_variants(rule: Rule) -> list[str]:
    if rule.port is None:
        return [""]
    other = rule.port + 1 if rule.port < 65535 else rule.port - 1
    return [f":{rule.port}", f":{other}"]


def probes(rules: list[Rule]) -> list[str]:
    """URLs that tell whether a tool honours each rule: inside, at its edges, and just outside."""
    urls: list[str] = []
    for rule in netrules.effective_rules(rules):
        if rule.kind is Kind.DOMAIN:
            for port in _port_variants(rule):
                urls += [
                    f"http://{rule.host}{port}/",
                    f"https://x.{rule.host}{port}/",
                    f"https://x{rule.host}{port}/",
                ]
            if rule.port is None:
                urls.append(f"https://{rule.host}:8443/")
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
    seen: list[str] = []
    for url in urls:
        if url not in seen:
            seen.append(url)
    return seen


@lru_cache(maxsize=8)
def _probed(rules: tuple[Rule, ...]) -> tuple[tuple[str, Url, Rule | None], ...]:
    """Each probe URL, parsed, with the rule that covers it (shared by every tool's audit)."""
    out = []
    for text in probes(list(rules)):
        url = netrules.parse_url(text)
        out.append((text, url, netrules.covers(list(rules), url)))
    return tuple(out)


def audit(rules: list[Rule], view: View, *, narrowed: bool = True) -> list[Finding]:
    """Every probe where `view.tool` does not do what `rules` mean.

    With `narrowed` (the default), each model reads only the NO_PROXY entries that could
    match the probe's host (envgen.narrowing): the same answers, linear instead of quadratic.
    """
    dialect = dialects.DIALECTS[clients.TOOL_DIALECT[view.tool]]
    findings: list[Finding] = []
    for text, url, meant in _probed(tuple(rules)):
        env, config = view.env, view.config
        if narrowed:
            env, config = narrowing.narrow(env, url), narrowing.narrow(config, url)
        got = clients.decide(view.tool, env, config, url)
        if got.proxy is None and got.rule is None and meant is None:
            continue  # no proxy configured at all: nothing to lose
        if (meant is not None) == got.direct:
            continue
        if meant is not None:
            reason = (
                dialect.reason(meant)
                or f"{view.tool} does not match {url.host} with "
                f"the value it is given, so it uses the proxy"
            )
            findings.append(Finding(text, "direct", "proxy", str(meant), None, reason))
        else:
            entry = got.rule or ""
            reason = (
                f"{view.tool} reads entry {entry!r} as covering {url.host}, which no rule "
                "covers, so it connects directly"
            )
            findings.append(Finding(text, "proxy", "direct", None, entry, reason))
    return findings


# --- reports -------------------------------------------------------------------------------


def _credential_for(
    policy: Policy | None, tool: str, url: Url, via_proxy: bool, proxy: str | None
) -> tuple[str | None, str]:
    if policy is not None:
        regs = policy.registries
        if tool == "npm" and regs.npm is not None:
            pairs = [
                (regs.npm.url, regs.npm.token),
                *((r.url, r.token) for r in regs.npm.scopes.values()),
            ]
            for reg, token in pairs:
                if reg and token and _under(url, reg):
                    return token, f"npm sends {token} to {reg} (.npmrc _authToken)"
        if tool == "pip" and regs.pypi is not None:
            for extra in regs.pypi.extra:
                if extra.token and _under(url, extra.url):
                    return (
                        extra.token,
                        f"pip sends {extra.token} to {extra.url} (PIP_EXTRA_INDEX_URL)",
                    )
        if tool in ("go", "git") and regs.go is not None:
            for auth in regs.go.auth:
                if url.hostname == auth.host.lower():
                    return (
                        auth.token,
                        f"{tool} sends {auth.token} to {auth.host} (~/.netrc at job time)",
                    )
    if via_proxy and proxy is not None:
        refs = ENV_REF_ANYWHERE.findall(proxy)
        if refs:
            ref = "${" + refs[-1] + "}"
            return ref, f"the proxy URL carries {ref}"
    return None, ""


def _under(url: Url, base: str) -> bool:
    parts = urlsplit(base)
    base_url = netrules.parse_url(base)
    if (base_url.hostname, base_url.effective_port) != (url.hostname, url.effective_port):
        return False
    path = urlsplit(url.text).path or "/"
    prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
    return path.startswith(prefix) or path == parts.path


def explain_url(policy: Policy | None, text: str, no_proxy: str | None = None) -> dict[str, Any]:
    """The POLICY.md `explain URL --format json` object."""
    url = netrules.parse_url(text)
    tool_views = views(policy, no_proxy)
    tools: dict[str, Any] = {}
    for tool in clients.TOOLS:
        view = tool_views[tool]
        got = clients.decide(tool, view.env, view.config, url)
        credential, why = _credential_for(policy, tool, url, not got.direct, got.proxy)
        reason = got.reason + (f"; {why}" if why else "")
        tools[tool] = {
            "decision": "direct" if got.direct else "proxy",
            "proxy": got.proxy,
            "rule": got.rule,
            "credential": credential,
            "reason": reason + ".",
        }
    meant = netrules.covers(environment.rules(policy), url) if policy and no_proxy is None else None
    return {
        "url": netrules.redact_url(text),
        "policy_rule": str(meant) if meant else None,
        "tools": tools,
    }


def explain_policy(policy: Policy | None, no_proxy: str | None = None) -> dict[str, Any]:
    """Per tool: effective proxy and NO_PROXY, settings, credentials and every loss."""
    tool_views = views(policy, no_proxy)
    rules = environment.rules(policy) if policy is not None and no_proxy is None else []
    http, https = _proxies(policy)
    tools: dict[str, Any] = {}
    for tool in clients.TOOLS:
        view = tool_views[tool]
        findings = audit(rules, view) if rules or (policy and policy.proxy) else []
        if tool in ("python-requests", "pip"):
            findings += _legacy_requests(rules, view, findings)
        entry: dict[str, Any] = {
            "same_as": SAME_AS.get(tool),
            "reads": _READS[tool],
            "source": view.source,
            "proxy": {
                "http": _proxy_for(tool, view, "http"),
                "https": _proxy_for(tool, view, "https"),
            },
            "no_proxy": {"setting": view.no_proxy_setting, "value": view.no_proxy_value},
            "settings": dict(sorted(view.settings.items())),
            "credentials": view.credentials,
            "losses": [f.as_dict() for f in findings],
        }
        if tool == "java" and view.config:
            entry["settings"]["JAVA_TOOL_OPTIONS"] = java_options(view.config)
        tools[tool] = entry
    return {
        "rules": [str(r) for r in netrules.effective_rules(rules)]
        if rules or http or https
        else [],
        "proxy": {"http": http, "https": https},
        "no_proxy": dialects.portable(rules).value
        if (http or https) and no_proxy is None
        else no_proxy,
        "tools": tools,
    }


def _legacy_requests(rules: list[Rule], view: View, known: list[Finding]) -> list[Finding]:
    """What requests < 2.34 (text-suffix matching; pip 23.2 vendors 2.31) does differently."""
    if not rules and not view.env:
        return []
    legacy = View(clients.LEGACY_REQUESTS, view.env, view.config, None, None, view.source)
    seen = {f.url for f in known}
    return [
        Finding(
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


def _proxy_for(tool: str, view: View, scheme: str) -> str | None:
    probe = netrules.parse_url(f"{scheme}://envgen-probe.invalid/")
    got = clients.decide(tool, view.env, view.config, probe)
    return got.proxy


def rule_warnings(policy: Policy) -> list[tuple[int | None, str]]:
    """One warning per policy rule that some environment reader cannot honour.

    (index in proxy.no_proxy or None for an implicit rule, message). The findings are those of
    `envgen explain`'s audit of the whole value (near-linear, see envgen.narrowing), so the two
    always agree. npm is left out when the npm target renders .npmrc, whose generator warns
    for its own dialect; Java is left out as no target hands it the rules.
    """
    proxy = policy.proxy
    if proxy is None or not (proxy.http or proxy.https):
        return []
    skip = {"java", *(("npm",) if "npm" in policy.targets else ())}
    rules = environment.rules(policy)
    lost: dict[str, list[str]] = {}
    for tool, view in views(policy).items():
        if tool in skip or tool in SAME_AS:
            continue
        for finding in audit(rules, view):
            if finding.rule is not None and tool not in lost.setdefault(finding.rule, []):
                lost[finding.rule].append(tool)
    where: dict[str, int] = {}
    for index, rule in enumerate(rules[: len(proxy.no_proxy)]):
        where.setdefault(str(rule), index)
    found = [
        (
            where.get(rule),
            f"NO_PROXY rule {rule} is not honoured by {', '.join(tools)} (they use "
            "the proxy for it); `envgen explain` shows why, per tool",
        )
        for rule, tools in lost.items()
        if tools
    ]
    # In policy order, the implicit loopback rules last.
    return sorted(found, key=lambda item: (item[0] is None, item[0] or 0, item[1]))
