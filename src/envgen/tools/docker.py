"""Docker: what envgen gives the daemon (daemon.json or its systemd environment) and the client.

dockerd is a Go program: its proxy settings follow Go's NO_PROXY dialect, whether they come from
daemon.json `proxies` (Engine 23.0 and later, which win over the environment) or from the
daemon's environment (the systemd drop-in for older engines). The client's config.json
`proxies.default` is injected into every container and build it starts, whose tools are
unknown, so it carries the portable NO_PROXY value. Key names: moby daemon/config (the list is
kept in tests/reference/docker-daemon-keys.json).
"""

from __future__ import annotations

from envgen.findings import Finding, note, warning
from envgen.schema.policy import Policy
from envgen.tools import go, proxyenv
from envgen.tools.base import EnvVar, Kind, Pointer, Setting, Tool, ToolSettings, Topic

#: daemon.json keys envgen writes, named once (envgen.adopt reads them back).
MIRRORS = "registry-mirrors"
INSECURE = "insecure-registries"
TUNING = ("max-concurrent-downloads", "max-concurrent-uploads", "max-download-attempts")

#: daemon.json's proxy table and the names of its entries.
PROXIES = "proxies"


def daemon(policy: Policy) -> ToolSettings:
    """daemon.json's keys, only those the policy sets ("proxies.x" is key x of `proxies`)."""
    out: list[Setting] = []
    findings: list[Finding] = []
    urls = proxyenv.proxy_urls(policy)
    translation = proxyenv.translate(policy, "go")
    if urls:
        for scheme, url, loc in urls:
            out.append(Setting(f"{PROXIES}.{scheme}-proxy", url, loc, Kind.PROXY))
        out.append(
            Setting(f"{PROXIES}.no-proxy", translation.value, ("proxy", "no_proxy"), Kind.NO_PROXY)
        )
        findings.append(
            note(
                f"`{PROXIES}` needs Docker Engine 23.0 or later (older engines refuse the file): "
                "use the docker-systemd target for those",
                ("proxy",),
            )
        )
    registries = policy.registries.docker
    if registries is not None:
        if registries.mirrors:
            loc = ("registries", "docker", "mirrors")
            out.append(Setting(MIRRORS, tuple(registries.mirrors), loc))
            findings.append(
                warning(
                    "registry-mirrors apply to Docker Hub pulls only; images from other "
                    "registries are pulled from those registries directly",
                    loc,
                    code="EG206",
                )
            )
        if registries.insecure:
            loc = ("registries", "docker", "insecure")
            out.append(Setting(INSECURE, tuple(registries.insecure), loc))
    tuning = policy.docker
    if tuning is not None:
        for key, value in (
            (TUNING[0], tuning.max_concurrent_downloads),
            (TUNING[1], tuning.max_concurrent_uploads),
            (TUNING[2], tuning.max_download_attempts),
        ):
            if value is not None:
                out.append(Setting(key, value, ("docker", key.replace("-", "_"))))
    if not out:
        findings.append(
            note("the policy sets nothing daemon.json carries: writing an empty object")
        )
    if policy.network.http_version == "1.1" and "docker-systemd" in policy.targets:
        godebug, setting = go.HTTP1_GODEBUG
        out.append(
            Setting(
                godebug,
                setting,
                ("network", "http_version"),
                in_file=False,
                via="the docker-systemd drop-in; daemon.json has no such key",
                topic=Topic.HTTP,
            )
        )
    return ToolSettings("docker", tuple(out), (), translation, (), tuple(findings))


#: daemon.json `proxies` entries and the variables they stand for: dockerd applies them as a
#: Go program applies its environment (moby daemon/config ProxyConfig).
PROXY_VARIABLES = {"http-proxy": "HTTP_PROXY", "https-proxy": "HTTPS_PROXY", "no-proxy": "NO_PROXY"}


def proxy_environment(daemon_settings: ToolSettings) -> dict[str, str]:
    """daemon.json `proxies` as the environment the daemon's Go code reads them as."""
    out: dict[str, str] = {}
    for setting in daemon_settings.settings:
        table, _, key = setting.key.rpartition(".")
        if table == PROXIES:
            out[PROXY_VARIABLES[key]] = setting.text
    return out


def daemon_environment(policy: Policy) -> list[EnvVar]:
    """The daemon's environment (a systemd drop-in): dockerd is a Go program
    (`envgen.tools.go.service_environment`); the proxy variables matter for engines before 23.0,
    and GODEBUG for HTTP/1.1 on every engine (daemon.json has no such key)."""
    return go.service_environment(policy)


def daemon_http1(policy: Policy) -> list[EnvVar]:
    """GODEBUG=http2client=0 for the daemon when network.http_version is "1.1"."""
    return go.http1_environment(policy)


def client_proxies(policy: Policy) -> list[EnvVar]:
    """config.json `proxies.default` entries (httpProxy, httpsProxy, noProxy), portable NO_PROXY."""
    urls = proxyenv.proxy_urls(policy)
    if not urls:
        return []
    out = [EnvVar(f"{scheme}Proxy", url, loc) for scheme, url, loc in urls]
    portable = next(v for v in proxyenv.variables(policy) if v.name == "NO_PROXY")
    out.append(EnvVar("noProxy", portable.value, portable.loc))
    return out


#: The docker CLI reads $DOCKER_CONFIG/config.json (docker/cli config.Dir); the client target's
#: file can be pointed at only when it is named config.json.
CLIENT_POINTER = Pointer(
    "docker-client",
    "DOCKER_CONFIG",
    hides="your own ~/.docker/config.json; `docker login` would write credentials into that "
    "directory",
    directory=True,
    file_name="config.json",
)

TOOL = Tool("docker", daemon, shown_in=("docker",), pointers=(CLIENT_POINTER,))
