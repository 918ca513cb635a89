"""Request URLs as the proxy-decision code of the tools sees them."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import cached_property

from envgen.noproxy.rules import parse_address
from envgen.secrets import excerpt

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Url:
    """A request URL as the proxy-decision code of the tools sees it.

    Tools look at different parts: `hostname` (lowercase, punycode, no brackets, a trailing
    dot kept as written; `name` is without it), the
    bracketed `host` a browser-style URL parser keeps, the port as spelled in the URL or the
    scheme's default, or the whole `netloc` with any user info (Python's urllib).
    """

    text: str
    scheme: str
    hostname: str
    port: int | None
    netloc: str

    @property
    def name(self) -> str:
        """The hostname without a trailing dot: the DNS name it stands for."""
        return self.hostname[:-1] if self.hostname.endswith(".") else self.hostname

    @property
    def effective_port(self) -> int:
        """The port a connection goes to: the spelled one or the scheme's default."""
        return self.port if self.port is not None else DEFAULT_PORTS[self.scheme]

    @cached_property
    def address(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        """The host as an IP address, or None for a name."""
        return parse_address(self.hostname)

    @property
    def host(self) -> str:
        """The hostname, with brackets around an IPv6 address written canonically (WHATWG
        URL `hostname`)."""
        address = self.address
        if address is not None and address.version == 6:
            return f"[{address.compressed}]"  # a WHATWG parser writes IPv6 canonically
        return self.hostname

    @property
    def bracketed(self) -> str:
        """The hostname as written (lower-cased), IPv6 in brackets: what a parser that does not
        normalise the host hands on (Java's URI, Node's legacy url.parse)."""
        address = self.address
        return (
            f"[{self.hostname}]" if address is not None and address.version == 6 else self.hostname
        )

    @property
    def written(self) -> str:
        """The host exactly as the URL spells it (letter case and Unicode kept, brackets
        dropped): what a tool that neither lower-cases nor converts to punycode compares
        (wget and Java keep an internationalised name as written)."""
        host = self.netloc.rsplit("@", 1)[-1]
        if host.startswith("["):
            return host[1:].partition("]")[0]
        return host.rpartition(":")[0] if ":" in host else host

    @property
    def canonical(self) -> str:
        """The host as a URL parser that normalises it writes it: an IPv6 address compressed
        (curl's and WHATWG's parsers), a name without its trailing dot."""
        address = self.address
        return address.compressed if address is not None and address.version == 6 else self.name


_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*):[^/@]*@")


def redact_url(text: str) -> str:
    """`text` with any password in its user info replaced by ``***`` (for messages)."""
    return _USERINFO.sub(r"\1:***@", text)


def parse_url(text: str) -> Url:
    """Parse an http(s) URL; raise ValueError with a one-sentence reason if it is not one.

    Messages never repeat a password the URL may carry.
    """
    from urllib.parse import urlsplit

    shown = redact_url(text.strip())
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{excerpt(shown)} is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"{excerpt(shown)}: only http:// and https:// URLs can be explained")
    if not parts.hostname:
        raise ValueError(f"{excerpt(shown)} has no host")
    # A trailing dot stays: most tools compare the host as written (`a.example.` is not
    # `a.example` to them; tests/conformance), curl strips it, and the canonical coverage does.
    hostname = parts.hostname
    if not hostname.isascii():
        try:
            hostname = hostname.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{excerpt(shown)} has an invalid host name") from None
    # An IPv6 address stays as written (lower-cased): tools that compare text see
    # `2001:db8:0::1`, not `2001:db8::1`; those that parse addresses use `address`.
    return Url(text.strip(), scheme, hostname.lower(), port, parts.netloc)
