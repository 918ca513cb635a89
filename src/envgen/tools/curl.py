"""curl: what envgen gives it through a .curlrc (the `curl` target; curl(1) "-K, --config").

curl takes proxies from the environment (lowercase http_proxy only: `envgen.clients.curl`), so
none are written; `noproxy` carries the rules in curl's dialect, since it wins over NO_PROXY.
- `http1.1` when network.http_version is "1.1".
- `retry N` with `retry-all-errors` and `retry-connrefused`: a plain `retry` does not retry a
  reset connection or an empty reply (curl exits 56/52 after one request). Not `retry-delay`: it
  turns off curl's exponential backoff; not `retry-max-time`: it would cap the attempts.
- `connect-timeout`, and stall detection `speed-limit 1` + `speed-time <network.timeout>`.
- `cacert <network.ca_file>`: it REPLACES curl's CA list.
"""

from __future__ import annotations

from envgen.findings import Finding, warning
from envgen.schema.policy import Policy
from envgen.tools import proxyenv
from envgen.tools.base import (
    Kind,
    Pointer,
    Setting,
    Tool,
    ToolSettings,
    Topic,
    seconds,
    whole_seconds,
)


def settings(policy: Policy) -> ToolSettings:
    """The .curlrc options, in file order; a flag's value is True."""
    net = policy.network
    out: list[Setting] = []
    findings: list[Finding] = []
    if net.http_version == "1.1":
        out.append(Setting("http1.1", True, ("network", "http_version"), topic=Topic.HTTP))
    if net.retries:
        out += [
            Setting("retry", str(net.retries), ("network", "retries"), topic=Topic.RETRY),
            Setting("retry-all-errors", True, ("network", "retries"), topic=Topic.RETRY),
            Setting("retry-connrefused", True, ("network", "retries"), topic=Topic.RETRY),
        ]
    out += [
        Setting("connect-timeout", seconds(net.connect_timeout), ("network", "connect_timeout"),
                unit="s", topic=Topic.TIMEOUT),
        Setting("speed-limit", "1", ("network", "timeout"), unit="bytes/s", topic=Topic.TIMEOUT),
        Setting("speed-time", whole_seconds(net.timeout), ("network", "timeout"),
                unit="s", topic=Topic.TIMEOUT),
    ]  # fmt: skip
    if net.ca_file is not None:
        out.append(Setting("cacert", net.ca_file, ("network", "ca_file"), topic=Topic.CA))
        findings.append(
            warning(
                f"cacert replaces curl's CA list: outside CI curl trusts only {net.ca_file} "
                "(the CI targets build a bundle with the system roots)",
                ("network", "ca_file"),
                code="EG204",
                subject=net.ca_file,
            )
        )
    translation = proxyenv.translate(policy, "curl")
    if proxyenv.has_proxy(policy):
        out.append(Setting("noproxy", translation.value, ("proxy", "no_proxy"), Kind.NO_PROXY))
    return ToolSettings("curl", tuple(out), (), translation, findings=tuple(findings))


#: curl reads $CURL_HOME/.curlrc before ~/.curlrc and stops at the first it finds (curl(1)
#: "-K, --config"); the curl target's file can be pointed at only when it is named .curlrc.
POINTER = Pointer(
    "curl", "CURL_HOME", hides="your own ~/.curlrc", directory=True, file_name=".curlrc"
)

TOOL = Tool("curl", settings, shown_in=("curl",), needs_target="curl", pointers=(POINTER,))
