"""pip: what envgen gives it through `pip.conf` and `PIP_*` (pip docs "Configuration").

Deliberately absent from pip.conf: ``proxy=`` (with it pip >= 24.1 ignores NO_PROXY and sends
every request, internal indexes too, through the proxy: the environment carries the proxy
instead), and any credential (pip.conf cannot reference the environment, so an index token
reaches pip at job time through PIP_EXTRA_INDEX_URL, composed by `envgen env` or a CI target's
job-time step). pip's timeout is in seconds.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from envgen.findings import Finding, note, warning
from envgen.schema.policy import Policy
from envgen.schema.registries import Pypi
from envgen.secrets import ENV_REF_ANYWHERE
from envgen.sourcemap import Loc
from envgen.tools import proxyenv
from envgen.tools.base import (
    Credential,
    Pointer,
    Setting,
    Tool,
    ToolCache,
    ToolSettings,
    Topic,
    env_of,
    seconds,
)

CACHE = ToolCache(
    "pip",
    (("PIP_CACHE_DIR", "pip"),),
    ("requirements.txt",),
)

#: pip.conf's key for extra indexes (envgen.adopt reads it back).
EXTRA_INDEX_KEY = "extra-index-url"

#: How an extra index's credential reaches pip.
EXTRA_INDEX_VAR = "PIP_EXTRA_INDEX_URL"


def index_url_with_credentials(url: str, username: str | None, token: str | None) -> str:
    """`url` with user info ``username:${TOKEN}@`` (username defaults to __token__)."""
    if token is None:
        return url
    parts = urlsplit(url)
    user = username if username is not None else "__token__"
    user = user if ENV_REF_ANYWHERE.fullmatch(user) else quote(user, safe="")
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=f"{user}:{token}@{host}").geturl()


#: Hosts pip treats as secure without TLS (pip's SECURE_ORIGINS: localhost, 127.0.0.0/8, ::1).
_LOOPBACK = re.compile(r"^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$")


def _trusted_hosts(pypi: Pypi, out: list[Setting], findings: list[Finding]) -> None:
    """trusted-host for every plain-http index: pip ignores an http index whose host is not
    trusted ("is not a trusted or secure host and is being ignored"; pip's
    network/session.py is_secure_origin), so without it the index silently does nothing."""
    urls: list[tuple[str, Loc]] = []
    if pypi.index:
        urls.append((pypi.index, ("registries", "pypi", "index")))
    urls += [(e.url, ("registries", "pypi", "extra", i, "url")) for i, e in enumerate(pypi.extra)]
    hosts: list[str] = []
    locs: list[Loc] = []
    for url, loc in urls:
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
        if parts.scheme != "http" or _LOOPBACK.match(netloc) or netloc in hosts:
            continue
        hosts.append(netloc)
        locs.append(loc)
        findings.append(
            warning(
                f"{url} is plain HTTP: pip ignores such an index unless its host is trusted, so "
                f"trusted-host lists {netloc} (pip then skips TLS verification for that host "
                "too); nothing but pip's hash checks protects what it downloads from there "
                "(use https if the index offers it)",
                loc,
                code="EG211",
                subject=netloc,
            )
        )
    if hosts:
        out.append(
            Setting(
                "trusted-host",
                tuple(hosts),
                locs[0],
                env="PIP_TRUSTED_HOST",
                item_locs=tuple(locs),
            )
        )


def settings(policy: Policy) -> ToolSettings:
    """pip's [global] settings: indexes, timeout, retries, cert."""
    out: list[Setting] = []
    creds: list[Credential] = []
    findings: list[Finding] = []
    pypi = policy.registries.pypi
    base: Loc = ("registries", "pypi")
    if pypi is None:
        findings.append(note("no registries.pypi: pip keeps its default index"))
    else:
        if pypi.index is not None:
            out.append(Setting("index-url", pypi.index, (*base, "index"), env="PIP_INDEX_URL"))
        if pypi.extra:
            urls = tuple(e.url for e in pypi.extra)
            composed = [index_url_with_credentials(e.url, e.username, e.token) for e in pypi.extra]
            out.append(
                Setting(
                    EXTRA_INDEX_KEY,
                    urls,
                    (*base, "extra"),
                    env=EXTRA_INDEX_VAR,
                    env_value=" ".join(composed),
                    item_locs=tuple((*base, "extra", i, "url") for i in range(len(urls))),
                )
            )
        _trusted_hosts(pypi, out, findings)
        via = f"{EXTRA_INDEX_VAR}, composed at job time (envgen env / CI targets)"
        for i, extra in enumerate(pypi.extra):
            if extra.token is None:
                continue
            loc: Loc = (*base, "extra", i, "token")
            creds.append(Credential(extra.token, extra.url, via, EXTRA_INDEX_VAR, loc))
            findings.append(
                warning(
                    f"pip.conf cannot reference {extra.token}; the credential for {extra.url} "
                    f"must reach pip at job time, through {EXTRA_INDEX_VAR} "
                    "(https://__token__:${TOKEN}@host/...) or a ~/.netrc entry, never through "
                    "this file",
                    loc,
                    code="EG205",
                    subject=extra.token,
                )
            )
    net = policy.network
    out.append(
        Setting(
            "timeout",
            seconds(net.timeout),
            ("network", "timeout"),
            env="PIP_TIMEOUT",
            unit="s",
            topic=Topic.TIMEOUT,
        )
    )
    out.append(
        Setting(
            "retries",
            str(net.retries),
            ("network", "retries"),
            env="PIP_RETRIES",
            topic=Topic.RETRY,
        )
    )
    if net.ca_file is not None:
        out.append(
            Setting("cert", net.ca_file, ("network", "ca_file"), env="PIP_CERT", topic=Topic.CA)
        )
        findings.append(
            warning(
                f"cert replaces pip's CA list: outside CI pip trusts only {net.ca_file} "
                "(the CI targets build a bundle with the system roots)",
                ("network", "ca_file"),
                code="EG204",
                subject=net.ca_file,
            )
        )
    if proxyenv.has_proxy(policy):
        findings.append(
            note(
                "pip.conf gets no proxy= key (with it pip >= 24.1 ignores NO_PROXY); pip takes "
                "HTTP(S)_PROXY and NO_PROXY from the environment instead",
                ("proxy",),
            )
        )
    return ToolSettings("pip", tuple(out), env_of(out), None, tuple(creds), tuple(findings))


#: pip loads PIP_CONFIG_FILE last, and skips the user's file when it is set (pip's
#: configuration.py, `should_load_user_config`; seen with pip 23.0, 23.2 and 26.3): the global
#: /etc/xdg/pip and the site (virtualenv) files stay.
POINTER = Pointer(
    "pip",
    "PIP_CONFIG_FILE",
    hides="your own ~/.config/pip/pip.conf and ~/.pip/pip.conf (pip skips the user file)",
)

TOOL = Tool("pip", settings, shown_in=("pip",), credentials_for=("pip",), pointers=(POINTER,))
