"""Loopback servers that fail on purpose, and a throwaway CA: the faults policy v1.1 is for.

Every server listens on 127.0.0.1 only, on a port the kernel picks, and stops with its fixture.
A `FaultServer` answers its first `fail` requests with a fault (a 503, or a connection reset by
closing the socket with SO_LINGER 0) and the rest with `body`; it counts every request.
"""

from __future__ import annotations

import socket
import struct
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import need_tool


@dataclass
class FaultServer:
    """A loopback HTTP server that fails its first `fail` requests with `fault`."""

    fault: str
    fail: int
    body: Callable[[str], tuple[str, bytes]] = lambda _path: ("text/plain", b"ok\n")
    requests: list[str] = field(default_factory=list)
    port: int = 0


@contextmanager
def fault_server(
    fault: str, fail: int, body: Callable[[str], tuple[str, bytes]] | None = None
) -> Iterator[FaultServer]:
    state = FaultServer(fault, fail)
    if body is not None:
        state.body = body
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with lock:
                state.requests.append(self.path)
                failing = len(state.requests) <= state.fail
            if failing and state.fault == "reset":
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True
                return
            if failing:
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                return
            kind, data = state.body(self.path)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Pki:
    """A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost."""

    ca: Path
    cert: Path
    key: Path


def make_pki(directory: Path) -> Pki:
    """Create the CA and server certificate with the real openssl (no network, one minute)."""
    openssl = need_tool("openssl")
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (
        directory / name for name in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem")
    )
    ext = directory / "san.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")

    def run(*argv: str) -> None:
        subprocess.run([openssl, *argv], check=True, capture_output=True, timeout=120)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca),
        "-days",
        "2",
        "-subj",
        "/CN=envgen test CA",
    )
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(key),
        "-out",
        str(csr),
        "-subj",
        "/CN=127.0.0.1",
    )
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
        "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext))  # fmt: skip
    return Pki(ca, cert, key)


_H2_SERVER = """
const http2 = require('http2');
const fs = require('fs');
const server = http2.createSecureServer(
  {key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]),
   allowHTTP1: true},
  (req, res) => { res.end(req.httpVersion); });
server.listen(0, '127.0.0.1', () => { console.log(server.address().port); });
setTimeout(() => process.exit(0), 120000).unref();
"""


@contextmanager
def h2_server(pki: Pki) -> Iterator[int]:
    """A loopback TLS server offering h2 and http/1.1 that answers with the version it spoke."""
    node = need_tool("node")
    proc = subprocess.Popen(
        [node, "-e", _H2_SERVER, str(pki.key), str(pki.cert)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.isdigit(), proc.stderr.read() if proc.stderr else line
        yield int(line)
    finally:
        proc.kill()
        proc.communicate(timeout=10)  # reaps the process and closes its pipes
