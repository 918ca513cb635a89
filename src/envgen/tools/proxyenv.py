"""The proxy variables every environment reader shares: http(s)_proxy and NO_PROXY, both cases.

curl, git, wget, Go, Python, Node and Ruby take their proxy from the environment, each reading
its own subset of the variables in its own order (`envgen.clients`), so envgen exports every
name in both letter cases with one value each, and NO_PROXY in the portable form that every
environment dialect reads (`envgen.noproxy.dialects.portable`). Proxy URLs may carry a
``${NAME}`` password: the shell or CI expands it at job time, so no secret is written.
"""

from __future__ import annotations

from envgen.noproxy import dialects
from envgen.noproxy.rules import Rule, parse_rule
from envgen.schema.policy import Policy
from envgen.secrets import ENV_REF_ANYWHERE
from envgen.sourcemap import Loc
from envgen.tools.base import Credential, EnvVar

#: The host name of GitLab's and GitHub's docker:dind service, as jobs reach it.
DIND_HOST = "docker"


def rules(policy: Policy) -> list[Rule]:
    """The policy's canonical NO_PROXY rules (without the implicit loopback ones), plus the
    docker:dind service's host when ci.docker_in_docker says jobs use one (a job's docker CLI
    must reach it directly, not through the proxy)."""
    if policy.proxy is None:
        return []
    out = [parse_rule(r) for r in policy.proxy.no_proxy]
    if policy.ci is not None and policy.ci.docker_in_docker:
        dind = parse_rule(DIND_HOST)
        if dind not in out:
            out.append(dind)
    return out


def has_proxy(policy: Policy) -> bool:
    """Does the policy set a proxy at all?"""
    proxy = policy.proxy
    return proxy is not None and (proxy.http is not None or proxy.https is not None)


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


def translate(policy: Policy, dialect: str) -> dialects.Translation:
    """The policy's rules in one family's dialect (npm, go, java, ...), with what it loses."""
    return dialects.translate(rules(policy), dialects.DIALECTS[dialect])


def variables(policy: Policy) -> list[EnvVar]:
    """http(s)_proxy and no_proxy in both letter cases, NO_PROXY in the portable form."""
    urls = proxy_urls(policy)
    if not urls:
        return []
    out: list[EnvVar] = []
    for scheme, url, loc in urls:
        for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY"):
            out.append(EnvVar(name, url, loc))
    value = dialects.portable(rules(policy)).value
    for name in ("no_proxy", "NO_PROXY"):
        out.append(EnvVar(name, value, ("proxy", "no_proxy")))
    return out


def credentials(policy: Policy, via: str) -> list[Credential]:
    """The ${NAME} references in the proxy URLs (a proxy password), delivered `via`."""
    proxy = policy.proxy
    urls = [proxy.http, proxy.effective_https] if proxy is not None else []
    refs = sorted(set(ENV_REF_ANYWHERE.findall(" ".join(u for u in urls if u))))
    return [Credential("${" + ref + "}", "proxy", via, "the proxy URL", ("proxy",)) for ref in refs]
