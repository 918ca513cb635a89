"""Target `pip`: a `pip.conf` (pip.ini on Windows) read through PIP_CONFIG_FILE or the usual places.

Format: configparser.RawConfigParser as pip uses it (TARGETS.md section 2; pip docs
"Configuration"). Reads: registries.pypi (index-url, extra-index-url), network (timeout in
seconds, retries, cert).

Deliberately absent: ``proxy=`` (with it pip >= 24.1 ignores NO_PROXY and sends every request,
internal indexes too, through the proxy: the environment carries the proxy instead), and any
credential (pip.conf cannot reference the environment: tokens reach pip at job time).
"""

from __future__ import annotations

from envgen._jinja import render_template
from envgen.encoders import ini_value
from envgen.environment import seconds
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.sourcemap import Loc

NAME = "pip"
DEFAULT_PATH = "pip.conf"
SUMMARY = "pip config: index-url, extra-index-url, timeout, retries, cert (no proxy, no tokens)"
MODE = 0o644


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the [global] section of pip.conf."""
    entries: list[tuple[str, list[str]]] = []
    pypi = policy.registries.pypi
    base: Loc = ("registries", "pypi")
    if pypi is None:
        ctx.note("no registries.pypi: pip keeps its default index")
    else:
        if pypi.index is not None:
            entries.append(("index-url", [ctx.encode(ini_value, pypi.index, (*base, "index"))]))
        extras = [
            ctx.encode(ini_value, e.url, (*base, "extra", i, "url"))
            for i, e in enumerate(pypi.extra)
        ]
        if extras:
            entries.append(("extra-index-url", extras))
        for i, extra in enumerate(pypi.extra):
            if extra.token is not None:
                ctx.warn(
                    f"pip.conf cannot reference {extra.token}; the credential for {extra.url} "
                    "must reach pip at job time, through PIP_EXTRA_INDEX_URL "
                    "(https://__token__:${TOKEN}@host/...) or a ~/.netrc entry, never through "
                    "this file",
                    (*base, "extra", i, "token"),
                )
    net = policy.network
    entries.append(("timeout", [seconds(net.timeout)]))
    entries.append(("retries", [str(net.retries)]))
    if net.ca_file is not None:
        entries.append(("cert", [ctx.encode(ini_value, net.ca_file, ("network", "ca_file"))]))
    if policy.proxy is not None and (policy.proxy.http or policy.proxy.https):
        ctx.note(
            "pip.conf gets no proxy= key (with it pip >= 24.1 ignores NO_PROXY); pip takes "
            "HTTP(S)_PROXY and NO_PROXY from the environment instead",
            ("proxy",),
        )
    return render_template("pip.conf.j2", marker=ctx.marker("#"), entries=entries)
