"""Policy section `registries`: where npm, pip, Go and Docker fetch packages and images."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from envgen.schema.base import Section
from envgen.schema.types import EnvRef, HostPattern, RegistryUrl, Text, fail

_SCOPE = re.compile(r"^@[a-z0-9][a-z0-9._~-]*$")


def _scope(value: str) -> str:
    if not _SCOPE.match(value):
        raise fail("an npm scope is '@' followed by a lowercase name, e.g. '@acme'")
    return value


NpmScopeName = Annotated[str, AfterValidator(_scope)]


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


class GoAuth(Section):
    """Credentials for one private Go module host, delivered at job time."""

    host: HostPattern = Field(description="Host the credentials are for.")
    username: Text = Field(description="User name (not secret), or ${NAME}.")
    token: EnvRef = Field(description="Password or token, as ${NAME}.")


class Go(Section):
    """Go module proxy, private modules and checksum database."""

    proxy: list[Text] = Field(
        default_factory=list, description="GOPROXY entries: URLs, 'direct' or 'off'."
    )
    fallback: Literal["on-error", "on-not-found"] = Field(
        "on-error", description="on-error joins GOPROXY with '|', on-not-found with ','."
    )
    private: list[HostPattern] = Field(
        default_factory=list, description="GOPRIVATE patterns (no proxy, no checksum DB)."
    )
    sumdb: Text | None = Field(None, description="GOSUMDB; 'off' needs allow_insecure: true.")
    allow_insecure: bool = Field(False, description="Permit sumdb: off (with a warning).")
    insecure: list[HostPattern] = Field(default_factory=list, description="GOINSECURE patterns.")
    auth: list[GoAuth] = Field(
        default_factory=list, description="Credentials for private module hosts."
    )


class DockerRegistries(Section):
    """Docker Hub mirrors and registries reached without TLS verification."""

    mirrors: list[RegistryUrl] = Field(
        default_factory=list, description="registry-mirrors (apply to Docker Hub pulls only)."
    )
    insecure: list[HostPattern] = Field(
        default_factory=list, description="insecure-registries (host:port or CIDR)."
    )


class Registries(Section):
    """Package registries and mirrors per ecosystem."""

    npm: Npm | None = Field(None, description="npm registries.")
    pypi: Pypi | None = Field(None, description="Python package indexes.")
    go: Go | None = Field(None, description="Go module proxy settings.")
    docker: DockerRegistries | None = Field(None, description="Docker registry settings.")


__all__ = ["Go", "GoAuth", "Npm", "NpmScope", "Pypi", "PypiIndex", "Registries"]
