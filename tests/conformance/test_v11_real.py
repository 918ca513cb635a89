"""Policy v1.1 in the real tools, with real faults on loopback servers.

HTTP/1.1 (curl, git, Go), CA trust (a throwaway CA made by openssl for a TLS server that speaks
h2 and http/1.1), retries (servers that answer 503 or reset the connection for their first
requests, or for ever), GOPROXY fallback, GOFLAGS, and the retry script under dash, bash and
busybox. Every expected value is written out here from the policy text, not computed by envgen.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shlex
import subprocess
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conformance.faults import Pki, fault_server, h2_server, make_pki
from tests.conformance.test_go_real import go_env
from tests.conftest import REPO, RunEnvgen, need_tool, write_tree
from tests.realtools import clean_env, pip_env

pytestmark = pytest.mark.conformance

POLICY = """\
version: 1
network:
  http_version: "1.1"
  retries: 2
  timeout: 20s
  connect_timeout: 5s
  backoff: {{min: 100ms, max: 300ms, factor: 2}}
  ca_file: {ca}
registries:
  npm: {{url: "http://127.0.0.1:{port}/"}}
  pypi: {{index: "http://127.0.0.1:{port}/simple/"}}
targets:
  git: .envgen/gitconfig
  curl: .envgen/curl/.curlrc
  retry: .envgen/retry
  npm: .npmrc
  pip: pip.conf
