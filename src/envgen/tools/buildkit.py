"""BuildKit (`docker buildx` builders): what envgen gives buildkitd through buildkitd.toml.

BuildKit builders do not read the Docker daemon's daemon.json: a release job that relies on
daemon.json mirrors pulls from Docker Hub directly. buildkitd.toml (moby/buildkit
cmd/buildkitd/config, util/resolver/config; the key list is kept in
tests/reference/buildkitd-keys.json) has per-registry tables: `mirrors` as HOSTS, not URLs
(buildkit adds the scheme: https, or http when the mirror's own table says `http = true`),
`http` (plain HTTP), `insecure` (no TLS verification) and `ca` (CA files). Proxies are not
keys: buildkitd, a Go program, reads them from its environment, which `docker buildx create`
sets with `--driver-opt env.http_proxy=...`.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from envgen.findings import Finding, warning
from envgen.schema.policy import Policy
from envgen.sourcemap import Loc
from envgen.tools import docker
from envgen.tools.base import EnvVar, Setting, ToolSettings, Topic

#: The registry table of Docker Hub.
DOCKER_HUB = "docker.io"


def _host(url: str) -> tuple[str, bool]:
    """A mirror URL as buildkit names it (host[:port][/path]) and whether it is plain HTTP."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return f"{parts.netloc}{path}", parts.scheme == "http"


def settings(policy: Policy) -> ToolSettings:
    """The registry tables; a key is `registry.<HOST>.<name>` (HOST may contain dots)."""
    out: list[Setting] = []
    findings: list[Finding] = []
    docker = policy.registries.docker
    ca_file = policy.network.ca_file
    tables: dict[str, list[Setting]] = {}

    def put(host: str, name: str, value: bool | tuple[str, ...], loc: Loc, topic: Topic) -> None:
        tables.setdefault(host, []).append(
            Setting(f"registry.{host}.{name}", value, loc, topic=topic)
        )

    if docker is not None and docker.mirrors:
        loc: Loc = ("registries", "docker", "mirrors")
        hosts = [_host(m) for m in docker.mirrors]
        put(DOCKER_HUB, "mirrors", tuple(h for h, _ in hosts), loc, Topic.NONE)
        for host, plain in hosts:
            if plain:
                put(host, "http", True, loc, Topic.NONE)
    if docker is not None:
        for i, entry in enumerate(docker.insecure):
            loc = ("registries", "docker", "insecure", i)
            if "/" in entry and _is_network(entry):
                findings.append(
                    warning(
                        f"buildkitd.toml names registries one host at a time: the network "
                        f"{entry} cannot be written, so builders verify TLS for its registries",
                        loc,
                        code="EG207",
                        subject=entry,
                    )
                )
                continue
            put(entry, "http", True, loc, Topic.NONE)
            put(entry, "insecure", True, loc, Topic.CA)
    if ca_file is not None:
        for host in [DOCKER_HUB, *(h for h in tables if h != DOCKER_HUB)]:
            put(host, "ca", (ca_file,), ("network", "ca_file"), Topic.CA)
    for host in sorted(tables, key=lambda h: (h != DOCKER_HUB, h)):
        out += tables[host]
    return ToolSettings("buildkit", tuple(out), (), None, findings=tuple(findings))


def _is_network(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True


def builder_environment(policy: Policy) -> list[EnvVar]:
    """What `docker buildx create --driver-opt env.NAME=VALUE` hands buildkitd: the proxies and
    NO_PROXY in Go's dialect (buildkitd is a Go program), and GODEBUG for HTTP/1.1."""
    return docker.daemon_environment(policy)
