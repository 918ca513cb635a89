"""uv: what envgen gives it, through the environment only (uv reads no pip.conf).

uv takes the index from UV_DEFAULT_INDEX and extra indexes from UV_INDEX (space-separated),
its read timeout from UV_HTTP_TIMEOUT and connect timeout from UV_HTTP_CONNECT_TIMEOUT (whole
seconds: "value should be an integer number of seconds"), and retries from UV_HTTP_RETRIES
(docs.astral.sh/uv/reference/environment; uv-static's EnvVars). Its cache is UV_CACHE_DIR,
keyed on uv.lock: PIP_CACHE_DIR means nothing to it. An extra index's token is composed into
its URL at job time, as for pip (`envgen.ci.jobtime`).
"""

from __future__ import annotations

from envgen.schema.policy import Policy
from envgen.tools.base import (
    Setting,
    Tool,
    ToolCache,
    ToolSettings,
    Topic,
    env_of,
    whole_seconds,
)
from envgen.tools.pip import index_url_with_credentials

CACHE = ToolCache("uv", (("UV_CACHE_DIR", "uv"),), ("uv.lock",))


def settings(policy: Policy) -> ToolSettings:
    """uv's indexes, timeouts and retries, as environment variables."""
    out: list[Setting] = []
    pypi = policy.registries.pypi
    base = ("registries", "pypi")
    if pypi is not None and pypi.index is not None:
        out.append(
            Setting(
                "UV_DEFAULT_INDEX",
                pypi.index,
                (*base, "index"),
                env="UV_DEFAULT_INDEX",
                in_file=False,
            )
        )
    if pypi is not None and pypi.extra:
        composed = [index_url_with_credentials(e.url, e.username, e.token) for e in pypi.extra]
        out.append(
            Setting(
                "UV_INDEX",
                tuple(e.url for e in pypi.extra),
                (*base, "extra"),
                env="UV_INDEX",
                env_value=" ".join(composed),
                in_file=False,
            )
        )
    net = policy.network
    for name, value, loc, unit, topic in (
        ("UV_HTTP_TIMEOUT", whole_seconds(net.timeout), "timeout", "s", Topic.TIMEOUT),
        (
            "UV_HTTP_CONNECT_TIMEOUT",
            whole_seconds(net.connect_timeout),
            "connect_timeout",
            "s",
            Topic.TIMEOUT,
        ),
        ("UV_HTTP_RETRIES", str(net.retries), "retries", "", Topic.RETRY),
    ):
        out.append(
            Setting(name, value, ("network", loc), env=name, in_file=False, unit=unit, topic=topic)
        )
    return ToolSettings("uv", tuple(out), env_of(out))


TOOL = Tool("uv", settings)
