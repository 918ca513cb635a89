"""Ask the real consumers to read a rendered file, isolated from the machine's own config.

Traps avoided here are listed in docs/conformance.md: npm reads a global npmrc
unless --globalconfig points elsewhere, pip reads /etc/pip.conf whatever PIP_CONFIG_FILE says,
and neither may see the developer's npm_config_* / PIP_* variables.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import need_tool


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """A minimal environment: PATH, an empty HOME, no proxy/npm/pip variables."""
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def npm_config(npmrc: Path, home: Path, **extra: str) -> dict[str, object]:
    """Effective npm configuration with `npmrc` as the user config (and nothing else)."""
    npm = need_tool("npm")
    empty = home / "empty-globalconfig"
    empty.write_text("")
    cwd = home / "cwd"
    cwd.mkdir(exist_ok=True)
    proc = subprocess.run(
        [
            npm,
            "config",
            "list",
            "--json",
            "--offline",
            "--userconfig",
            str(npmrc),
            "--globalconfig",
            str(empty),
        ],
        cwd=cwd,
        env=clean_env(home, **extra),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Unknown user config" not in proc.stderr, proc.stderr
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def npm_ini_parse(npmrc: Path, home: Path) -> dict[str, object]:
    """Every key/value npm's own ini parser reads from the file (tokens included, unexpanded)."""
    need_tool("npm")
    node = need_tool("node")
    root = subprocess.run(
        ["npm", "root", "-g"],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(home),
        timeout=120,
    ).stdout.strip()
    ini = Path(root) / "npm" / "node_modules" / "ini"
    script = (
        "const ini = require(process.argv[1]);"
        "const fs = require('fs');"
        "process.stdout.write(JSON.stringify(ini.parse(fs.readFileSync(process.argv[2], 'utf8'))));"
    )
    proc = subprocess.run(
        [node, "-e", script, str(ini), str(npmrc)],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(home),
        timeout=60,
    )
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def pip_env(pip_conf: Path, home: Path) -> dict[str, str]:
    """Environment in which pip reads `pip_conf` as its PIP_CONFIG_FILE."""
    empty = home / "xdg-empty"
    empty.mkdir(exist_ok=True)
    return clean_env(
        home,
        PIP_CONFIG_FILE=str(pip_conf),
        XDG_CONFIG_DIRS=str(empty),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )


def pip_config_list(pip_conf: Path, home: Path) -> str:
    """What `pip config list` prints (all files pip reads, ours included)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        env=pip_env(pip_conf, home),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def pip_config_values(pip_conf: Path, home: Path) -> dict[str, str]:
    """The effective values `pip config list` shows, minus what other files on this machine set.

    pip always reads /etc/pip.conf too, so a run with an empty PIP_CONFIG_FILE gives the
    machine's baseline; a key our file sets must override it, and no other key may appear.
    Only pip's public CLI is used (its internals changed between 23.x and 26.x).
    """
    empty = home / "empty-pip.conf"
    empty.write_text("")

    def listing(conf: Path) -> dict[str, str]:
        out: dict[str, str] = {}
        for line in pip_config_list(conf, home).splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.startswith(":env:"):
                out[key] = str(ast.literal_eval(value))
        return out

    baseline = listing(empty)
    ours = listing(pip_conf)
    assert set(baseline) <= set(ours), "pip lost the machine's own settings"
    # A key whose value equals the machine's baseline cannot be told apart; tests avoid those.
    return {k: v for k, v in ours.items() if baseline.get(k) != v}
