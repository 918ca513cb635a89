"""Policy sections `proxy` and `network`: how every tool reaches the outside."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from envgen.schema.fields import Before, Field
from envgen.schema.model import Section
from envgen.schema.types import AbsolutePath, Duration, NoProxyRule, ProxyUrl


class Proxy(Section):
    """Proxies for HTTP and HTTPS traffic and the hosts that bypass them."""

    http: ProxyUrl | None = Field(None, description="Proxy URL for http:// traffic.")
    https: ProxyUrl | None = Field(
        None, description="Proxy URL for https:// traffic; defaults to `http`."
    )
    no_proxy: list[NoProxyRule] = Field(
        default_factory=list,
        description="Hosts, domains (with their subdomains), addresses and CIDR networks that "
        "bypass the proxy; translated into each tool's dialect. localhost, 127.0.0.1 and ::1 are "
        "always added.",
    )

    @property
    def effective_https(self) -> str | None:
        """The https proxy, falling back to the http one as docs/contract.md says."""
        return self.https or self.http


class Backoff(Section):
    """Exponential back-off between retries."""

    min: Duration = Field(1000, description="Wait before the first retry.")
    max: Duration = Field(30_000, description="Longest wait between retries.")
    factor: float = Field(2, ge=1, le=100, description="Multiplier applied after each retry.")


def _http_version(value: Any) -> Any:
    # YAML reads an unquoted 1.1 as a float; accept it as the string it was meant to be.
    return "1.1" if value == 1.1 and not isinstance(value, bool) else value


class Network(Section):
    """Timeouts, retries and TLS shared by every tool."""

    http_version: Annotated[Literal["auto", "1.1"], Before(_http_version)] = Field(
        "auto", description='"1.1" forces HTTP/1.1 where a tool allows it (git, curl).'
    )
    connect_timeout: Duration = Field(10_000, description="Connection timeout.")
    timeout: Duration = Field(60_000, description="Per-request / idle-read timeout.")
    retries: int = Field(3, ge=0, le=10, description="Extra attempts after the first, 0..10.")
    backoff: Backoff = Field(default_factory=Backoff, description="Back-off between retries.")
    ca_file: AbsolutePath | None = Field(
        None, description="Extra CA bundle (absolute path on the machine running the tools)."
    )
