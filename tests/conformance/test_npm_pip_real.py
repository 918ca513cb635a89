"""npm and pip themselves read the rendered files and must see exactly the policy's values.

Every expected value below is written out by hand from the policy text, not computed by envgen.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import RunEnvgen, write_tree
from tests.realtools import (
    npm_config,
    npm_ini_parse,
    pip_config_list,
    pip_config_values,
)

pytestmark = pytest.mark.conformance

POLICY = """\
version: 1
proxy:
  http: http://proxy.corp.example:3128
  https: http://secure-proxy.corp.example:3129
  no_proxy:
    - .corp.example
    - 10.0.0.0/8
    - 192.168.1.7
network:
  timeout: 45s
  retries: 4
  backoff: {min: 2s, max: 40s, factor: 3}
  ca_file: /etc/ssl/certs/corp-root.pem
registries:
  npm:
    url: https://npm.corp.example/repository/npm-all/
    token: ${NPM_TOKEN}
    scopes:
      "@acme":
        url: https://gitlab.corp.example/api/v4/projects/42/packages/npm/
        token: ${GITLAB_NPM_TOKEN}
      "@tools":
        url: https://tools.corp.example:8443/npm
        token: ${TOOLS_TOKEN}
  pypi:
    index: https://pypi.corp.example/simple
    extra:
      - url: https://gitlab.corp.example/api/v4/projects/42/packages/pypi/simple
        token: ${PYPI_TOKEN}
      - url: https://mirror.corp.example/pypi/simple
targets:
  npm: .npmrc
  pip: pip.conf
"""


@pytest.fixture
def rendered(tmp_path: Path, run_envgen: RunEnvgen) -> Path:
    repo = write_tree(tmp_path / "repo", {"envgen.yaml": POLICY})
    result = run_envgen("render", cwd=repo)
    assert result.code == 0, result.err
    return repo


def test_npm_reads_policy_values(rendered: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    config = npm_config(rendered / ".npmrc", home)
    assert config["registry"] == "https://npm.corp.example/repository/npm-all/"
    assert config["@acme:registry"] == (
        "https://gitlab.corp.example/api/v4/projects/42/packages/npm/"
    )
    assert config["@tools:registry"] == "https://tools.corp.example:8443/npm/"
    assert config["proxy"] == "http://proxy.corp.example:3128"
    assert config["https-proxy"] == "http://secure-proxy.corp.example:3129"
    # npm's dialect: no leading dot needed, no CIDR (a warned loss), loopback added.
    assert config["noproxy"] == ["corp.example,192.168.1.7,localhost,127.0.0.1,[::1]"]
    assert config["fetch-retries"] == 4
    assert config["fetch-retry-factor"] == 3
    assert config["fetch-retry-mintimeout"] == 2000
    assert config["fetch-retry-maxtimeout"] == 40000
    assert config["fetch-timeout"] == 450000  # a whole-request budget: 10 x 45 s
    assert config["cafile"] == "/etc/ssl/certs/corp-root.pem"


def test_npm_ini_sees_exactly_the_intended_keys(rendered: Path, tmp_path: Path) -> None:
    """npm keeps the last of duplicate keys silently, so compare the whole key set."""
    home = tmp_path / "home"
    home.mkdir()
    parsed = npm_ini_parse(rendered / ".npmrc", home)
    assert parsed == {
        "registry": "https://npm.corp.example/repository/npm-all/",
        "//npm.corp.example/repository/npm-all/:_authToken": "${NPM_TOKEN}",
        "@acme:registry": "https://gitlab.corp.example/api/v4/projects/42/packages/npm/",
        "//gitlab.corp.example/api/v4/projects/42/packages/npm/:_authToken": (
            "${GITLAB_NPM_TOKEN}"
        ),
        "@tools:registry": "https://tools.corp.example:8443/npm/",
        "//tools.corp.example:8443/npm/:_authToken": "${TOOLS_TOKEN}",
        "proxy": "http://proxy.corp.example:3128",
        "https-proxy": "http://secure-proxy.corp.example:3129",
        "noproxy": "corp.example,192.168.1.7,localhost,127.0.0.1,[::1]",
        "fetch-retries": "4",
        "fetch-retry-factor": "3",
        "fetch-retry-mintimeout": "2000",
        "fetch-retry-maxtimeout": "40000",
        "fetch-timeout": "450000",
        "cafile": "/etc/ssl/certs/corp-root.pem",
    }


def test_pip_reads_policy_values(rendered: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    values = pip_config_values(rendered / "pip.conf", home)
    assert values == {
        "global.index-url": "https://pypi.corp.example/simple",
        "global.extra-index-url": (
            "https://gitlab.corp.example/api/v4/projects/42/packages/pypi/simple\n"
            "https://mirror.corp.example/pypi/simple"
        ),
        "global.timeout": "45",
        "global.retries": "4",
        "global.cert": "/etc/ssl/certs/corp-root.pem",
    }
    listing = pip_config_list(rendered / "pip.conf", home)
    assert "global.index-url='https://pypi.corp.example/simple'" in listing
    assert "global.timeout='45'" in listing
    assert "global.retries='4'" in listing
    assert "global.cert='/etc/ssl/certs/corp-root.pem'" in listing
    assert "proxy" not in listing
    assert "TOKEN" not in listing


class _Recorder(BaseHTTPRequestHandler):
    """A one-package registry that records the requests it gets."""

    hits: list[tuple[str, str | None]]

    def do_GET(self) -> None:
        type(self).hits.append((self.path, self.headers.get("Authorization")))
        body = json.dumps(
            {
                "name": "@acme/widget",
                "dist-tags": {"latest": "1.2.3"},
                "versions": {
                    "1.2.3": {
                        "name": "@acme/widget",
                        "version": "1.2.3",
                        "dist": {"tarball": "http://127.0.0.1:1/w.tgz"},
                    }
                },
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


def _serve(name: str) -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    handler = type(name, (_Recorder,), {"hits": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler.hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def registry() -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    yield from _serve("Registry")


@pytest.fixture
def proxy() -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    yield from _serve("Proxy")


def test_npm_expands_token_from_environment(
    tmp_path: Path,
    run_envgen: RunEnvgen,
    registry: tuple[int, list[tuple[str, str | None]]],
    proxy: tuple[int, list[tuple[str, str | None]]],
) -> None:
    """npm sends the scoped token from the environment and bypasses the proxy for 127.0.0.1."""
    reg_port, reg_hits = registry
    proxy_port, proxy_hits = proxy
    policy = f"""\
