"""Target `npm`: a project or user `.npmrc`.

Format: npm/ini then npm's ``${NAME}`` substitution (TARGETS.md section 1; npm docs "npmrc"
and "config"). Reads: registries.npm (default and scoped registries, tokens), proxy
(proxy, https-proxy, noproxy in npm's dialect), network (fetch-retries, fetch-retry-*,
fetch-timeout, cafile).

Tokens are written only as ``//host/path/:_authToken=${NAME}``: npm substitutes the variable
when it reads the file, so the secret never lands on disk. Registry URLs get a trailing slash,
as npm itself adds one before appending package names, so that the auth key's path matches.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from envgen import dialects, netrules
from envgen._jinja import render_template
from envgen.encoders import npmrc_key, npmrc_value
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.sourcemap import Loc

NAME = "npm"
DEFAULT_PATH = ".npmrc"
SUMMARY = "npm config: registries, scoped registries, ${NAME} tokens, proxies, retries"
MODE = 0o600  # TARGETS.md 0.3: files that can carry credentials, even by reference


class _Put(Protocol):
    def __call__(self, key: str, value: str, loc: Loc, *, allow_env: bool = ...) -> None: ...


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


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render .npmrc lines in a fixed order: registries, proxies, network."""
    entries: list[tuple[str, str]] = []

    def put(key: str, value: str, loc: Loc, *, allow_env: bool = False) -> None:
        encoded_key = ctx.encode(npmrc_key, key, loc)
        encoded = ctx.encode(lambda v: npmrc_value(v, allow_env=allow_env), value, loc)
        entries.append((encoded_key, encoded))

    _registries(policy, ctx, put)
    _proxies(policy, ctx, put)
    _network(policy, ctx, put)
    return render_template("npmrc.j2", marker=ctx.marker(";"), entries=entries)


def _registries(policy: Policy, ctx: RenderContext, put: _Put) -> None:
    npm = policy.registries.npm
    base: Loc = ("registries", "npm")
    if npm is None:
        ctx.note("no registries.npm: npm keeps its default registry")
        return
    if npm.url is not None:
        put("registry", with_slash(npm.url), (*base, "url"))
        if npm.token is not None:
            put(
                f"{nerf_dart(with_slash(npm.url))}:_authToken",
                npm.token,
                (*base, "token"),
                allow_env=True,
            )
    for scope, reg in sorted(npm.scopes.items()):
        loc: Loc = (*base, "scopes", scope)
        put(f"{scope}:registry", with_slash(reg.url), (*loc, "url"))
        if reg.token is not None:
            put(
                f"{nerf_dart(with_slash(reg.url))}:_authToken",
                reg.token,
                (*loc, "token"),
                allow_env=True,
            )


def _proxies(policy: Policy, ctx: RenderContext, put: _Put) -> None:
    proxy = policy.proxy
    if proxy is None or (proxy.http is None and proxy.https is None):
        return
    if proxy.http is not None:
        put("proxy", proxy.http, ("proxy", "http"), allow_env=True)
    https = proxy.effective_https
    if https is not None:
        put("https-proxy", https, ("proxy", "https" if proxy.https else "http"), allow_env=True)
    rules = [netrules.parse_rule(r) for r in proxy.no_proxy]
    translation = dialects.translate(rules, dialects.DIALECTS["npm"])
    put("noproxy", translation.value, ("proxy", "no_proxy"))
    for loss in translation.losses:
        index = proxy.no_proxy.index(str(loss.rule)) if str(loss.rule) in proxy.no_proxy else None
        loc: Loc = ("proxy", "no_proxy", index) if index is not None else ("proxy", "no_proxy")
        ctx.warn(f"NO_PROXY rule {loss.rule} cannot be expressed: {loss.reason}", loc)


def _network(policy: Policy, ctx: RenderContext, put: _Put) -> None:
    net = policy.network
    loc: Loc = ("network",)
    put("fetch-retries", str(net.retries), (*loc, "retries"))
    put("fetch-retry-factor", _number(net.backoff.factor), (*loc, "backoff", "factor"))
    put("fetch-retry-mintimeout", str(net.backoff.min), (*loc, "backoff", "min"))
    put("fetch-retry-maxtimeout", str(net.backoff.max), (*loc, "backoff", "max"))
    put("fetch-timeout", str(net.timeout), (*loc, "timeout"))
    if net.ca_file is not None:
        put("cafile", net.ca_file, (*loc, "ca_file"))
        ctx.warn(
            "npm's cafile replaces Node's built-in CA list, so the file must also hold the "
            "public roots of every registry npm reaches (NODE_EXTRA_CA_CERTS adds instead)",
            (*loc, "ca_file"),
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
