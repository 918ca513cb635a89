"""git: what envgen gives it, as git config (the `git` target's file, or GIT_CONFIG_* in the
environment). git takes proxies from the environment (through libcurl, as curl reads them:
`envgen.clients.curl`); none are written here.

- `http.version HTTP/1.1` stops the HTTP/2 stream resets that break large fetches through some
  proxies (git-config(1) http.version).
- `http.lowSpeedLimit 1` + `http.lowSpeedTime <network.timeout>`: a transfer that moves less than
  a byte a second for that long is aborted (stall detection; network.timeout is an idle timeout).
- `http.sslCAInfo <network.ca_file>`: it REPLACES git's CA list (libcurl's CAfile); in CI the
  job-time step points GIT_SSL_CAINFO (which wins over the config) at a bundle of the image's
  roots plus ca_file.
In the environment the settings travel as GIT_CONFIG_COUNT/GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n
(git >= 2.31), which ADDS to the user's configuration.
"""

from __future__ import annotations

from shlex import quote

from envgen.findings import Finding, warning
from envgen.schema.policy import Policy
from envgen.sourcemap import Loc
from envgen.tools.base import EnvVar, Pointer, Setting, Tool, ToolSettings, Topic, whole_seconds

#: git's CA file setting (libcurl's CAINFO); GIT_SSL_CAINFO wins over it.
CA_KEY = "http.sslCAInfo"

#: How the git target's file is found (git-config(1) "FILES", "INCLUDES"): include.path given
#: through GIT_CONFIG_KEY_n adds the file after the user's own configuration. The path must be
#: absolute ("relative config includes must come from files").
POINTER = Pointer("git", "include.path", git_config=True)


def settings(policy: Policy) -> ToolSettings:
    """http.version, stall detection and CA, passed through GIT_CONFIG_* or the git target."""
    net = policy.network
    out: list[Setting] = []
    via = "GIT_CONFIG_* from envgen env" if "git" not in policy.targets else ""
    if net.http_version == "1.1":
        out.append(
            Setting(
                "http.version", "HTTP/1.1", ("network", "http_version"), via=via, topic=Topic.HTTP
            )
        )
    timeout = whole_seconds(net.timeout)
    out.append(
        Setting(
            "http.lowSpeedLimit", "1", ("network", "timeout"), unit="bytes/s", topic=Topic.TIMEOUT
        )
    )
    out.append(
        Setting("http.lowSpeedTime", timeout, ("network", "timeout"), unit="s", topic=Topic.TIMEOUT)
    )
    findings: list[Finding] = []
    if net.ca_file is not None:
        out.append(Setting(CA_KEY, net.ca_file, ("network", "ca_file"), topic=Topic.CA))
        findings.append(
            warning(
                f"{CA_KEY} replaces git's CA list: outside CI git trusts only "
                f"{net.ca_file} (the CI targets build a bundle with the system roots)",
                ("network", "ca_file"),
                code="EG204",
                subject=net.ca_file,
            )
        )
    # The CA file travels as GIT_SSL_CAINFO (envgen.tools.tls), which CI points at its bundle.
    carried = [s for s in out if s.topic is not Topic.CA]
    return ToolSettings("git", tuple(out), config_env(carried), findings=tuple(findings))


def config_env(settings: list[Setting]) -> tuple[EnvVar, ...]:
    """GIT_CONFIG_COUNT and one GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n pair per setting."""
    if not settings:
        return ()
    out = [EnvVar("GIT_CONFIG_COUNT", str(len(settings)), settings[0].loc)]
    for i, setting in enumerate(settings):
        out.append(EnvVar(f"GIT_CONFIG_KEY_{i}", setting.key, setting.loc))
        out.append(EnvVar(f"GIT_CONFIG_VALUE_{i}", setting.text, setting.loc))
    return tuple(out)


def with_include(variables: list[EnvVar], path: str, loc: Loc) -> list[EnvVar]:
    """`variables` with one more GIT_CONFIG_* pair, include.path = `path` (absolute: git refuses
    a relative include from the environment), after the settings' own pairs."""
    count = next((v for v in variables if v.name == "GIT_CONFIG_COUNT"), None)
    n = int(count.value) if count is not None else 0
    pair = [
        EnvVar(f"GIT_CONFIG_KEY_{n}", "include.path", loc),
        EnvVar(f"GIT_CONFIG_VALUE_{n}", path, loc),
    ]
    if count is None:
        return [*variables, EnvVar("GIT_CONFIG_COUNT", "1", loc), *pair]
    last = max(i for i, v in enumerate(variables) if v.name.startswith("GIT_CONFIG_"))
    out = [EnvVar(v.name, str(n + 1), v.loc) if v is count else v for v in variables]
    return [*out[: last + 1], *pair, *out[last + 1 :]]


def global_config_commands(git: ToolSettings) -> list[str]:
    """`git config --global KEY VALUE` for each setting but the CA file, which the CI job-time
    step hands to git as GIT_SSL_CAINFO (a bundle it builds; the file may not exist where the
    command runs, and a missing sslCAInfo would stop every clone)."""
    return [
        f"git config --global {quote(s.key)} {quote(s.text)}"
        for s in git.settings
        if s.topic is not Topic.CA
    ]


TOOL = Tool("git", settings, shown_in=("git",), pointers=(POINTER,))
