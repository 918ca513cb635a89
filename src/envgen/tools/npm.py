"""npm: what envgen gives it through `.npmrc` and `npm_config_*` (npm docs "npmrc", "config").

Registries get a trailing slash, as npm adds one before appending package names, so that the
auth key's path matches. Tokens are written only as ``//host/path/:_authToken=${NAME}``: npm
substitutes the variable when it reads the file, so the secret never lands on disk. The
environment carries the settings an `npm_config_*` variable can (not scopes or tokens).
npm's `fetch-timeout` is a whole-request timeout, not an idle one: given network.timeout as it
stands, every tarball that takes longer to download would fail. It gets a whole-transfer budget
instead: ten times network.timeout, and never less than npm's own default of five minutes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from envgen.findings import Finding, note, warning
from envgen.schema.policy import Policy
from envgen.sourcemap import Loc
from envgen.tools import node, proxyenv
from envgen.tools.base import (
    Credential,
    Kind,
    Pointer,
    Setting,
    Tool,
    ToolCache,
    ToolSettings,
    Topic,
    env_of,
    number,
)

#: .npmrc keys envgen writes, named once (envgen.adopt reads them back).
AUTH_TOKEN = "_authToken"  # noqa: S105 - the key name, not a secret
RETRY_KEYS = {
    "retries": "fetch-retries",
    "factor": "fetch-retry-factor",
    "min": "fetch-retry-mintimeout",
    "max": "fetch-retry-maxtimeout",
}

CACHE = ToolCache(
    "npm", (("npm_config_cache", "npm"),), ("package-lock.json", "npm-shrinkwrap.json")
)


def nerf_dart(url: str) -> str:
    """npm's registry key for auth settings: ``//host[:port]/path/`` (npm's toNerfDart)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").encode("idna").decode("ascii").lower()
    default_port = {"https": 443, "http": 80}.get(parts.scheme)
    if parts.port is not None and parts.port != default_port:
        host = f"{host}:{parts.port}"
    path = parts.path[: parts.path.rfind("/") + 1] or "/"
    return f"//{host}{path}"


def with_slash(url: str) -> str:
    """The registry URL as npm requests below it: ending in '/'."""
    parts = urlsplit(url)
    if parts.path.endswith("/") or parts.query:
        return url
    return parts._replace(path=parts.path + "/").geturl()


def _env(key: str) -> str:
    return "npm_config_" + key.replace("-", "_")


def settings(policy: Policy) -> ToolSettings:
    """npm's settings in .npmrc order: registries, proxies, network."""
    out: list[Setting] = []
    creds: list[Credential] = []
    findings: list[Finding] = []
    _registries(policy, out, creds, findings)
    _proxies(policy, out)
    _network(policy, out, findings)
    return ToolSettings(
        "npm",
        tuple(out),
        env_of(out),
        proxyenv.translate(policy, "npm"),
        tuple(creds),
        tuple(findings),
    )


def _registries(
    policy: Policy, out: list[Setting], creds: list[Credential], findings: list[Finding]
) -> None:
    npm = policy.registries.npm
    base: Loc = ("registries", "npm")
    if npm is None:
        findings.append(note("no registries.npm: npm keeps its default registry"))
        return
    via = f".npmrc {AUTH_TOKEN} (npm expands it)"
    if "npm" not in policy.targets:
        via = "nothing yet: add the npm target so that .npmrc carries it"
    entries = [("registry", npm.url, npm.token, base)]
    entries += [
        (f"{scope}:registry", reg.url, reg.token, (*base, "scopes", scope))
        for scope, reg in sorted(npm.scopes.items())
    ]
    for key, url, token, loc in entries:
        if url is None:
            continue
        env = _env(key) if key == "registry" else None
        out.append(Setting(key, with_slash(url), (*loc, "url"), env=env))
        if token is not None:
            auth = f"{nerf_dart(with_slash(url))}:{AUTH_TOKEN}"
            out.append(Setting(auth, token, (*loc, "token"), Kind.CREDENTIAL))
            creds.append(Credential(token, url, via, f".npmrc {AUTH_TOKEN}", (*loc, "token")))


def _proxies(policy: Policy, out: list[Setting]) -> None:
    proxy = policy.proxy
    if proxy is None or not proxyenv.has_proxy(policy):
        return
    for scheme, url, where in proxyenv.proxy_urls(policy):
        out.append(Setting("proxy" if scheme == "http" else "https-proxy", url, where, Kind.PROXY))
    translation = proxyenv.translate(policy, "npm")
    out.append(
        Setting(
            "noproxy", translation.value, ("proxy", "no_proxy"), Kind.NO_PROXY, env=_env("noproxy")
        )
    )
    # The rules npm's dialect loses are warned about once per rule, with every other tool that
    # loses them (envgen.explain.warnings.rule_warnings, code EG201), not here.


#: npm's own fetch-timeout default (npm docs "config": fetch-timeout, 5 minutes).
NPM_DEFAULT_FETCH_TIMEOUT = 300_000


def fetch_budget(timeout_ms: int) -> int:
    """fetch-timeout for an idle timeout: the whole request may take ten idle timeouts."""
    return max(10 * timeout_ms, NPM_DEFAULT_FETCH_TIMEOUT)


def _network(policy: Policy, out: list[Setting], findings: list[Finding]) -> None:
    net = policy.network
    loc: Loc = ("network",)
    for key, value, field, unit in (
        (RETRY_KEYS["retries"], str(net.retries), "retries", ""),
        (RETRY_KEYS["factor"], number(net.backoff.factor), "backoff.factor", ""),
        (RETRY_KEYS["min"], str(net.backoff.min), "backoff.min", "ms"),
        (RETRY_KEYS["max"], str(net.backoff.max), "backoff.max", "ms"),
    ):
        where = (*loc, *field.split("."))
        out.append(Setting(key, value, where, env=_env(key), unit=unit, topic=Topic.RETRY))
    out.append(
        Setting(
            "fetch-timeout",
            str(fetch_budget(net.timeout)),
            (*loc, "timeout"),
            env=_env("fetch-timeout"),
            unit="ms",
            via="a whole-request budget: 10 x network.timeout, at least 5 min",
            topic=Topic.TIMEOUT,
        )
    )
    if net.ca_file is not None:
        out.append(Setting("cafile", net.ca_file, (*loc, "ca_file"), topic=Topic.CA))
        findings.append(
            warning(
                "npm's cafile replaces Node's built-in CA list, so the file must also hold the "
                f"public roots of every registry npm reaches ({node.EXTRA_CA_CERTS} adds "
                "instead)",
                (*loc, "ca_file"),
                code="EG204",
                subject=net.ca_file,
            )
        )


#: npm reads NPM_CONFIG_USERCONFIG as its user file (@npmcli/config); pnpm >= 10.34.5 expands
#: ${NAME} only there or in ~/.npmrc. The project .npmrc is read as well.
POINTER = Pointer(
    "npm",
    "NPM_CONFIG_USERCONFIG",
    hides="your own ~/.npmrc; `npm login` would write its token into the generated file",
)

TOOL = Tool("npm", settings, shown_in=("npm",), credentials_for=("npm",), pointers=(POINTER,))