"""


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _render(tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, port: int = 9) -> Path:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": POLICY.format(ca=pki.ca, port=port)})
    result = run_envgen("render", cwd=root)
    assert result.code == 0, result.err
    return root


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return home


# --- git --------------------------------------------------------------------------------------


def test_git_reads_the_git_target(tmp_path: Path, run_envgen: RunEnvgen, pki: Pki) -> None:
    root = _render(tmp_path, run_envgen, pki)
    env = clean_env(
        _home(tmp_path),
        GIT_CONFIG_GLOBAL=str(root / ".envgen/gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
    )
    out = subprocess.run(
        [need_tool("git"), "config", "--list", "--show-origin"],
        env=env, capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout  # fmt: skip
    origin = f"file:{root / '.envgen/gitconfig'}"
    assert out.splitlines() == [
        f"{origin}\thttp.version=HTTP/1.1",
        f"{origin}\thttp.lowspeedlimit=1",
        f"{origin}\thttp.lowspeedtime=20",
        f"{origin}\thttp.sslcainfo={pki.ca}",
    ]


# --- curl: HTTP/1.1, CA, retries --------------------------------------------------------------


def _curl(rc: Path | None, url: str, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    config = ["-K", str(rc)] if rc is not None else []
    return subprocess.run(
        [need_tool("curl"), "-q", *config, "-sS", *extra, url],
        env=clean_env(home), capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_curl_speaks_http1_and_trusts_the_ca(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki
) -> None:
    root = _render(tmp_path, run_envgen, pki)
    rc = root / ".envgen/curl/.curlrc"
    home = _home(tmp_path)
    with h2_server(pki) as port:
        url = f"https://127.0.0.1:{port}/"
        with_config = _curl(rc, url, home)
        assert with_config.returncode == 0, with_config.stderr
        assert with_config.stdout == "1.1"
        plain = _curl(None, url, home, "--cacert", str(pki.ca))
        assert plain.stdout == "2.0", "without the config curl negotiates h2 here"
        untrusted = _curl(None, url, home)
        assert untrusted.returncode == 60, "the CA came from the config, not the machine"


@pytest.mark.parametrize("fault", ["503", "reset"])
def test_curl_retries_until_the_server_recovers(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, fault: str
) -> None:
    root = _render(tmp_path, run_envgen, pki)
    rc = root / ".envgen/curl/.curlrc"
    with fault_server(fault, fail=2) as server:
        result = _curl(rc, f"http://127.0.0.1:{server.port}/x", _home(tmp_path), "-f")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
    assert len(server.requests) == 3  # two faults, then the answer


@pytest.mark.parametrize("fault", ["503", "reset"])
def test_curl_stops_after_one_plus_retries(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, fault: str
) -> None:
    root = _render(tmp_path, run_envgen, pki)
    with fault_server(fault, fail=99) as server:
        result = _curl(
            root / ".envgen/curl/.curlrc", f"http://127.0.0.1:{server.port}/", _home(tmp_path), "-f"
        )
    assert result.returncode != 0
    assert len(server.requests) == 3  # 1 + network.retries


# --- npm and pip retries ----------------------------------------------------------------------


def _packument(_path: str) -> tuple[str, bytes]:
    doc = {"name": "widget", "dist-tags": {"latest": "1.0.0"},
           "versions": {"1.0.0": {"name": "widget", "version": "1.0.0",
                                  "dist": {"tarball": "http://127.0.0.1:9/w.tgz"}}}}  # fmt: skip
    return "application/json", json.dumps(doc).encode()


def _npm_view(root: Path, home: Path) -> subprocess.CompletedProcess[str]:
    empty = home / "empty-globalconfig"
    empty.write_text("")
    return subprocess.run(
        [need_tool("npm"), "view", "widget", "version", "--userconfig", str(root / ".npmrc"),
         "--globalconfig", str(empty), "--cache", str(home / "npm-cache"), "--prefer-online",
         "--no-update-notifier"],
        cwd=home, env=clean_env(home), capture_output=True, text=True, check=False, timeout=180,
    )  # fmt: skip


@pytest.mark.parametrize(("fail", "ok"), [(2, True), (99, False)], ids=["recovers", "never"])
def test_npm_retries_503(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, fail: int, ok: bool
) -> None:
    with fault_server("503", fail=fail, body=_packument) as server:
        root = _render(tmp_path, run_envgen, pki, port=server.port)
        result = _npm_view(root, _home(tmp_path))
    assert (result.returncode == 0) is ok, result.stderr
    if ok:
        assert result.stdout.strip() == "1.0.0"
    assert server.requests.count("/widget") == 3, server.requests  # 1 + network.retries


def _wheel() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as whl:
        whl.writestr("widget/__init__.py", "")
        whl.writestr(
            "widget-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: widget\nVersion: 1.0\n"
        )
        whl.writestr(
            "widget-1.0.dist-info/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        whl.writestr("widget-1.0.dist-info/RECORD", "")
    return buffer.getvalue()


WHEEL = _wheel()


def _index(path: str) -> tuple[str, bytes]:
    if path.endswith(".whl"):
        return "application/octet-stream", WHEEL
    digest = hashlib.sha256(WHEEL).hexdigest()
    name = "widget-1.0-py3-none-any.whl"
    link = f'<a href="/files/{name}#sha256={digest}">{name}</a>'
    return "text/html", f"<html><body>{link}</body></html>".encode()


@pytest.mark.parametrize("fault", ["503", "reset"])
@pytest.mark.parametrize(("fail", "ok"), [(2, True), (99, False)], ids=["recovers", "never"])
def test_pip_retries(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, fault: str, *, fail: int, ok: bool
) -> None:
    home = _home(tmp_path)
    with fault_server(fault, fail=fail, body=_index) as server:
        root = _render(tmp_path, run_envgen, pki, port=server.port)
        env = pip_env(root / "pip.conf", home)
        env["PIP_CERT"] = str(pki.ca)  # loopback http: the CA is not what this test is about
        result = subprocess.run(
            ["python3", "-m", "pip", "download", "--no-deps", "--no-cache-dir",
             "-d", str(home / "dl"), "widget"],
            env=env, capture_output=True, text=True, check=False, timeout=180,
        )  # fmt: skip
    assert (result.returncode == 0) is ok, result.stderr[-2000:]
    index_requests = [p for p in server.requests if "/simple/" in p]
    assert len(index_requests) == 3, server.requests


# --- the retry script -------------------------------------------------------------------------

SHELLS = ["dash", "bash", "busybox"]


def _shell(name: str) -> list[str]:
    return [need_tool("busybox"), "sh"] if name == "busybox" else [need_tool(name)]


def _retry(root: Path, shell: str, *argv: str) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    result = subprocess.run(
        [*_shell(shell), str(root / ".envgen/retry"), *argv],
        cwd=root, capture_output=True, text=True, check=False, timeout=60,
        env={"PATH": os.environ["PATH"], "HOME": str(root)},
    )  # fmt: skip
    return result, time.monotonic() - start


@pytest.mark.parametrize("shell", SHELLS)
def test_retry_script_retries_until_success(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, shell: str
) -> None:
    root = _render(tmp_path, run_envgen, pki)
    counter = root / "count"
    counter.write_text("0")
    step = f'n=$(cat {counter}); echo $((n + 1)) > {counter}; [ "$n" -ge 2 ]'
    result, elapsed = _retry(root, shell, "sh", "-c", step)
    assert result.returncode == 0, result.stderr
    assert counter.read_text().strip() == "3"
    assert result.stderr.count("exited with 1") == 2
    assert "attempt 1/3" in result.stderr and "attempt 2/3" in result.stderr
    assert elapsed >= 0.3  # waits of at least 100 ms, then 200 ms (network.backoff)


@pytest.mark.parametrize("shell", SHELLS)
def test_retry_script_gives_up_with_the_last_code(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, shell: str
) -> None:
    root = _render(tmp_path, run_envgen, pki)
    result, elapsed = _retry(root, shell, "sh", "-c", "echo run >> runs; exit 7")
    assert result.returncode == 7
    assert (root / "runs").read_text().count("run") == 3  # 1 + network.retries
    assert "giving up" in result.stderr
    assert 0.3 <= elapsed < 20
    again, _ = _retry(root, shell, "--attempts", "1", "--", "sh", "-c", "exit 4")
    assert again.returncode == 4 and again.stderr.count("exited with 4") == 1
    usage, _ = _retry(root, shell)
    assert usage.returncode == 2 and "usage:" in usage.stderr


@pytest.mark.parametrize("shell", SHELLS)
def test_retry_script_passes_arguments_untouched(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki, shell: str
) -> None:
    root = _render(tmp_path, run_envgen, pki)
    args = ["a b", "$HOME", "*", "q'uote", 'd"q', "", "-x", "--", "`id`", "$(id)"]
    result, _ = _retry(root, shell, "printf", "%s|", *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "".join(f"{a}|" for a in args)


# --- Go: HTTP/1.1 through the environment, GOPROXY fallback, GOFLAGS --------------------------

_GO_GET = """package main

