"""How `envgen doctor` asks each installed tool to fetch one URL, and reads its version.

Each probe names the tool `envgen explain` models for it (its prediction is compared with what
the tool does), the executable to look for on PATH, how to read its version, and the command
that makes it fetch a URL the way it does in a pipeline: curl and wget fetch it, git asks it
for refs (`git ls-remote`), pip and npm use it as their index or registry, go as its module
proxy (GOPROXY), python-requests GETs it. The route a tool takes is decided at its first
connection; the command's own success does not matter (the fakes answer with errors).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: A package or module name no registry holds: what pip, npm and go are asked for.
PROBE_PACKAGE = "envgen-doctor-probe"
VERSION_SECONDS = 10


@dataclass(frozen=True)
class Probe:
    """One tool `envgen doctor` can run."""

    name: str  # as reported, and as `--tool` selects it
    model: str  # the tool `envgen explain` models for it (envgen.clients.MODELS)
    executable: str
    version_args: tuple[str, ...]
    command: Callable[[str, str, str], list[str]]  # (executable, url, scratch dir) -> argv
    env: dict[str, str] = field(default_factory=dict)  # on top of the policy's environment
    version_pattern: str = r"(\d+(?:\.\d+)+)"
    default: bool = True  # run without --tool

    def find(self) -> str | None:
        """The executable's path on PATH, if any."""
        return shutil.which(self.executable)

    def version(self, path: str) -> str | None:
        """The version the tool reports (the first dotted number of its answer)."""
        try:
            done = subprocess.run(
                [path, *self.version_args],
                capture_output=True,
                text=True,
                timeout=VERSION_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        found = re.search(self.version_pattern, done.stdout + done.stderr, re.MULTILINE)
        return found.group(1) if found else None


def _curl(exe: str, url: str, _: str) -> list[str]:
    return [exe, "-sS", "-o", "/dev/null", "--max-time", "20", url]


def _wget(exe: str, url: str, _: str) -> list[str]:
    return [exe, "-q", "-O", "/dev/null", "--tries=1", "--timeout=20", url]


def _git(exe: str, url: str, _: str) -> list[str]:
    return [exe, "ls-remote", url]


def _pip(exe: str, url: str, scratch: str) -> list[str]:
    argv = [
        exe, "download", "--no-deps", "--no-cache-dir", "--disable-pip-version-check",
        "--dest", scratch, "--index-url", url, PROBE_PACKAGE,
    ]  # fmt: skip
    if url.startswith("http://"):
        # pip ignores a plain-HTTP index it is not told to trust, without connecting (the
        # policy's own index gets trusted-host from the pip target, EG211).
        argv += ["--trusted-host", urlsplit(url).netloc.rsplit("@", 1)[-1]]
    return argv


def _requests(exe: str, url: str, _: str) -> list[str]:
    code = "import sys, requests; requests.get(sys.argv[1], timeout=20)"
    return [exe, "-c", code, url]


def _npm(exe: str, url: str, _: str) -> list[str]:
    return [exe, "view", PROBE_PACKAGE, "version", f"--registry={url}"]


def _node(exe: str, url: str, _: str) -> list[str]:
    code = "fetch(process.argv[1]).catch(() => {})"
    return [exe, "-e", code, url]


def _go(exe: str, _url: str, _: str) -> list[str]:  # the URL is GOPROXY (spec.build)
    return [exe, "mod", "download", "-json", f"example.com/{PROBE_PACKAGE}@v1.0.0"]


PROBES: tuple[Probe, ...] = (
    Probe("curl", "curl", "curl", ("--version",), _curl),
    Probe("wget", "wget", "wget", ("--version",), _wget),
    Probe(
        "git", "git", "git", ("--version",), _git,
        env={"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"},
    ),
    Probe("pip", "pip", "pip3", ("--version",), _pip, env={"PIP_NO_INPUT": "1"}),
    Probe(
        "python-requests", "python-requests", "python3",
        ("-c", "import requests; print(requests.__version__)"), _requests,
        version_pattern=r"^(\d+(?:\.\d+)+)\s*$",
    ),
    Probe("npm", "npm", "npm", ("--version",), _npm, env={"NPM_CONFIG_UPDATE_NOTIFIER": "false"}),
    # Node's own fetch reads proxy variables only with NODE_USE_ENV_PROXY=1, which envgen does
    # not render: it goes direct, as explain's node row says, and doctor shows it.
    Probe("node", "node", "node", ("--version",), _node),
    Probe(
        "go", "go", "go", ("version",), _go,
        # GOPROXY is the URL (set per run); no checksum database lookup, no toolchain download.
        env={"GOSUMDB": "off", "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod", "GO111MODULE": "on"},
        version_pattern=r"go(\d+(?:\.\d+)+)",
    ),
)  # fmt: skip

BY_NAME = {p.name: p for p in PROBES}
