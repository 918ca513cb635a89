"""Which version of each tool a model describes, and the model for a given version.

A tool's matching code moves between releases. Where envgen transcribes more than one
release, `VARIANTS` lists them oldest first, each with the versions it holds for; elsewhere a
tool has one model and `TESTED` says which release it was read from and checked against
(tests/conformance). `select(tool, version)` is what `envgen explain --tool NAME=VERSION` and
`envgen doctor` (with the versions it finds installed) ask.

Sources: curl's lib/url.c check_noproxy at curl-7_85_0 and lib/noproxy.c at curl-7_86_0 and
curl-7_87_0 (curl/curl#9813, #9842, #9858: 7.86.0's regressions, fixed in 7.87.0); Go's
vendored golang.org/x/net http/httpproxy before and after cde1dda9 (x/net v0.36.0: Go 1.23.7
and 1.24.1, CVE-2025-22870, golang/go#72123); Node's releases and the undici each bundles, read
off the releases themselves (tests/conformance/test_node_env_real.py) and undici's
lib/dispatcher/env-http-proxy-agent.js at v7.22.0 (nodejs/undici#4676), v8.10.0 (#5623) and
8.11.0 (from the npm registry); requests'
should_bypass_proxies before and from 2.34; pip's src/pip/_vendor/vendor.txt (pip 26.2 is the
first to vendor requests 2.34: 26.1 has 2.33.1, 25.3 2.32.5, 23.2 2.31.0).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from envgen.clients import curl, go, node, nodecore
from envgen.clients.base import Decision, Env, Matcher, Model
from envgen.clients.python import LEGACY_REQUESTS
from envgen.noproxy.urls import Url

Version = tuple[int, ...]


@dataclass(frozen=True)
class Variant:
    """One model of a tool, for the versions from `since` (inclusive) to `before`."""

    since: Version | None
    before: Version | None
    holds_for: str  # in words, for explain and docs/noproxy.md
    model: str | None = None  # a model of envgen.clients.MODELS, by name (None: the tool's own)
    matcher: Matcher | None = None  # or a NO_PROXY matcher replacing the tool's own

    def covers(self, version: Version) -> bool:
        """Whether `version` is in this variant's range."""
        return (self.since is None or version >= self.since) and (
            self.before is None or version < self.before
        )


def parse_version(text: str) -> Version:
    """'7.85', '7.85.0', 'v22.21.0', 'go1.24.1' as a tuple of numbers; ValueError if none."""
    found = re.search(r"(\d+(?:\.\d+)*)", text)
    if found is None:
        raise ValueError(f"{text!r} is not a version (expected numbers like 7.85 or 22.21.0)")
    return tuple(int(part) for part in found.group(1).split("."))


_CURL = (
    Variant(None, (7, 86), "curl 7.85 and earlier (text tail-matching, no CIDR)",
            matcher=curl.match_curl_before_7_86),
    Variant((7, 86), (7, 87), "curl 7.86.0 (CIDR; the token regressions fixed in 7.87)",
            matcher=curl.match_curl_7_86),
    Variant((7, 87), None, "curl 7.87 and later (read in 7.88)"),
)  # fmt: skip
_REQUESTS = (
    Variant(None, (2, 34), "requests before 2.34 (text suffixes)", model=LEGACY_REQUESTS),
    Variant((2, 34), None, "requests 2.34 and later (label boundaries)"),
)
_PIP = (
    Variant(None, (26, 2), "pip before 26.2 (vendors requests before 2.34)", model=LEGACY_REQUESTS),
    Variant((26, 2), None, "pip 26.2 and later (vendors requests 2.34)"),
)

_NODE = (
    Variant(
        None,
        (22, 21),
        "Node before 22.21: no proxy variable is read",
        matcher=nodecore.match_nothing,
    ),
    Variant(
        (22, 21),
        (23,),
        "Node 22.21 to 22.x with NODE_USE_ENV_PROXY=1 ('.d' by suffix)",
        matcher=nodecore.match_node_core_suffix,
    ),
    Variant(
        (23,),
        (24, 5),
        "Node 23 to 24.4: http and https read no proxy variable",
        matcher=nodecore.match_nothing,
    ),
    Variant(
        (24, 5),
        (24, 16),
        "Node 24.5 to 24.15 with NODE_USE_ENV_PROXY=1 ('.d' by suffix)",
        matcher=nodecore.match_node_core_suffix,
    ),
    Variant(
        (24, 16),
        (25,),
        "Node 24.16 and later 24.x with NODE_USE_ENV_PROXY=1",
        matcher=nodecore.match_node_core,
    ),
    Variant(
        (25,),
        (26, 1),
        "Node 25 to 26.0 with NODE_USE_ENV_PROXY=1 ('.d' by suffix)",
        matcher=nodecore.match_node_core_suffix,
    ),
    Variant(
        (26, 1),
        None,
        "Node 26.1 and later with NODE_USE_ENV_PROXY=1",
        matcher=nodecore.match_node_core,
    ),
)
_UNDICI = (
    Variant(
        None,
        (7, 22),
        "undici before 7.22 (a bare entry is one host; '.d' by suffix)",
        matcher=node.match_undici_before_7_22,
    ),
    Variant((7, 22), (8, 10), "undici 7.22 to 8.9 (a name covers its subdomains)"),
    Variant((8, 10), (8, 11), "undici 8.10 (bare IPv6 entries)", matcher=node.match_undici_8_10),
    Variant(
        (8, 11),
        None,
        "undici 8.11 and later ('*.d' subdomains only, '*' anywhere)",
        matcher=node.match_undici_8_11,
    ),
)

