"""`envgen init` adopts hand-written configs without changing what the real tools read.

For each ecosystem (and a mixed repository) the real tool reads its effective settings from the
hand-written file, then `envgen init` and `envgen render --force` replace the file, and the
tool reads again: every setting the original held is equal after, except those `init` listed
as changes or as not carried over (the test checks that each such key was named).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conformance.test_docker_real import check_daemon_keys, dockerd_validate
from tests.conformance.test_go_real import read_go_env
from tests.conftest import RunEnvgen, need_tool, write_tree
from tests.realtools import npm_config, pip_env

pytestmark = pytest.mark.conformance

NPMRC = """registry=https://npm.corp.example/
@acme:registry=https://gitlab.corp.example/api/v4/projects/7/packages/npm/
//npm.corp.example/:_authToken=${NPM_TOKEN}
//gitlab.corp.example/api/v4/projects/7/packages/npm/:_authToken=${GITLAB_TOKEN}
proxy=http://proxy.corp.example:3128
https-proxy=http://proxy.corp.example:3128
fetch-retries=4
fetch-retry-mintimeout=2000
fetch-retry-maxtimeout=60000
cafile=/etc/ssl/certs/corp-root.pem
strict-ssl=false
"""
PIP_CONF = """[global]
index-url = https://pypi.corp.example/simple
extra-index-url = https://mirror.corp.example/pypi/simple
timeout = 45
retries = 4
cert = /etc/ssl/certs/corp-root.pem
[install]
no-compile = true
"""
GO_ENV = """GOPROXY=https://goproxy.corp.example|https://proxy.golang.org|direct
GOPRIVATE=gitlab.corp.example/acme
GOSUMDB=sum.golang.org
GOFLAGS=-mod=readonly
"""
DAEMON = json.dumps(
    {
        "registry-mirrors": ["https://mirror.corp.example"],
        "insecure-registries": ["registry.local:5000"],
        "max-download-attempts": 5,
        "proxies": {"http-proxy": "http://proxy.corp.example:3128"},
        "log-level": "warn",
    },
    indent=2,
)

REPOS = {
    "npm": {"package.json": "{}\n", ".npmrc": NPMRC},
    "pip": {"requirements.txt": "", "pip.conf": PIP_CONF},
    "go": {"go.mod": "module x\n", "go.env": GO_ENV},
    "docker": {"Dockerfile": "FROM scratch\n", "daemon.json": DAEMON},
    "mixed": {
        "package.json": "{}\n",
        ".npmrc": NPMRC,
        "requirements.txt": "",
        "pip.conf": PIP_CONF.replace("retries = 4", "retries = 4"),
        "go.mod": "module x\n",
        "go.env": GO_ENV,
        ".gitlab-ci.yml": "variables:\n  HTTP_PROXY: http://proxy.corp.example:3128\n"
        "  NO_PROXY: .corp.example,10.0.0.0/8\n",
    },
}


def _npm(path: Path, home: Path) -> dict[str, object]:
    return npm_config(path, home, NPM_TOKEN="t1", GITLAB_TOKEN="t2")


def _pip(path: Path, home: Path) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        env=pip_env(path, home), capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    pairs = (line.split("=", 1) for line in out.splitlines() if "=" in line)
    return {k: v.strip("'") for k, v in pairs if not k.startswith(":env:")}


def _go(path: Path, work: Path) -> dict[str, str]:
    return read_go_env(path, work)


def _docker(path: Path, work: Path) -> dict[str, object]:
    del work
    dockerd_validate(path)
    doc: dict[str, object] = json.loads(path.read_text("utf-8"))
    check_daemon_keys(doc)
    return doc


READ = {".npmrc": _npm, "pip.conf": _pip, "go.env": _go, "daemon.json": _docker}

#: Settings the policy expresses: the tool must read exactly the same value after adoption.
#: (daemon.json `proxies` changes on purpose and init says so: https-proxy defaults to the http
#: proxy in a policy, and no-proxy gains the loopback rules.)
KEPT = {
    ".npmrc": ["registry", "@acme:registry", "proxy", "https-proxy", "fetch-retries",
               "fetch-retry-mintimeout", "fetch-retry-maxtimeout", "cafile"],
    "pip.conf": ["global.index-url", "global.extra-index-url", "global.timeout",
                 "global.retries", "global.cert"],
    "go.env": ["GOPROXY", "GOPRIVATE", "GOSUMDB"],
    "daemon.json": ["registry-mirrors", "insecure-registries", "max-download-attempts"],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(REPOS))
def test_adoption_keeps_what_the_tools_read(
    name: str, tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "repo", REPOS[name])
    home = tmp_path / "home"
    home.mkdir()
    adopted = [f for f in REPOS[name] if f in READ]
    before = {f: READ[f](repo / f, home) for f in adopted}
    for f in adopted:
        shutil.copy(repo / f, tmp_path / f"original-{f}")

    init = run_envgen("init", cwd=repo)
    assert init.code == 0, init.err
    told = init.out + init.err
    assert run_envgen("validate", cwd=repo).code == 0
    render = run_envgen("render", "--force", cwd=repo)
    assert render.code == 0, render.err
    after = {f: READ[f](repo / f, home) for f in adopted}

    for f in adopted:
        for key in KEPT[f]:
            assert key in before[f], (f, key)
            assert after[f].get(key) == before[f][key], (f, key)
        for key, value in before[f].items():
            if after[f].get(key) == value:
                continue
            # Every difference was named by init, by the key as the tool spells it.
            short = key.split(".")[-1].replace("global.", "")
            assert short in told, (
                f"{f}: {key} changed ({value!r} -> {after[f].get(key)!r}) unannounced"
            )
    assert "strict-ssl" in told if ".npmrc" in adopted else True
    assert ("no-compile" in told) if "pip.conf" in adopted else True
    assert ("log-level" in told) if "daemon.json" in adopted else True
    if name == "npm":  # the token references survive as references
        text = (repo / ".npmrc").read_text("utf-8")
        assert "//npm.corp.example/:_authToken=${NPM_TOKEN}" in text
        assert "${GITLAB_TOKEN}" in text
    need_tool("npm") if ".npmrc" in adopted else None


def test_a_literal_token_is_refused_without_being_shown(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    secret = "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    repo = write_tree(tmp_path / "repo", {
        "package.json": "{}\n",
        ".npmrc": f"registry=https://npm.corp.example/\n//npm.corp.example/:_authToken={secret}\n",
    })  # fmt: skip
    result = run_envgen("init", cwd=repo)
    assert result.code == 2
    assert secret not in result.out + result.err
    assert secret[4:20] not in result.out + result.err
    assert (
        ".npmrc:2:1: error: //npm.corp.example/:_authToken holds a literal npm token" in result.err
    )
    assert not (repo / "envgen.yaml").exists()