import (
\t"fmt"
\t"net/http"
\t"os"
)

func main() {
\tresp, err := http.Get(os.Args[1])
\tif err != nil {
\t\tfmt.Println("error:", err)
\t\tos.Exit(1)
\t}
\tfmt.Print(resp.Proto)
}
"""


def test_go_speaks_http1_with_the_envgen_environment(
    tmp_path: Path, run_envgen: RunEnvgen, pki: Pki
) -> None:
    root = _render(tmp_path, run_envgen, pki)
    env_sh = run_envgen("env", "--format", "sh", cwd=root)
    assert env_sh.code == 0
    assert "export GODEBUG='http2client=0'" in env_sh.out
    prog = tmp_path / "get"
    (prog / "main.go").parent.mkdir()
    (prog / "main.go").write_text(_GO_GET)
    (prog / "go.mod").write_text("module get\n\ngo 1.21\n")
    env = go_env(tmp_path)
    subprocess.run(
        [need_tool("go"), "build", "-o", str(tmp_path / "get-bin"), "."],
        cwd=prog,
        env=env,
        check=True,
        timeout=300,
    )
    (tmp_path / "env.sh").write_text(env_sh.out)

    def get(url: str, before: str = "") -> subprocess.CompletedProcess[str]:
        """The Go program under the sourced `envgen env`, after `before` (a shell command)."""
        script = (
            f". {shlex.quote(str(tmp_path / 'env.sh'))}; {before}exec {tmp_path / 'get-bin'} {url}"
        )
        return subprocess.run(
            ["sh", "-c", script], env=clean_env(_home(tmp_path)),
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip

    with h2_server(pki) as port:
        url = f"https://127.0.0.1:{port}/"
        with_env = get(url)
        without = get(url, before="unset GODEBUG; ")
    assert with_env.stdout == "HTTP/1.1", with_env.stdout + with_env.stderr
    assert without.stdout == "HTTP/2.0", (
        "SSL_CERT_FILE from envgen env made Go trust the CA; h2 without GODEBUG"
    )


MODULE = "example.com/m"
VERSION = "v1.0.0"


def _module_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{MODULE}@{VERSION}/go.mod", f"module {MODULE}\n\ngo 1.21\n")
        archive.writestr(f"{MODULE}@{VERSION}/m.go", "package m\n\nconst Answer = 42\n")
    return buffer.getvalue()


ZIP = _module_zip()


def _goproxy(path: str) -> tuple[str, bytes]:
    prefix = f"/{MODULE}/@v/"
    name = path.removeprefix(prefix)
    if name == "list":
        return "text/plain", f"{VERSION}\n".encode()
    if name == f"{VERSION}.info":
        return "application/json", json.dumps(
            {"Version": VERSION, "Time": "2024-01-01T00:00:00Z"}
        ).encode()
    if name == f"{VERSION}.mod":
        return "text/plain", f"module {MODULE}\n\ngo 1.21\n".encode()
    if name == f"{VERSION}.zip":
        return "application/zip", ZIP
    return "text/plain", b""


def _go_policy(
    tmp_path: Path, run_envgen: RunEnvgen, proxies: list[str], fallback: str, extra: str = ""
) -> Path:
    policy = (
        "version: 1\nregistries:\n  go:\n"
        f"    proxy: [{', '.join(proxies)}]\n    fallback: {fallback}\n{extra}"
        "targets:\n  go: go.env\n"
    )
    root = write_tree(tmp_path / "gorepo", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=root).code == 0
    return root


def _go_download(
    root: Path, tmp_path: Path, cache: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    env = go_env(tmp_path)
    env.update({"GOENV": str(root / "go.env"), "GOMODCACHE": str(cache), "GOSUMDB": "off", **extra})
    return subprocess.run(
        [need_tool("go"), "mod", "download", "-json", f"{MODULE}@{VERSION}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


@pytest.mark.parametrize(("fallback", "ok"), [("on-error", True), ("on-not-found", False)])
def test_goproxy_falls_back_after_a_reset(
    tmp_path: Path, run_envgen: RunEnvgen, fallback: str, ok: bool
) -> None:
    with (
        fault_server("reset", fail=999) as first,
        fault_server("503", fail=0, body=_goproxy) as second,
    ):
        proxies = [f"http://127.0.0.1:{first.port}", f"http://127.0.0.1:{second.port}"]
        root = _go_policy(tmp_path, run_envgen, proxies, fallback)
        sep = "|" if fallback == "on-error" else ","
        assert f"GOPROXY={sep.join(proxies)}" in (root / "go.env").read_text()
        result = _go_download(root, tmp_path, tmp_path / "modcache")
    assert (result.returncode == 0) is ok, result.stdout + result.stderr
    assert first.requests, "the first proxy was asked first"
    assert bool(second.requests) is ok


def test_modcacherw_leaves_the_module_cache_removable(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    """With caches.go, go.env's GOFLAGS has -modcacherw: the cache git clean must delete is
    writable (go makes it read-only otherwise, and a non-root CI user then cannot clean it)."""
    with fault_server("503", fail=0, body=_goproxy) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        root = _go_policy(tmp_path, run_envgen, [url], "on-error", "caches:\n  go: true\n")
        assert "GOFLAGS=-modcacherw\n" in (root / "go.env").read_text()
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        cache = root / ".cache/go/mod"
        result = _go_download(root, tmp_path, cache)
        assert result.returncode == 0, result.stderr
        # -modcacherw leaves the extracted directories writable (their files stay read-only,
        # which does not stop their removal); without it go makes them read-only.
        assert (cache / f"{MODULE}@{VERSION}").stat().st_mode & 0o200
        other = tmp_path / "readonly-cache"
        # An environment GOFLAGS replaces go.env's whole value: -modcacherw is then gone.
        plain = _go_download(root, tmp_path, other, GOFLAGS="-mod=mod")
        assert plain.returncode == 0
        assert not (other / f"{MODULE}@{VERSION}").stat().st_mode & 0o222
    subprocess.run(["git", "-C", str(root), "clean", "-ffdxq"], check=True)
    assert not (root / ".cache").exists()


def test_a_vendored_module_builds_offline_with_the_rendered_go_env(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    root = _go_policy(tmp_path, run_envgen, ["off"], "on-error")
    assert "GOFLAGS" not in (root / "go.env").read_text(), (
        "no -mod forced without registries.go.mod"
    )
    app = write_tree(tmp_path / "app", {
        "go.mod": f"module app\n\ngo 1.21\n\nrequire {MODULE} {VERSION}\n",
        "main.go": f'package main\n\nimport "{MODULE}"\n\nfunc main() {{ println(m.Answer) }}\n',
        f"vendor/{MODULE}/m.go": "package m\n\nconst Answer = 42\n",
        "vendor/modules.txt": f"# {MODULE} {VERSION}\n## explicit; go 1.21\n{MODULE}\n",
    })  # fmt: skip
    env = go_env(tmp_path)
    env["GOENV"] = str(root / "go.env")
    build = subprocess.run(
        [need_tool("go"), "build", "./..."],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    forced = subprocess.run(
        [need_tool("go"), "build", "./..."],
        cwd=app,
        env={**env, "GOFLAGS": "-mod=readonly"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert forced.returncode != 0, "v1's forced -mod=readonly broke vendored builds"


# --- buildkitd.toml ---------------------------------------------------------------------------


def test_buildkitd_toml_keys_are_buildkits(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    keys = json.loads((REPO / "tests/reference/buildkitd-keys.json").read_text("utf-8"))
    policy = (
        "version: 1\nnetwork: {ca_file: /etc/ssl/corp.pem}\n"
        "registries:\n  docker:\n    mirrors: [https://mirror.gcr.io, http://mirror.local:5000/hub]\n"
        "    insecure: [registry.local:5000, 10.0.0.0/8]\n"
        "targets:\n  buildkit: buildkitd.toml\n"
    )
    root = write_tree(tmp_path / "repo", {"envgen.yaml": policy})
    result = run_envgen("render", cwd=root)
    assert result.code == 0, result.err
    assert "10.0.0.0/8 cannot be written" in result.err
    data = tomllib.loads((root / "buildkitd.toml").read_text())
    assert set(data) <= set(keys["tables"][""])
    for host, table in data["registry"].items():
        assert set(table) <= set(keys["tables"]["registry.*"]), host
    assert data["registry"]["docker.io"]["mirrors"] == ["mirror.gcr.io", "mirror.local:5000/hub"]
    assert data["registry"]["mirror.local:5000/hub"] == {"http": True, "ca": ["/etc/ssl/corp.pem"]}
    assert data["registry"]["registry.local:5000"] == {
        "http": True,
        "insecure": True,
        "ca": ["/etc/ssl/corp.pem"],
    }