_GO = (
    Variant(
        None,
        (1, 23, 7),
        "Go before 1.23.7 (an IP host also matches domain entries as text)",
        matcher=go.match_go_ip_suffixes,
    ),
    Variant((1, 23, 7), (1, 24), "Go 1.23.7 and later 1.23"),
    Variant(
        (1, 24),
        (1, 24, 1),
        "Go 1.24.0 (an IP host also matches domain entries as text)",
        matcher=go.match_go_ip_suffixes,
    ),
    Variant((1, 24, 1), None, "Go 1.24.1 and later (CVE-2025-22870 fixed)"),
)

#: The tools with more than one model. git reads NO_PROXY through libcurl: its variants are
#: libcurl's, selected by libcurl's version (`--tool git=7.85` means a git built on that).
VARIANTS: dict[str, tuple[Variant, ...]] = {
    "curl": _CURL,
    "git": _CURL,
    "python-requests": _REQUESTS,
    "pip": _PIP,
    "go": _GO,
    "node": _NODE,
    "node-undici": _UNDICI,
}

#: The release each single-model tool was read from and is checked against.
TESTED: dict[str, str] = {
    "curl": "curl 7.88.1",
    "git": "git 2.39 on libcurl 7.88.1",
    "wget": "wget 1.21.3",
    "go": "Go 1.27 (golang.org/x/net/http/httpproxy)",
    "docker": "dockerd 26.1 (Go's httpproxy rules)",
    "python-urllib": "CPython 3.11 urllib.request",
    "python-requests": "requests 2.34",
    "pip": "pip 26.2 and later (vendored requests 2.34)",
    "npm": "npm 11 (@npmcli/agent)",
    "node-proxy-from-env": "proxy-from-env 1.1",
    "node-undici": "undici 7.30 (EnvHttpProxyAgent)",
    "node": "Node 24.22 and 26.12 (lib/internal/http.js), when NODE_USE_ENV_PROXY=1",
    "ruby": "Ruby 3.1 (URI::Generic#find_proxy)",
    "java": "OpenJDK 17 (http.nonProxyHosts)",
}


def _decide_with(tool: str, matcher: Matcher) -> Callable[[Env, Env, Url], Decision]:
    """The tool's decision with another release's NO_PROXY matching."""
    if tool == "node":  # a release asked for by version is taken to run with the variable set
        if matcher is nodecore.match_nothing:
            return nodecore.unsupported
        return nodecore.decider(matcher, enabled=True)
    if tool == "node-undici":
        return node.undici_decide(matcher)
    if tool == "go":
        return go.reader(matcher)
    return curl.reader(tool, matcher)


def parse_tool_versions(given: list[str]) -> dict[str, str]:
    """`--tool NAME=VERSION` values as tool -> version; ValueError says what is wrong."""
    from envgen.clients import TOOLS

    out: dict[str, str] = {}
    for item in given:
        name, equals, version = item.partition("=")
        if not equals or name not in TOOLS:
            raise ValueError(
                f"--tool {item!r}: expected NAME=VERSION with NAME one of {', '.join(TOOLS)} "
                "(e.g. --tool curl=7.85)"
            )
        try:
            parse_version(version)
        except ValueError as exc:
            raise ValueError(f"--tool {item!r}: {exc}") from None
        out[name] = version
    return out


def select(models: dict[str, Model], tool: str, version: str | None) -> tuple[Model, str]:
    """The model of `tool` at `version` (None: the default, newest tested) and what it holds
    for. A version outside every transcribed range keeps the tool's one model, said so."""
    model = models[tool]
    variants = VARIANTS.get(tool)
    if version is None:
        return model, TESTED.get(tool, "")
    number = parse_version(version)
    if variants is None:
        tested = TESTED.get(tool, "the tested release")
        return model, f"{tool} {version}: envgen models {tested}; other releases are not told apart"
    chosen = next(v for v in variants if v.covers(number))
    if chosen.model is not None:
        return replace(models[chosen.model], name=tool, same_as=model.same_as), chosen.holds_for
    if chosen.matcher is not None:
        return replace(model, decide=_decide_with(tool, chosen.matcher)), chosen.holds_for
    return model, chosen.holds_for
