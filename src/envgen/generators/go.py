"""Target `go`: a GOENV file, the format `go env -w` writes (TARGETS.md section 3).

Format: one ``KEY=VALUE`` per line, read byte for byte by cmd/go (no quoting, trimming or
expansion), so every value goes through `encoders.goenv_value`. Reads: registries.go.

Deliberately absent: HTTP(S)_PROXY/NO_PROXY (not go variables: a line for them does nothing;
they come from the environment), GOMODCACHE/GOCACHE (must be absolute: the CI targets set them
from the workspace), and credentials (registries.go.auth reaches go at job time through a
~/.netrc written by `envgen.jobtime`, never through this file).
"""

from __future__ import annotations

from envgen._jinja import render_template
from envgen.encoders import goenv_value
from envgen.environment import go_vars
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.sourcemap import Loc

NAME = "go"
DEFAULT_PATH = "go.env"
SUMMARY = "GOENV file: GOPROXY (| or , fallback), GOPRIVATE/GONOPROXY/GONOSUMDB, GOSUMDB, GOFLAGS"
MODE = 0o644

_LOCS: dict[str, Loc] = {
    "GOPROXY": ("registries", "go", "proxy"),
    "GOPRIVATE": ("registries", "go", "private"),
    "GONOPROXY": ("registries", "go", "private"),
    "GONOSUMDB": ("registries", "go", "private"),
    "GOSUMDB": ("registries", "go", "sumdb"),
    "GOINSECURE": ("registries", "go", "insecure"),
}


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the GOENV lines; the values are the ones `envgen env` exports too."""
    go = policy.registries.go
    entries = [
        (var.name, ctx.encode(goenv_value, var.value, _LOCS.get(var.name, ("registries", "go"))))
        for var in go_vars(policy)
    ]
    if go is None:
        ctx.note("no registries.go: go keeps its defaults (proxy.golang.org, sum.golang.org)")
        entries = [("GOFLAGS", "-mod=readonly")]
    if policy.proxy is not None and (policy.proxy.http or policy.proxy.https):
        ctx.note(
            "go.env cannot carry HTTP(S)_PROXY/NO_PROXY (go reads them from the process "
            "environment only): use `envgen env` or a CI target",
            ("proxy",),
        )
    if go is not None and go.auth:
        ctx.note(
            "credentials for registries.go.auth are written to ~/.netrc at job time by the CI "
            "targets, never into go.env",
            ("registries", "go", "auth"),
        )
    return render_template("go.env.j2", marker=ctx.marker("#"), path=ctx.path, entries=entries)
