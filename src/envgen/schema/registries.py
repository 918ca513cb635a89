"""Policy section `registries`: where npm, pip, Go and Docker fetch packages and images."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from envgen.schema.fields import After, Field, JsonSchema, fail
from envgen.schema.model import Section
from envgen.schema.types import EnvRef, HostPattern, RegistryUrl, Text
from envgen.secrets import credential_param

_SCOPE = re.compile(r"^@[a-z0-9][a-z0-9._~-]*$")


def _scope(value: str) -> str:
    if not _SCOPE.match(value):
        raise fail("an npm scope is '@' followed by a lowercase name, e.g. '@acme'")
    return value


NpmScopeName = Annotated[str, After(_scope)]


def _goproxy_entry(value: str) -> str:
    """One GOPROXY list element (go.dev/ref/mod#goproxy-protocol): a URL, direct or off."""
    if value in ("direct", "off"):
        return value
    if any(c.isspace() or c in ",|" for c in value) or not value:
        raise fail(
            "one GOPROXY entry per list item, without ',', '|' or spaces: "
            "registries.go.fallback chooses the separator"
        )
    if "${" in value or "@" in value.split("/", 3)[2 if "://" in value else 0]:
        raise fail(
            "a GOPROXY URL cannot carry credentials (go.env would store them): "
            "use registries.go.auth, delivered at job time"
        )
    parts = urlsplit(value if "://" in value else f"https://{value}")
    if parts.scheme not in ("https", "http", "file"):
        raise fail("a GOPROXY entry is an https://, http:// or file:// URL, 'direct' or 'off'")
    if parts.scheme != "file" and not parts.hostname:
        raise fail("this GOPROXY URL has no host")
    if credential_param(parts.query):
        raise fail(
            "a GOPROXY URL cannot carry credentials in its query (go.env would store them): "
            "use registries.go.auth, delivered at job time"
        )
    return value


GoProxyEntry = Annotated[
    str,
    After(_goproxy_entry),
    JsonSchema({"type": "string", "pattern": r"^[^\s,|]+$"}),
]


def _class_end(pattern: str, i: int) -> int:
    """Index after the '[...]' class starting at `i`, or -1 if Go's path.Match rejects it."""
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    items = 0
    while i < len(pattern):
        if pattern[i] == "]" and items:
            return i + 1
        for _ in range(2):  # a char, then optionally '-' and a char
            if i >= len(pattern) or pattern[i] in "]-":
                return -1
            if pattern[i] == "\\":
                i += 1
                if i >= len(pattern):
                    return -1
            i += 1
            if i < len(pattern) and pattern[i] == "-":
                i += 1
                continue
            break
        items += 1
    return -1


def _glob_is_valid(pattern: str) -> bool:
    """Go's path.Match syntax (checked against Go 1.27): '\\' escapes a character, a
    '[...]' class must close, hold at least one character and have complete ranges."""
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if i + 1 >= len(pattern):
                return False
            i += 2
        elif pattern[i] == "[":
            i = _class_end(pattern, i)
            if i < 0:
                return False
        else:
            i += 1
    return True


def _go_pattern(value: str) -> str:
    if not _glob_is_valid(value):
        raise fail("this is not a valid Go module path glob (path.Match): check '[', ']' and '\\'")
    return value


GoPattern = Annotated[HostPattern, After(_go_pattern)]
"""A GOPRIVATE or GOINSECURE module path prefix glob, such as ``gitlab.corp.example/acme``."""


_TOOLCHAIN = re.compile(
    r"(?:local|auto|path|go1(?:\.\d+){1,2}(?:(?:rc|beta)\d+)?(?:\+(?:auto|path))?)"
)


def _toolchain(value: str) -> str:
    """GOTOOLCHAIN (go.dev/doc/toolchain): local, auto, path, or goVERSION[+auto|+path]."""
    if not _TOOLCHAIN.fullmatch(value):
        raise fail(
            "GOTOOLCHAIN is local, auto, path, or a version such as go1.22.3 (+auto or +path)"
        )
    return value


def _sumdb(value: str) -> str:
    """GOSUMDB: off, a database name (name[+key]) and optionally one URL after a space."""
    if value == "off":
        return value
    parts = value.split(" ")
    if len(parts) > 2 or not parts[0] or any(c in value for c in ",|\t") or "${" in value:
        raise fail("GOSUMDB is 'off' or a database name, optionally followed by one URL")
    if len(parts) == 2:
        url = urlsplit(parts[1])
        if url.scheme not in ("https", "http") or not url.hostname:
            raise fail("the GOSUMDB URL after the name must be an http(s):// URL")
    return value


SumDb = Annotated[Text, After(_sumdb)]


def _mirror(value: str) -> str:
    """moby ValidateMirror: http(s) scheme, no user info, query or fragment."""
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None:
        raise fail("a registry mirror URL cannot carry credentials (dockerd refuses it)")
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise fail("a registry mirror URL cannot have a query or fragment (dockerd refuses it)")
    return value


def _insecure_registry(value: str) -> str:
    """dockerd insecure-registries: host[:port], [v6]:port or a CIDR network, no scheme."""
    if "/" in value:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise fail(
                "an insecure registry is host[:port] or a CIDR network, without a path"
            ) from None
        return value
    host = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    if not host or "*" in host or "?" in host:
        raise fail("an insecure registry is host[:port] or a CIDR network; globs do not match")
    return value


class NpmScope(Section):
    """A registry that serves one npm scope."""

    url: RegistryUrl = Field(description="Registry URL for packages of this scope.")
    token: EnvRef | None = Field(None, description="Auth token for `url`, as ${NAME}.")


class Npm(Section):
    """npm's default registry and scoped registries."""

    url: RegistryUrl | None = Field(None, description="Default registry.")
    token: EnvRef | None = Field(None, description="Auth token for `url`, as ${NAME}.")
    scopes: dict[NpmScopeName, NpmScope] = Field(
        default_factory=dict, description="Scoped registries, keyed by '@scope'."
    )


class PypiIndex(Section):
    """An extra Python package index."""

    url: RegistryUrl = Field(description="Simple index URL.")
    username: Text | None = Field(
        None, description="User name for the token; defaults to __token__ when a token is set."
    )
    token: EnvRef | None = Field(None, description="Password or token, as ${NAME}.")


class Pypi(Section):
    """pip's package indexes."""

    index: RegistryUrl | None = Field(None, description="Primary simple index URL.")
    extra: list[PypiIndex] = Field(default_factory=list, description="Extra indexes.")


def _netrc_host(value: str) -> str:
    if any(c in value for c in "/*?[]") or value.startswith("["):
        raise fail("a credential host is one host name (a ~/.netrc 'machine'), not a path or glob")
    return value


def _netrc_word(value: str) -> str:
    if any(c.isspace() for c in value):
        raise fail("~/.netrc separates words at white space: a user name cannot contain spaces")
    return value


class GoAuth(Section):
    """Credentials for one private Go module host, delivered at job time."""

    host: Annotated[HostPattern, After(_netrc_host)] = Field(
        description="Host the credentials are for."
    )
    username: Annotated[Text, After(_netrc_word)] = Field(
        description="User name (not secret), or ${NAME}."
    )
    token: EnvRef = Field(description="Password or token, as ${NAME}.")


class Go(Section):
    """Go module proxy, private modules and checksum database."""

    proxy: list[GoProxyEntry] = Field(
        default_factory=list, description="GOPROXY entries: URLs, 'direct' or 'off'."
    )
    fallback: Literal["on-error", "on-not-found"] = Field(
        "on-error", description="on-error joins GOPROXY with '|', on-not-found with ','."
    )
    private: list[GoPattern] = Field(
        default_factory=list, description="GOPRIVATE patterns (no proxy, no checksum DB)."
    )
    sumdb: SumDb | None = Field(None, description="GOSUMDB; 'off' needs allow_insecure: true.")
    allow_insecure: bool = Field(False, description="Permit sumdb: off (with a warning).")
    insecure: list[GoPattern] = Field(default_factory=list, description="GOINSECURE patterns.")
    auth: list[GoAuth] = Field(
        default_factory=list, description="Credentials for private module hosts."
    )
    mod: Literal["readonly", "vendor", "mod"] | None = Field(
        None,
        description="GOFLAGS -mod=...; unset, go chooses (vendor/ if it exists, else readonly).",
    )
    toolchain: Annotated[str, After(_toolchain)] | None = Field(
        None,
        description="GOTOOLCHAIN: local, auto, path, or a version such as go1.22.3 (+auto/+path): "
        "so that a go.mod toolchain line never downloads a toolchain unasked.",
    )


class DockerRegistries(Section):
    """Docker Hub mirrors and registries reached without TLS verification."""

    mirrors: list[Annotated[RegistryUrl, After(_mirror)]] = Field(
        default_factory=list, description="registry-mirrors (apply to Docker Hub pulls only)."
    )
    insecure: list[Annotated[HostPattern, After(_insecure_registry)]] = Field(
        default_factory=list, description="insecure-registries (host:port or CIDR)."
    )


class Registries(Section):
    """Package registries and mirrors per ecosystem."""

    npm: Npm | None = Field(None, description="npm registries.")
    pypi: Pypi | None = Field(None, description="Python package indexes.")
    go: Go | None = Field(None, description="Go module proxy settings.")
    docker: DockerRegistries | None = Field(None, description="Docker registry settings.")


__all__ = ["Go", "GoAuth", "Npm", "NpmScope", "Pypi", "PypiIndex", "Registries"]
