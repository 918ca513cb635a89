"""The environment a policy gives every tool: proxies, GO*, PIP_*, npm_config_* and friends.

This is the one place that decides which variables `envgen env` prints and the CI targets
export, and what `envgen explain` models the environment readers with. Values may hold
``${NAME}`` references (a proxy password, an index token): the shell or CI expands them at
job time, so no secret value is ever written. Order is fixed, so output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from envgen import dialects, netrules
from envgen.schema.policy import Policy
from envgen.secrets import ENV_REF_ANYWHERE
from envgen.sourcemap import Loc


@dataclass(frozen=True)
class EnvVar:
    """One variable: its value (perhaps with ${NAME} references) and why it is set."""

    name: str
    value: str
    why: str

    @property
    def refs(self) -> tuple[str, ...]:
        """The environment variables the value refers to, in order."""
        return tuple(ENV_REF_ANYWHERE.findall(self.value))


def seconds(ms: int) -> str:
    """A duration in seconds, exactly and briefly (pip and git take seconds)."""
    whole, rest = divmod(ms, 1000)
    return str(whole) if rest == 0 else f"{whole}.{rest:03d}".rstrip("0")


def rules(policy: Policy) -> list[netrules.Rule]:
    """The policy's canonical NO_PROXY rules (without the implicit loopback ones)."""
    if policy.proxy is None:
        return []
    return [netrules.parse_rule(r) for r in policy.proxy.no_proxy]


def proxy_urls(policy: Policy) -> list[tuple[str, str, Loc]]:
    """(scheme, proxy URL, policy location) for http and https; https falls back to http."""
    proxy = policy.proxy
    if proxy is None:
        return []
    out: list[tuple[str, str, Loc]] = []
    if proxy.http is not None:
        out.append(("http", proxy.http, ("proxy", "http")))
    https = proxy.effective_https
    if https is not None:
        out.append(("https", https, ("proxy", "https" if proxy.https else "http")))
    return out


def proxy_vars(policy: Policy) -> list[EnvVar]:
    """http(s)_proxy and no_proxy in both letter cases, NO_PROXY in the portable form."""
    urls = proxy_urls(policy)
    if not urls:
        return []
    out: list[EnvVar] = []
    for scheme, url, loc in urls:
        for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY"):
            out.append(EnvVar(name, url, ".".join(map(str, loc))))
    value = dialects.portable(rules(policy)).value
    for name in ("no_proxy", "NO_PROXY"):
        out.append(EnvVar(name, value, "proxy.no_proxy (portable form)"))
    return out


def go_vars(policy: Policy) -> list[EnvVar]:
    """GOPROXY, GOPRIVATE/GONOPROXY/GONOSUMDB, GOSUMDB, GOINSECURE and GOFLAGS."""
    go = policy.registries.go
    if go is None:
        return []
    out: list[EnvVar] = []
    if go.proxy:
        sep = "|" if go.fallback == "on-error" else ","
        out.append(EnvVar("GOPROXY", sep.join(go.proxy), f"registries.go.proxy ({go.fallback})"))
    if go.private:
        private = ",".join(go.private)
        for name in ("GOPRIVATE", "GONOPROXY", "GONOSUMDB"):
            out.append(EnvVar(name, private, "registries.go.private"))
    if go.sumdb is not None:
        out.append(EnvVar("GOSUMDB", go.sumdb, "registries.go.sumdb"))
    if go.insecure:
        out.append(EnvVar("GOINSECURE", ",".join(go.insecure), "registries.go.insecure"))
    out.append(EnvVar("GOFLAGS", "-mod=readonly", "builds never rewrite go.mod/go.sum"))
    return out


def index_url_with_credentials(url: str, username: str | None, token: str | None) -> str:
    """`url` with user info ``username:${TOKEN}@`` (username defaults to __token__)."""
    if token is None:
        return url
    parts = urlsplit(url)
    user = username if username is not None else "__token__"
    user = user if ENV_REF_ANYWHERE.fullmatch(user) else quote(user, safe="")
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=f"{user}:{token}@{host}").geturl()


def pip_vars(policy: Policy) -> list[EnvVar]:
    """PIP_INDEX_URL, PIP_EXTRA_INDEX_URL (credentials by reference), timeout, retries, cert."""
    out: list[EnvVar] = []
    pypi = policy.registries.pypi
    if pypi is not None:
        if pypi.index is not None:
            out.append(EnvVar("PIP_INDEX_URL", pypi.index, "registries.pypi.index"))
        extras = [index_url_with_credentials(e.url, e.username, e.token) for e in pypi.extra]
        if extras:
            out.append(EnvVar("PIP_EXTRA_INDEX_URL", " ".join(extras), "registries.pypi.extra"))
    net = policy.network
    out.append(EnvVar("PIP_TIMEOUT", seconds(net.timeout), "network.timeout"))
    out.append(EnvVar("PIP_RETRIES", str(net.retries), "network.retries"))
    if net.ca_file is not None:
        out.append(EnvVar("PIP_CERT", net.ca_file, "network.ca_file"))
    return out


def npm_vars(policy: Policy) -> list[EnvVar]:
    """npm_config_* for the settings an environment variable can carry (not scopes/tokens)."""
    out: list[EnvVar] = []
    npm = policy.registries.npm
    if npm is not None and npm.url is not None:
        out.append(EnvVar("npm_config_registry", npm.url, "registries.npm.url"))
    proxy = policy.proxy
    if proxy is not None and (proxy.http or proxy.https):
        value = dialects.translate(rules(policy), dialects.DIALECTS["npm"]).value
        out.append(EnvVar("npm_config_noproxy", value, "proxy.no_proxy (npm dialect)"))
    net = policy.network
    backoff = net.backoff
    factor = str(int(backoff.factor)) if float(backoff.factor).is_integer() else str(backoff.factor)
    out += [
        EnvVar("npm_config_fetch_retries", str(net.retries), "network.retries"),
        EnvVar("npm_config_fetch_retry_factor", factor, "network.backoff.factor"),
        EnvVar("npm_config_fetch_retry_mintimeout", str(backoff.min), "network.backoff.min"),
        EnvVar("npm_config_fetch_retry_maxtimeout", str(backoff.max), "network.backoff.max"),
        EnvVar("npm_config_fetch_timeout", str(net.timeout), "network.timeout"),
    ]
    return out


def misc_vars(policy: Policy) -> list[EnvVar]:
    """git's HTTP version and Node's extra CA bundle."""
    out: list[EnvVar] = []
    net = policy.network
    if net.http_version == "1.1":
        out += [
            EnvVar("GIT_CONFIG_COUNT", "1", "network.http_version"),
            EnvVar("GIT_CONFIG_KEY_0", "http.version", "network.http_version"),
            EnvVar("GIT_CONFIG_VALUE_0", "HTTP/1.1", "network.http_version"),
        ]
    if net.ca_file is not None:
        out.append(
            EnvVar("NODE_EXTRA_CA_CERTS", net.ca_file, "network.ca_file (adds to Node's CAs)")
        )
    return out


def environment(policy: Policy) -> list[EnvVar]:
    """Every variable, grouped by tool, in a fixed order."""
    return [
        *proxy_vars(policy),
        *go_vars(policy),
        *pip_vars(policy),
        *npm_vars(policy),
        *misc_vars(policy),
    ]


def as_mapping(variables: list[EnvVar]) -> dict[str, str]:
    """name -> value, for the models in `envgen.clients`."""
    return {v.name: v.value for v in variables}
