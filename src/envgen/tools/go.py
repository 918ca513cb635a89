"""Go (the go command, and every Go program): what envgen gives it through GOENV and the
environment.

cmd/go reads the GOENV file byte for byte (`go env -w` writes it) and the same names from the
environment, where they win. GOPROXY's separator says when the next proxy is tried: '|' after
any error, ',' only after a 404/410 (go help goproxy). GOPRIVATE implies GONOPROXY and
GONOSUMDB, but those are written too so that a GONOPROXY/GONOSUMDB set elsewhere cannot narrow
them. GOFLAGS is one value: a GOFLAGS in the environment replaces the file's entirely, so it is
exported whole. -mod is set only when the policy asks (a forced -mod=readonly made a repository
with vendor/ ignore it); -modcacherw when CI keeps the module cache inside the workspace, so
that `git clean` and a fresh checkout can delete it (go's cache files are read-only otherwise).
GODEBUG=http2client=0 makes Go's HTTP client speak HTTP/1.1; the go command refuses GODEBUG in
a GOENV file ("GODEBUG can only be set using the OS environment"), so it travels in the
environment only. Deliberately absent from the file: HTTP(S)_PROXY/NO_PROXY (not go variables),
GOMODCACHE/GOCACHE (absolute: the CI targets set them from the workspace), and credentials
(registries.go.auth reaches go through a ~/.netrc written at job time, `envgen.ci.jobtime`).
"""

from __future__ import annotations

from envgen.findings import Finding, note
from envgen.schema.policy import Policy
from envgen.sourcemap import Loc
from envgen.tools import proxyenv
from envgen.tools.base import (
    Credential,
    EnvVar,
    Pointer,
    Setting,
    Tool,
    ToolCache,
    ToolSettings,
    Topic,
    env_of,
)

#: The flag that leaves the module cache writable, so CI can clean and cache it.
MODCACHERW = "-modcacherw"

#: The variables envgen sets from registries.go.private, all to the same list.
PRIVATE_VARIABLES = ("GOPRIVATE", "GONOPROXY", "GONOSUMDB")

CACHE = ToolCache("go", (("GOMODCACHE", "go/mod"), ("GOCACHE", "go/build")), ("go.sum",))

#: The environment setting that makes every Go program's HTTP client speak HTTP/1.1.
HTTP1_GODEBUG = ("GODEBUG", "http2client=0")


def _flags(policy: Policy) -> list[str]:
    go = policy.registries.go
    flags = [f"-mod={go.mod}"] if go is not None and go.mod is not None else []
    if policy.caches is not None and policy.caches.go:
        flags.append(MODCACHERW)
    return flags


def _module_settings(policy: Policy) -> list[Setting]:
    """Where modules come from: GOPROXY, GOPRIVATE and its twins, GOSUMDB, GOINSECURE and the
    toolchain."""
    go = policy.registries.go
    out: list[Setting] = []
    if go is None:
        return out
    base: Loc = ("registries", "go")

    def put(name: str, value: str, field: str) -> None:
        out.append(Setting(name, value, (*base, field), env=name))

    if go.proxy:
        put("GOPROXY", ("|" if go.fallback == "on-error" else ",").join(go.proxy), "proxy")
    if go.private:
        for name in PRIVATE_VARIABLES:
            put(name, ",".join(go.private), "private")
    if go.sumdb is not None:
        put("GOSUMDB", go.sumdb, "sumdb")
    if go.insecure:
        put("GOINSECURE", ",".join(go.insecure), "insecure")
    if go.toolchain is not None:
        put("GOTOOLCHAIN", go.toolchain, "toolchain")
    return out


def settings(policy: Policy) -> ToolSettings:
    """GOPROXY, GOPRIVATE/GONOPROXY/GONOSUMDB, GOSUMDB, GOINSECURE, GOTOOLCHAIN, GOFLAGS, and
    GODEBUG for HTTP/1.1 (environment only)."""
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
    base: Loc = ("registries", "go")
    out = _module_settings(policy)
    if go is None:
        findings.insert(
            0, note("no registries.go: go keeps its defaults (proxy.golang.org, sum.golang.org)")
        )
    flags = _flags(policy)
    if flags:
        loc: Loc = (*base, "mod") if go is not None and go.mod else ("caches", "go")
        out.append(Setting("GOFLAGS", " ".join(flags), loc, env="GOFLAGS"))
    if policy.network.http_version == "1.1":
        name, value = HTTP1_GODEBUG
        out.append(
            Setting(
                name,
                value,
                ("network", "http_version"),
                in_file=False,
                env=name,
                via="environment only: go refuses GODEBUG in go.env",
                topic=Topic.HTTP,
            )
        )
    creds: tuple[Credential, ...] = ()
    if go is not None:
        via = "a ~/.netrc entry written at job time (never in go.env)"
        creds = tuple(
            Credential(a.token, a.host, via, "~/.netrc at job time", (*base, "auth", i, "token"))
            for i, a in enumerate(go.auth)
        )
        if go.auth:
            findings.append(
                note(
                    "credentials for registries.go.auth are written to ~/.netrc at job time by "
                    "the CI targets, never into go.env",
                    (*base, "auth"),
                )
            )
    return ToolSettings("go", tuple(out), env_of(out), None, creds, tuple(findings))


#: cmd/go reads GOENV instead of its user file (cfg.go, EnvFile); $GOROOT/go.env stays.
POINTER = Pointer(
    "go", "GOENV", hides="settings made with `go env -w` (go writes and reads this file instead)"
)

TOOL = Tool("go", settings, shown_in=("go",), credentials_for=("go", "git"), pointers=(POINTER,))


def http1_environment(policy: Policy) -> list[EnvVar]:
    """GODEBUG=http2client=0 for a Go program when network.http_version is "1.1"."""
    if policy.network.http_version != "1.1":
        return []
    name, value = HTTP1_GODEBUG
    return [EnvVar(name, value, ("network", "http_version"))]


def service_environment(policy: Policy) -> list[EnvVar]:
    """The environment of a Go service (dockerd, gitlab-runner) in a systemd drop-in: the proxy
    variables in upper case (Go's httpproxy reads those first), NO_PROXY in Go's dialect, and
    GODEBUG for HTTP/1.1."""
    urls = proxyenv.proxy_urls(policy)
    out = [EnvVar(f"{scheme.upper()}_PROXY", url, loc) for scheme, url, loc in urls]
    if urls:
        out.append(
            EnvVar("NO_PROXY", proxyenv.translate(policy, "go").value, ("proxy", "no_proxy"))
        )
    return [*out, *http1_environment(policy)]
