"""Shared fixtures: run envgen in-process on a file tree, and find real tools."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from envgen.cli import main
from envgen.console import Console

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
REQUIRE_TOOLS = os.environ.get("ENVGEN_REQUIRE_TOOLS") == "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/expected from the current output",
    )


#: Where .ci/run (and .ci/fetch-dockerd) put tools that are not on PATH.
TOOL_DIRS = [REPO / ".cache" / "tools" / "dockerd" / "usr" / "sbin"]


def unavailable(message: str) -> NoReturn:
    """A test's real tool or facility is missing: skip here, fail under ENVGEN_REQUIRE_TOOLS=1
    (CI, where .ci/run installs everything)."""
    if REQUIRE_TOOLS:
        pytest.fail(f"{message} (required when ENVGEN_REQUIRE_TOOLS=1, as in CI)")
    pytest.skip(message)


def need_tool(name: str) -> str:
    """Path of a real tool; skip when it is missing, fail instead under ENVGEN_REQUIRE_TOOLS=1.

    PATH is searched first, then TOOL_DIRS.
    """
    search = os.pathsep.join([os.environ.get("PATH", ""), *map(str, TOOL_DIRS)])
    path = shutil.which(name, path=search)
    if path is not None:
        return path
    unavailable(f"{name} is not installed")


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """envgen's own record (workspace/state.py) goes to a fresh cache directory in every test,
    never into the user's ~/.cache (subprocesses inherit it through the environment)."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    # `envgen explain` names CA variables of the caller's environment that override what it
    # renders; outputs must not depend on the machine the tests run on.
    for name in ("GIT_SSL_CAINFO", "PIP_CERT", "npm_config_cafile", "NPM_CONFIG_CAFILE"):
        monkeypatch.delenv(name, raising=False)
    # `envgen init` may read the user's `go env -w` file: never this machine's.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    monkeypatch.delenv("GOENV", raising=False)
    return cache


@dataclass(frozen=True)
class Result:
    """What one envgen run returned and printed."""

    code: int
    out: str
    err: str


RunEnvgen = Callable[..., Result]


@pytest.fixture
def run_envgen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunEnvgen:
    """Run `envgen ARGV...` in-process with the working directory at `cwd` (default tmp_path)."""

    def run(*argv: str, cwd: Path | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.chdir(cwd or tmp_path)
        code = main(list(argv), Console(out, err, color="never"))
        return Result(code, out.getvalue(), err.getvalue())

    return run


def python_env() -> dict[str, str]:
    """Environment for `python -m envgen` subprocesses: this checkout's src/ first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    return env


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under `root`; return `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every path under `root` with its bytes (None for directories) and mode."""
    out: dict[str, tuple[bytes | None, int]] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            out[rel] = (str(path.readlink()).encode(), 0)
        elif path.is_dir():
            out[rel] = (None, path.stat().st_mode)
        else:
            out[rel] = (path.read_bytes(), path.stat().st_mode)
    return out


def copy_examples(dest: Path) -> Path:
    """A fresh copy of the example policy and its bases, without anything rendered from it
    (the README's first command renders into examples/)."""
    dest.mkdir(parents=True)
    shutil.copy(EXAMPLES / "envgen.yaml", dest / "envgen.yaml")
    shutil.copytree(EXAMPLES / "policies", dest / "policies")
    return dest
