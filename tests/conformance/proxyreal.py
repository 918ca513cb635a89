"""Ask the real implementations whether they would go direct or through the proxy.

Each function takes cases (environment, private config, URL) and returns, per case, True when
the real code connects directly. Nothing leaves the machine: the in-process libraries are only
asked for their decision, curl is run against two loopback listeners (one posing as the proxy,
and --connect-to sends its direct connections to the other, so it looks no name up), and wget,
which looks names up itself, runs inside a private network namespace (sandboxed.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

from tests.conftest import REPO, need_tool

PROBES = Path(__file__).parent / "probes"
PROXY_PLACEHOLDER = "{PROXY}"
STAND_IN_PROXY = "http://proxy.invalid:3128"


@dataclass(frozen=True)
class Case:
    """One question for one tool."""

    tool: str
    env: Mapping[str, str]
    config: Mapping[str, str]
    url: str


def stand_in(env: Mapping[str, str]) -> dict[str, str]:
    """`env` with the proxy placeholder replaced by a proxy that is never contacted."""
    return {k: v.replace(PROXY_PLACEHOLDER, STAND_IN_PROXY) for k, v in env.items()}


def _clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.lower().endswith("_proxy") and not k.lower().startswith(("npm_config", "go"))
    }
    env.update(extra)
    return env


# --- in-process: Python ----------------------------------------------------------------------


def urllib_direct(cases: list[Case]) -> list[bool]:
    """urllib's ProxyHandler: getproxies_environment, then proxy_bypass on Request.host."""
    out = []
    for case in cases:
        with mock.patch.dict(os.environ, stand_in(case.env), clear=True):
            req = urllib.request.Request(case.url)  # noqa: S310 - never opened
            proxies = urllib.request.getproxies_environment()
            bypass = bool(req.host and urllib.request.proxy_bypass_environment(req.host, proxies))
            out.append(req.type not in proxies or bypass)
    return out


def requests_direct(cases: list[Case], *, vendored: bool = False) -> list[bool]:
    """What a Session does for the URL: it prepares the request first (an internationalised
    host becomes punycode there), then get_environ_proxies and select_proxy on the prepared
    URL (Session.request -> merge_environment_settings; HTTPAdapter.send)."""
    if vendored:
        from pip._vendor.requests import Request, utils
    else:
        from requests import Request, utils
    out = []
    for case in cases:
        url = Request("GET", case.url).prepare().url
        with mock.patch.dict(os.environ, stand_in(case.env), clear=True):
            proxies = utils.get_environ_proxies(url)
            out.append(utils.select_proxy(url, proxies) is None)
    return out


# --- subprocesses: Go, Node, Ruby, Java --------------------------------------------------------


def go_direct(cases: list[Case], workdir: Path, go: str | None = None) -> list[bool]:
    """net/http.ProxyFromEnvironment in a tiny Go program, one run per environment, built by
    `go` (default: the go on PATH)."""
    go = go or need_tool("go")
    binary = workdir / "goproxy"
    if not binary.exists():
        env = _clean_env(
            {
                "GOCACHE": str(workdir / "gocache"),
                "GOPATH": str(workdir / "gopath"),
                "HOME": str(workdir),
                "GOTOOLCHAIN": "local",
                "GOFLAGS": "",
                "GO111MODULE": "off",
            }
        )
        subprocess.run(
            [go, "build", "-o", str(binary), str(PROBES / "goproxy.go")],
            env=env,
            check=True,
            capture_output=True,
            cwd=workdir,
        )
    out: dict[int, bool] = {}
    groups: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for i, case in enumerate(cases):
        groups.setdefault(tuple(sorted(stand_in(case.env).items())), []).append(i)
    for env_items, indexes in groups.items():
        proc = subprocess.run(
            [str(binary), *(cases[i].url for i in indexes)],
            env=_clean_env(dict(env_items)),
            check=True,
            capture_output=True,
            text=True,
        )
        lines = proc.stdout.splitlines()
        assert len(lines) == len(indexes), proc.stdout
        for i, line in zip(indexes, lines, strict=True):
            assert not line.startswith("ERROR"), line
            out[i] = line == "DIRECT"
    return [out[i] for i in range(len(cases))]