version: 1
proxy:
  http: http://127.0.0.1:{proxy_port}
network: {{retries: 0, timeout: 20s}}
registries:
  npm:
    scopes:
      "@acme":
        url: http://127.0.0.1:{reg_port}/acme
        token: ${{ACME_NPM_TOKEN}}
targets:
  npm: .npmrc
"""
    repo = write_tree(tmp_path / "repo", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=repo).code == 0
    home = tmp_path / "home"
    home.mkdir()
    import subprocess

    from tests.conftest import need_tool
    from tests.realtools import clean_env

    empty = home / "globalrc"
    empty.write_text("")
    proc = subprocess.run(
        [
            need_tool("npm"),
            "view",
            "@acme/widget",
            "version",
            "--userconfig",
            str(repo / ".npmrc"),
            "--globalconfig",
            str(empty),
            "--prefer-online",
        ],
        cwd=home,
        env=clean_env(home, ACME_NPM_TOKEN="test-token-value"),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "1.2.3"
    assert reg_hits, "npm never reached the scoped registry"
    assert all(auth == "Bearer test-token-value" for _, auth in reg_hits), reg_hits
    assert reg_hits[0][0].startswith("/acme/@acme")
    assert proxy_hits == [], "127.0.0.1 is in the rendered noproxy, npm must go direct"


@pytest.mark.parametrize("trusted", [True, False], ids=["as-rendered", "without-trusted-host"])
def test_pip_uses_a_plain_http_index_only_through_trusted_host(
    tmp_path: Path,
    run_envgen: RunEnvgen,
    proxy: tuple[int, list[tuple[str, str | None]]],
    trusted: bool,
) -> None:
    """The real pip ignores an http:// index whose host is not trusted; the rendered pip.conf
    lists it, so pip asks it (seen here through a loopback forward proxy, since the index's
    name must not be a loopback address, which pip trusts anyway)."""
    import subprocess
    import sys

    from tests.realtools import pip_env

    proxy_port, hits = proxy
    policy = (
        "version: 1\nnetwork: {retries: 0, timeout: 5s}\n"
        "registries:\n  pypi: {index: 'http://pypi.corp.example/simple'}\n"
        "targets:\n  pip: pip.conf\n"
    )
    repo = write_tree(tmp_path / "repo", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=repo).code == 0
    conf = repo / "pip.conf"
    assert "trusted-host = pypi.corp.example\n" in conf.read_text("utf-8")
    if not trusted:
        text = conf.read_text("utf-8").replace("trusted-host = pypi.corp.example\n", "")
        conf.write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = pip_env(conf, home)
    env.update(HTTP_PROXY=f"http://127.0.0.1:{proxy_port}", NO_PROXY="")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(tmp_path / "dl"),
         "envgen-probe-package"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0  # the recorder serves no package
    asked = [path for path, _ in hits if "pypi.corp.example" in path]
    if trusted:
        assert asked, proc.stderr
        assert asked[0] == "http://pypi.corp.example/simple/envgen-probe-package/"
    else:
        assert asked == []
        assert "is not a trusted or secure host" in proc.stdout + proc.stderr
