"""Go (the go command): what envgen gives it through a GOENV file and the environment.

cmd/go reads the GOENV file byte for byte (`go env -w` writes it) and the same names from the
environment, where they win. GOPROXY's separator says when the next proxy is tried: '|' after
any error, ',' only after a 404/410 (go help goproxy). GOPRIVATE implies GONOPROXY and
GONOSUMDB, but those are written too so that a GONOPROXY/GONOSUMDB set elsewhere cannot
narrow them. Deliberately absent from the file: HTTP(S)_PROXY/NO_PROXY (not go variables: a
line for them does nothing), GOMODCACHE/GOCACHE (they must be absolute: the CI targets set them
from the workspace), and credentials (registries.go.auth reaches go through a ~/.netrc written
at job time, `envgen.ci.jobtime`).
"""

from __future__ import annotations

from envgen.findings import Finding, note
from envgen.schema.policy import Policy
from envgen.tools import proxyenv
from envgen.tools.base import Credential, Setting, Tool, ToolCache, ToolSettings, env_of

CACHE = ToolCache("go", (("GOMODCACHE", "go/mod"), ("GOCACHE", "go/build")), ("go.sum",))

#: v1 policies: builds never rewrite go.mod/go.sum.
MOD_READONLY = "-mod=readonly"


def settings(policy: Policy) -> ToolSettings:
    """GOPROXY, GOPRIVATE/GONOPROXY/GONOSUMDB, GOSUMDB, GOINSECURE and GOFLAGS."""
    go = policy.registries.go
    findings: list[Finding] = []
    if proxyenv.has_proxy(policy):
        findings.append(
            note(
                "go.env cannot carry HTTP(S)_PROXY/NO_PROXY (go reads them from the process "
                "environment only): use `envgen env` or a CI target",
                ("proxy",),
            )
        )
    if go is None:
        findings.insert(
            0, note("no registries.go: go keeps its defaults (proxy.golang.org, sum.golang.org)")
        )
        return ToolSettings("go", findings=tuple(findings))
    base = ("registries", "go")
    out: list[Setting] = []

    def put(name: str, value: str, field: str) -> None:
        out.append(Setting(name, value, (*base, field), env=name))

    if go.proxy:
        put("GOPROXY", ("|" if go.fallback == "on-error" else ",").join(go.proxy), "proxy")
    if go.private:
        for name in ("GOPRIVATE", "GONOPROXY", "GONOSUMDB"):
            put(name, ",".join(go.private), "private")
    if go.sumdb is not None:
        put("GOSUMDB", go.sumdb, "sumdb")
    if go.insecure:
        put("GOINSECURE", ",".join(go.insecure), "insecure")
    out.append(Setting("GOFLAGS", MOD_READONLY, base, env="GOFLAGS"))
    via = "a ~/.netrc entry written at job time (never in go.env)"
    creds = tuple(
        Credential(a.token, a.host, via, "~/.netrc at job time", (*base, "auth", i, "token"))
        for i, a in enumerate(go.auth)
    )
    if go.auth:
        findings.append(
            note(
                "credentials for registries.go.auth are written to ~/.netrc at job time by the CI "
                "targets, never into go.env",
                (*base, "auth"),
            )
        )
    return ToolSettings("go", tuple(out), env_of(out), None, creds, tuple(findings))


TOOL = Tool("go", settings, shown_in=("go",), credentials_for=("go", "git"))
