"""What every client model shares: the decision it returns and the table entry it is.

A model answers one question for one URL: does this tool connect directly or through a proxy,
which setting did it read, and which NO_PROXY entry matched? Models read an environment
mapping and, for the tools that have one, a private config (npm's `.npmrc` keys, Java's system
properties). They never touch the real process environment and never resolve names: a host is
an IP address only if it is written as one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from envgen.noproxy.rules import parse_address
from envgen.noproxy.urls import Url

Env = Mapping[str, str]
Matcher = Callable[[str, Url], "str | None"]

#: The entry reported when a tool bypasses the proxy for loopback on its own.
LOOPBACK = "(loopback)"


@dataclass(frozen=True)
class Decision:
    """One tool's choice for one URL."""

    proxy: str | None
    rule: str | None
    reason: str
    proxy_setting: str | None = None
    no_proxy_setting: str | None = None

    @property
    def direct(self) -> bool:
        """True when the tool connects to the URL's host itself."""
        return self.proxy is None


@dataclass(frozen=True)
class Model:
    """One tool as `envgen explain` reports it: one row of the one table of tools.

    `dialect` names how envgen writes NO_PROXY for it (`envgen.noproxy.dialects`), `reads`
    says in words which settings it reads (checked against the variables by a test),
    `no_proxy_setting` is the setting its NO_PROXY value is shown under, and `same_as` names
    the tool whose code it shares, and `variables` (for an environment reader) every variable it
    reads; `http2` whether the real client may speak HTTP/2 (negotiated by ALPN) unless told
    otherwise. `decide(env, config, url)` is the transcription of its code.
    """

    name: str
    dialect: str
    reads: str
    no_proxy_setting: str
    decide: Callable[[Env, Env, Url], Decision]
    same_as: str | None = None
    variables: tuple[str, ...] = ()
    http2: bool = False


def first_set(env: Env, names: tuple[str, ...], *, defined: bool) -> tuple[str, str] | None:
    """The first variable of `names` that is set (`defined`) or set and non-empty."""
    for name in names:
        value = env.get(name)
        if value is None or (not defined and value == ""):
            continue
        return name, value
    return None


#: A host as an IP address, or None for a name (the parse every model shares).
ip = parse_address


def resolved_address(url: Url) -> str | None:
    """The address a model resolves the host to: the host itself if it is an address, and
    127.0.0.1 for localhost (Ruby's IPSocket.getaddress; nothing that needs DNS is modelled)."""
    if url.address is not None:
        return str(url.address)
    return "127.0.0.1" if url.hostname == "localhost" else None


@dataclass(frozen=True)
class EnvReader:
    """A tool that takes its proxy from the environment: the variables it reads, in the order
    it prefers them, and how it matches NO_PROXY entries.

    `defined` says whether a variable that is set but empty still wins (curl, urllib, undici,
    Ruby) or is skipped (Go, proxy-from-env).
    """

    name: str
    proxy_vars: Mapping[str, tuple[str, ...]]
    no_proxy_vars: tuple[str, ...]
    matcher: Matcher
    defined: bool = True
    loopback: Callable[[Url], bool] | None = None

    def decide(self, env: Env, url: Url) -> Decision:
        """Direct or through which proxy, reading `env` the way this tool does."""
        chosen = first_set(env, self.proxy_vars[url.scheme], defined=self.defined)
        if chosen is None or chosen[1] == "":
            names = ", ".join(self.proxy_vars[url.scheme])
            return Decision(
                None, None, f"no proxy is set for {url.scheme} ({self.name} reads {names})"
            )
        var, proxy = chosen
        if self.loopback is not None and self.loopback(url):
            return Decision(
                None, LOOPBACK, f"{self.name} never proxies loopback hosts", proxy_setting=var
            )
        no_proxy = first_set(env, self.no_proxy_vars, defined=self.defined)
        if no_proxy is not None and no_proxy[1]:
            entry = self.matcher(no_proxy[1], url)
            if entry is not None:
                return Decision(
                    None,
                    entry,
                    f"{no_proxy[0]} entry {entry!r} matches {url.host}",
                    var,
                    no_proxy[0],
                )
        why = f"no {'/'.join(self.no_proxy_vars)} entry matches {url.host}"
        return Decision(proxy, None, why, var, no_proxy[0] if no_proxy else None)

    def model(
        self, dialect: str, reads: str, same_as: str | None = None, *, http2: bool = False
    ) -> Model:
        """This reader as an entry of the tool table."""
        return Model(
            self.name,
            dialect,
            reads,
            self.no_proxy_vars[0],
            lambda env, _config, url: self.decide(env, url),
            same_as,
            tuple(dict.fromkeys([*sum(self.proxy_vars.values(), ()), *self.no_proxy_vars])),
            http2,
        )
