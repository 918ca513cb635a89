"""Run real clients inside a private user + network + mount namespace (envgen doctor's).

A client that connects for real (wget, Node's own clients) would look the test's names up in
the system's resolver, and a direct connection would leave the machine. Inside the namespace
every name of the cases resolves to the loopback (a private hosts file; the host's resolver
is out of reach), and the only interface is the loopback, where listeners stand in for the
proxy (PROXY_HOST:PROXY_PORT) and for every origin port.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from envgen.doctor.spec import host_of
from envgen.noproxy.urls import parse_url
from tests.conftest import REPO, unavailable

PROXY_HOST, PROXY_PORT = "proxy.test", 3128
PROXY = f"http://{PROXY_HOST}:{PROXY_PORT}"
SANDBOX = ("unshare", "--user", "--map-root-user", "--net", "--mount", "--")


def namespaces_or_skip() -> None:
    """Skip (fail in CI) where unprivileged user namespaces cannot be made."""
    done = subprocess.run([*SANDBOX, "true"], capture_output=True, check=False)
    if done.returncode:
        unavailable("unprivileged user namespaces are not available here")


def run_inside(runs: list[dict[str, Any]], urls: list[str]) -> list[dict[str, str]]:
    """Each run ({"argv": [...], "env": {...}}) in the namespace, where the hosts of `urls`
    and PROXY_HOST resolve to the loopback; per run its stdout and stderr."""
    namespaces_or_skip()
    hosts: dict[str, None] = {PROXY_HOST: None}
    addresses: dict[str, None] = {}
    ports: set[int] = set()
    for url in urls:  # as envgen doctor plans its own sandbox
        parsed = parse_url(url)
        name, address = host_of(parsed)
        hosts.update({name: None} if name else {})
        addresses.update({address: None} if address else {})
        ports.add(parsed.effective_port)
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
