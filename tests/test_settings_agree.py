"""explain, the target files and `envgen env` agree on every setting they both carry.

envgen states what it gives each tool once (envgen/tools/); this holds every consumer to it on
every golden policy: for each setting that `envgen explain` reports for a tool and that its
target file (read here with a parser of that file's format) or `envgen env` also carries, the
values are equal. They differ on purpose elsewhere (pip.conf carries no proxy, go.env no
NO_PROXY): only shared settings are compared, and each case must share some.
"""

from __future__ import annotations

import configparser
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunEnvgen
from tests.test_golden import CASES, _tree

#: explain shows some values with a unit or a note: "90000 ms", "HTTP/1.1 (GIT_CONFIG_* ...)".
_DECORATION = re.compile(r"(?: (?:ms|s|bytes/s))?(?: \([^)]*\))?$")


def _bare(shown: str) -> str:
    return _DECORATION.sub("", shown)


def _npmrc(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith(";"):
            key, _, value = line.partition("=")
            out[key] = value
    return out


def _pip_conf(text: str) -> dict[str, str]:
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    return {k: " ".join(v.split()) for k, v in parser.items("global")}


def _goenv(text: str) -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )


def _daemon_json(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in json.loads(text).items():
        if isinstance(value, dict):
            out.update({f"{key}.{k}": str(v) for k, v in value.items()})
        else:
            out[key] = " ".join(value) if isinstance(value, list) else str(value)
    return out


READERS = {"npm": _npmrc, "pip": _pip_conf, "go": _goenv, "docker": _daemon_json}


def _env_sh(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            out[name] = shlex.split(value)[0] if value else ""
    return out


def _run(run_envgen: RunEnvgen, tree: Path, *argv: str) -> str:
    result = run_envgen(*argv, cwd=tree)
    assert result.code == 0, result.err
    return result.out


def _compare(pairs: list[tuple[str, str, str]]) -> list[str]:
    return [f"{what}: {a!r} != {b!r}" for what, a, b in pairs if a != b]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_explain_files_and_env_agree(case: Path, tmp_path: Path, run_envgen: RunEnvgen) -> None:
    tree = _tree(case, tmp_path)
    _run(run_envgen, tree, "render")
    report: dict[str, Any] = json.loads(_run(run_envgen, tree, "explain", "--format", "json"))
    env = _env_sh(_run(run_envgen, tree, "env", "--format", "sh"))
    targets = json.loads((tree / ".envgen-manifest.json").read_text("utf-8"))["files"]
    files = {
        entry["target"]: READERS[entry["target"]]((tree / path).read_text("utf-8"))
        for path, entry in targets.items()
        if entry["target"] in READERS
    }
    pairs: list[tuple[str, str, str]] = []
    for tool, keys in files.items():
        explained = report["tools"][tool]
        shared = {k: _bare(v) for k, v in explained["settings"].items() if k in keys}
        pairs += [(f"{tool} {k} (explain vs file)", v, keys[k]) for k, v in shared.items()]
        setting = explained["no_proxy"]["setting"]
        if tool != "docker" and setting in keys:
            pairs.append((f"{tool} {setting}", explained["no_proxy"]["value"], keys[setting]))
        assert shared, f"{case.name}: explain and the {tool} file share no setting"
    docker = files.get("docker", {})
    if "proxies.no-proxy" in docker:
        no_proxy = report["tools"]["docker"]["no_proxy"]["value"]
        pairs.append(("docker proxies.no-proxy", no_proxy, docker["proxies.no-proxy"]))
    # The environment: the same settings under their variable names.
    npm = files.get("npm", {})
    for key, value in npm.items():
        name = "npm_config_" + key.replace("-", "_")
        if name in env:
            pairs.append((f"{name} vs .npmrc {key}", env[name], value))
    pip = files.get("pip", {})
    for key, name in (
        ("index-url", "PIP_INDEX_URL"),
        ("timeout", "PIP_TIMEOUT"),
        ("retries", "PIP_RETRIES"),
        ("cert", "PIP_CERT"),
    ):
        if key in pip and name in env:
            pairs.append((f"{name} vs pip.conf {key}", env[name], pip[key]))
    for name, value in files.get("go", {}).items():
        pairs.append((f"{name} (env vs go.env)", env.get(name, "(unset)"), value))
    for name, shown in report["tools"]["go"]["settings"].items():
        pairs.append((f"{name} (env vs explain)", env.get(name, "(unset)"), _bare(shown)))
    git = dict(report["tools"]["git"]["settings"])
    keys = {
        env[f"GIT_CONFIG_KEY_{i}"]: env[f"GIT_CONFIG_VALUE_{i}"]
        for i in range(int(env.get("GIT_CONFIG_COUNT", "0")))
    }
    keys.pop("include.path", None)  # the pointer to the git target's file, not a setting
    if "http.sslCAInfo" in git:  # the CA file travels as GIT_SSL_CAINFO, not as git config
        pairs.append(("git http.sslCAInfo", git.pop("http.sslCAInfo"), env["GIT_SSL_CAINFO"]))
    assert set(git) == set(keys)
    pairs += [(f"git {k}", _bare(v), keys[k]) for k, v in git.items()]
    for tool in ("node-proxy-from-env", "node-undici"):
        for name, shown in report["tools"][tool]["settings"].items():
            pairs.append((f"{tool} {name}", shown, env.get(name, "(unset)")))
    assert pairs, f"{case.name}: nothing to compare"
    problems = _compare(pairs)
    assert not problems, "\n".join(problems)
