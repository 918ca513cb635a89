"""The loopback fakes `envgen doctor` runs tools against: a recording proxy and origin.

Both accept a connection, read the request's head (an HTTP request line and headers, or the
first TLS record with its server name), write down what arrived, answer with an error and
close: the question is only where a tool connected and what it sent, never what it received.
A proxy sees `CONNECT host:port` (HTTPS through the proxy) or an absolute-form request (HTTP
through the proxy) and Proxy-Authorization; an origin sees a direct connection, with the Host
header or the TLS server name. Credentials are recognised by the sentinel values `envgen
doctor` gives every `${NAME}` reference (never a real secret): the record holds the NAME.
Standard library only: this runs inside the sandbox.
"""

from __future__ import annotations

import base64
import re
import socket
import threading
from dataclasses import asdict, dataclass, field

#: The value `envgen doctor` gives the reference ${NAME}: letters, digits and dashes, so that
#: it survives a URL's userinfo, an .npmrc and an HTTP header unchanged.
SENTINEL_PREFIX = "envgen-doctor-"
_SENTINEL = re.compile(re.escape(SENTINEL_PREFIX) + r"([A-Za-z0-9_]+)-x")
HEAD_LIMIT = 65536
READ_SECONDS = 3.0


def sentinel(name: str) -> str:
    """The stand-in value of the credential reference ${name}."""
    return f"{SENTINEL_PREFIX}{name}-x"


@dataclass
class Event:
    """One connection a fake received."""

    listener: str  # "proxy" or "origin"
    port: int
    request: str  # "CONNECT host:443", "GET http://host/path", "GET /path", "TLS"
    host: str  # the host the tool asked for (CONNECT target, absolute URL, Host or SNI)
    credentials: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _server_name(hello: bytes) -> str:
    """The SNI host name of a TLS ClientHello record, or "" (RFC 8446 4.1.2, RFC 6066 3)."""
    try:
        pos = 5 + 4 + 2 + 32  # record header, handshake header, version, random
        pos += 1 + hello[pos]  # session id
        pos += 2 + int.from_bytes(hello[pos : pos + 2], "big")  # cipher suites
        pos += 1 + hello[pos]  # compression methods
        end = pos + 2 + int.from_bytes(hello[pos : pos + 2], "big")
        pos += 2
        while pos + 4 <= end:
            kind = int.from_bytes(hello[pos : pos + 2], "big")
            size = int.from_bytes(hello[pos + 2 : pos + 4], "big")
            if kind == 0:  # server_name: list length, type 0, name length, name
                length = int.from_bytes(hello[pos + 7 : pos + 9], "big")
                return hello[pos + 9 : pos + 9 + length].decode("ascii", "replace")
            pos += 4 + size
    except IndexError:
        return ""
    return ""


def _credentials(header_values: list[str]) -> list[str]:
    """The reference names whose sentinel appears in these header values (Basic decoded)."""
    texts = list(header_values)
    for value in header_values:
        scheme, _, token = value.partition(" ")
        if scheme.lower() == "basic":
            try:
                texts.append(base64.b64decode(token.strip(), validate=False).decode("latin-1"))
            except ValueError:
                continue
    return sorted({m.group(1) for text in texts for m in _SENTINEL.finditer(text)})


def parse_head(listener: str, port: int, head: bytes) -> Event:
    """What one connection's first bytes say."""
    if head[:1] == b"\x16":
        return Event(listener, port, "TLS", _server_name(head))
    text = head.decode("latin-1")
    lines = text.split("\r\n")
    method, _, rest = lines[0].partition(" ")
    target = rest.rpartition(" ")[0] or rest
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    if method == "CONNECT":
        host = target.rsplit(":", 1)[0].strip("[]")
    elif "://" in target:
        host = target.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
        host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        host = host.strip("[]")
    else:
        host = (headers.get("host") or [""])[0].rsplit(":", 1)[0].strip("[]")
    secrets = headers.get("proxy-authorization", []) + headers.get("authorization", [])
    return Event(listener, port, f"{method} {target}".strip(), host, _credentials(secrets))


class Recorder:
    """Listeners on the loopback that record every connection, until `close`."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = threading.Event()

    def listen(self, listener: str, port: int) -> None:
        """Accept connections on `port` of every local address (IPv6 and IPv4 where it can)."""
        try:
            sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("::", port))
        except OSError:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("0.0.0.0", port))  # noqa: S104 - inside a network namespace of its own
        sock.listen(64)
        self._sockets.append(sock)
        threading.Thread(target=self._accept, args=(sock, listener, port), daemon=True).start()

    def _accept(self, sock: socket.socket, listener: str, port: int) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, listener, port), daemon=True).start()

    def _serve(self, conn: socket.socket, listener: str, port: int) -> None:
        with conn:
            conn.settimeout(READ_SECONDS)
            head = b""
            try:
                while len(head) < HEAD_LIMIT and b"\r\n\r\n" not in head:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                    if head[:1] == b"\x16" and len(head) >= 5 + int.from_bytes(head[3:5], "big"):
                        break  # a whole TLS record: the ClientHello
            except OSError:
                pass
            if not head:
                return
            event = parse_head(listener, port, head)
            with self._lock:
                self.events.append(event)
            if event.request != "TLS":
                answer = b"502 Bad Gateway" if listener == "proxy" else b"404 Not Found"
                reply = (
                    b"HTTP/1.1 " + answer + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                try:
                    conn.sendall(reply)
                except OSError:
                    return

    def take(self) -> list[Event]:
        """The events so far, forgetting them."""
        with self._lock:
            events, self.events = self.events, []
        return events

    def close(self) -> None:
        self._closed.set()
        for sock in self._sockets:
            sock.close()
