"""Run real clients inside a private user + network + mount namespace (envgen doctor's).

A client that connects for real (wget, Node's own clients) would look the test's names up in
the system's resolver, and a direct connection would leave the machine. Inside the namespace
every name of the cases resolves to the loopback (a private hosts file; the host's resolver
is out of reach), and the only interface is the loopback, where listeners stand in for the
proxy (PROXY_HOST:PROXY_PORT) and for every origin port.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO, REQUIRE_TOOLS

PROXY_HOST, PROXY_PORT = "proxy.test", 3128
PROXY = f"http://{PROXY_HOST}:{PROXY_PORT}"
SANDBOX = ("unshare", "--user", "--map-root-user", "--net", "--mount", "--")


def namespaces_or_skip() -> None:
    """Skip (fail in CI) where unprivileged user namespaces cannot be made."""
    done = subprocess.run([*SANDBOX, "true"], capture_output=True, check=False)
    if done.returncode:
        if REQUIRE_TOOLS:
            pytest.fail("these tests need unprivileged user namespaces in CI")
        pytest.skip("unprivileged user namespaces are not available here")


def run_inside(runs: list[dict[str, Any]], urls: list[str]) -> list[dict[str, str]]:
    """Each run ({"argv": [...], "env": {...}}) in the namespace, where the hosts of `urls`
    and PROXY_HOST resolve to the loopback; per run its stdout and stderr."""
    namespaces_or_skip()
    hosts: dict[str, None] = {PROXY_HOST: None}
    addresses: dict[str, None] = {}
    ports: set[int] = set()
    for url in urls:
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
            [*SANDBOX, sys.executable, str(Path(__file__).parent / "inside.py"),
             str(work / "spec.json")],
            capture_output=True, text=True, check=False, timeout=3600, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        answers: list[dict[str, str]] = json.loads(done.stdout)
    return answers