def node_modules(workdir: Path | None = None) -> Path:
    """proxy-from-env, undici and gitlab-ci-local, installed from the npm registry at pinned
    versions (probes/package-lock.json) into .cache/node-probes/<lock hash>, once."""
    del workdir  # kept for callers; the install is shared across sessions
    npm = need_tool("npm")
    lock = (PROBES / "package-lock.json").read_bytes()
    target = REPO / ".cache" / "node-probes" / hashlib.sha256(lock).hexdigest()[:12]
    if not (target / "node_modules" / ".package-lock.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROBES / "package.json", target / "package.json")
        (target / "package-lock.json").write_bytes(lock)
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=target,
            check=True,
            capture_output=True,
            env=_clean_env({"HOME": str(target)}),
        )
    return target / "node_modules"


def node_direct(cases: list[Case], workdir: Path) -> list[bool]:
    """npm's @npmcli/agent, proxy-from-env and undici, via probes/nodeproxy.js."""
    node = need_tool("node")
    npm_root = subprocess.run(
        [need_tool("npm"), "root", "-g"], capture_output=True, text=True, check=True
    ).stdout.strip()
    modules = node_modules(workdir)
    payload = [
        {"tool": c.tool, "env": dict(c.env), "config": dict(c.config), "url": c.url} for c in cases
    ]
    proc = subprocess.run(
        [node, str(PROBES / "nodeproxy.js"), npm_root, str(modules)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        env=_clean_env({}),
    )
    results = json.loads(proc.stdout)
    assert not [r for r in results if r and r.startswith(("unclear", "unknown"))], results
    return [r is None for r in results]


def ascii_url(url: str) -> str:
    """`url` with an internationalised host in punycode."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii():
        return url
    netloc = parts.netloc.replace(parts.netloc.rsplit("@", 1)[-1].split(":")[0],
                                  host.encode("idna").decode("ascii"))  # fmt: skip
    return urlunsplit(parts._replace(netloc=netloc))


def ruby_direct(cases: list[Case]) -> list[bool]:
    """URI::Generic#find_proxy with the case's environment hash. Ruby's URI refuses a
    non-ASCII host (URI::InvalidURIError), so a Ruby program writes it in punycode: that is
    what the probe is given. find_proxy looks the host up (IPSocket.getaddress, to exempt
    loopback), so the probe runs inside a private network namespace (sandboxed.py) where no
    test name resolves, as none does on the Internet, and no query leaves the machine."""
    from tests.conformance.sandboxed import run_inside

    ruby = need_tool("ruby")
    payload = [{"env": stand_in(c.env), "url": ascii_url(c.url)} for c in cases]
    with tempfile.TemporaryDirectory() as tmp:
        cases_file = Path(tmp) / "cases.json"
        cases_file.write_text(json.dumps(payload), encoding="utf-8")
        answer = run_inside([{"argv": [ruby, str(PROBES / "rubyproxy.rb"), str(cases_file)],
                              "env": {}}], [])[0]  # fmt: skip
    assert answer["stdout"], answer["stderr"][-2000:]
    return [r is None for r in json.loads(answer["stdout"])]


def java_direct(cases: list[Case]) -> list[bool]:
    """java.net.ProxySelector.getDefault() with http.nonProxyHosts from the case's config."""
    java = need_tool("java")
    need_tool("javac")  # `java File.java` compiles in memory: it needs a JDK, not only a JRE
    # The unit separator between the fields: a nonProxyHosts value may hold a tab.
    lines = "".join(f"{c.config.get('http.nonProxyHosts', '')}\x1f{c.url}\n" for c in cases)
    proc = subprocess.run(
        [java, str(PROBES / "JavaProxy.java")],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
        env=_clean_env({}),
    )
    out = proc.stdout.splitlines()
    assert len(out) == len(cases), proc.stdout + proc.stderr
    return [line == "DIRECT" for line in out]


# --- real network clients: curl and wget against loopback listeners ---------------------------


class _Listener:
    """A loopback TCP listener that counts connections and closes each at once."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                if self.closed:
                    return
                continue  # a client that gave up before accept(): keep serving
            with self._lock:
                self.hits += 1
            # One thread per connection: a slow client never delays the next accept().
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    @staticmethod
    def _answer(conn: socket.socket) -> None:
        try:
            conn.settimeout(2)
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            pass
        finally:
            conn.close()

    def count(self) -> int:
        with self._lock:
            return self.hits

    def close(self) -> None:
        self.closed = True
        self.sock.close()


@contextmanager
def listeners() -> Iterator[tuple[_Listener, _Listener]]:
    """(proxy, direct) loopback listeners."""
    proxy, direct = _Listener(), _Listener()
    try:
        yield proxy, direct
    finally:
        proxy.close()
        direct.close()


def _client_direct(cases: list[Case], argv: list[str], *, connect_to: bool) -> list[bool]:
    """Run a client per case; True where it did not contact the proxy listener.

    The client's own log decides: curl (-v: "Trying 127.0.0.1:PORT...") names the address it
    connects to before connecting, so the answer never depends on when a listener thread gets
    to accept(). With `connect_to`, direct connections are sent to a second listener, so
    exactly one of the two ports must be named; without it the proxy listener's count decides.
    """
    out = []
    with listeners() as (proxy, direct), tempfile.TemporaryDirectory() as home:
        proxy_url = f"http://127.0.0.1:{proxy.port}"
        for case in cases:
            env = _clean_env(
                {k: v.replace(PROXY_PLACEHOLDER, proxy_url) for k, v in case.env.items()}
            )
            env["HOME"] = str(home)
            env["LC_ALL"] = "C.UTF-8"  # a UTF-8 locale: curl and wget convert an IDN host (IRI)
            extra = ["--connect-to", f"::127.0.0.1:{direct.port}"] if connect_to else []
            before_p = proxy.count()
            # The exit status means nothing here (the listeners refuse every request);
            # where the client connected is the answer.
            done = subprocess.run(
                [*argv, *extra, case.url],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            to_proxy = f"127.0.0.1:{proxy.port}..." in done.stderr
            if connect_to:
                to_direct = f"127.0.0.1:{direct.port}..." in done.stderr
                assert to_proxy != to_direct, f"{case}\n{done.stderr}"
            went_proxy = to_proxy or proxy.count() > before_p
            out.append(not went_proxy)
    return out


def curl_direct(cases: list[Case]) -> list[bool]:
    """Real curl; direct connections are pointed at a second listener with --connect-to."""
    curl = need_tool("curl")
    argv = [curl, "-q", "-s", "-v", "-k", "-o", "/dev/null", "--max-time", "15"]
    return _client_direct(cases, argv, connect_to=True)


def wget_direct(cases: list[Case]) -> list[bool]:
    """Real wget, inside a private network namespace (tests/conformance/sandboxed.py): wget
    looks names up itself when it goes direct, and there every name is the loopback's. Its
    own "Connecting to ...:PORT..." line says whether it went to the proxy's port."""
    from tests.conformance.sandboxed import PROXY, PROXY_PORT, run_inside

    wget = need_tool("wget")
    argv = [wget, "-O", "/dev/null", "--tries=1", "--timeout=5", "--no-check-certificate",
            "--no-config"]  # fmt: skip
    runs = [
        {
            "argv": [*argv, case.url],
            # a UTF-8 locale: wget converts an internationalised host (IRI), as curl does
            "env": {
                **{k: v.replace(PROXY_PLACEHOLDER, PROXY) for k, v in case.env.items()},
                "LC_ALL": "C.UTF-8",
            },
        }
        for case in cases
    ]
    answers = run_inside(runs, [case.url for case in cases])
    return [f":{PROXY_PORT}..." not in answer["stderr"] for answer in answers]
