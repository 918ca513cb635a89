"""The drift-check workflow installs exactly the pinned envgen, and the real pip agrees.

The distribution is built here from this checkout (nothing is fetched from a public index):
the workflow's install step runs under the real pip in a fresh virtual environment, with the
index switched off and the local build as the only source.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from envgen import __version__
from tests.conftest import REPO, RunEnvgen, write_tree

POLICY = """version: 1
network: {{retries: {retries}, backoff: {{min: 1s, max: 1s}}}}
{ci}
targets:
  github-actions: .github/actions/envgen/action.yml
  github-workflow: .github/workflows/envgen-check.yml
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(REPO)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("envgen_policy-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    return root


def install_step(repo: Path, run_envgen: RunEnvgen) -> str:
    result = run_envgen("render", cwd=repo)
    assert result.code == 0, result.err
    doc = YAML(typ="safe").load((repo / ".github/workflows/envgen-check.yml").read_text())
    (step,) = [s for s in doc["jobs"]["envgen-check"]["steps"] if "Install" in s.get("name", "")]
    return str(step["run"])


def run_step(script: str, venv: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run the workflow's step as GitHub would (bash), with the venv's python first on PATH,
    no index and no dependencies (they are not what this test is about)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
        PIP_NO_INDEX="1",
        PIP_NO_DEPS="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_CONFIG_FILE=os.devnull,
        **extra,
    )
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "uninstall", "-y", "-q", "envgen-policy"],
        env=env, capture_output=True, check=False, timeout=120,
    )  # fmt: skip
    return subprocess.run(
        ["bash", "-e", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def installed_version(venv: Path) -> str | None:
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import importlib.metadata as m; print(m.version('envgen-policy'))"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    return proc.stdout.strip() if proc.returncode == 0 else None


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_default_installs_this_version_of_envgen_policy(
    tmp_path: Path, run_envgen: RunEnvgen, wheel: Path, venv: Path
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY.format(retries=0, ci="")})
    script = install_step(repo, run_envgen)
    assert f"envgen-policy=={__version__}" in script
    proc = run_step(script, venv, PIP_FIND_LINKS=str(wheel.parent))
    assert proc.returncode == 0, proc.stderr
    assert installed_version(venv) == __version__
    assert (venv / "bin" / "envgen").exists(), "the command keeps its name"


def test_a_version_nobody_built_fails_after_the_attempts(
    tmp_path: Path, run_envgen: RunEnvgen, wheel: Path, venv: Path
) -> None:
    ci = 'ci: {envgen: {version: "9.9.9"}}'
    repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY.format(retries=1, ci=ci)})
    script = install_step(repo, run_envgen)
    proc = run_step(script, venv, PIP_FIND_LINKS=str(wheel.parent))
    assert proc.returncode == 1
    assert "::error::pip install failed 2 times" in proc.stderr
    assert installed_version(venv) is None


@pytest.mark.parametrize("good", [True, False], ids=["hash-matches", "hash-differs"])
def test_a_wheel_is_installed_only_with_its_sha256(
    tmp_path: Path, run_envgen: RunEnvgen, wheel: Path, venv: Path, good: bool
) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if not good:
        digest = ("0" if digest[0] != "0" else "1") + digest[1:]
    with serve(wheel.parent) as base:
        ci = f"ci: {{envgen: {{wheel: {base}/{wheel.name}, sha256: {digest}}}}}"
        repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY.format(retries=0, ci=ci)})
        script = install_step(repo, run_envgen)
        assert f"envgen-policy @ {base}/{wheel.name}#sha256={digest}" in script
        proc = run_step(script, venv)
    if good:
        assert proc.returncode == 0, proc.stderr
        assert installed_version(venv) == __version__
    else:
        assert proc.returncode == 1
        assert "hash" in proc.stderr.lower(), proc.stderr
        assert installed_version(venv) is None


def test_a_git_source_is_pinned_to_a_commit_in_the_form_pip_reads(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    """The rendered requirement names the distribution, the git URL and the full commit; the
    real pip resolves that form against a local repository (only the URL differs)."""
    source = tmp_path / "src"
    write_tree(source, {
        "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'
        'build-backend = "hatchling.build"\n[project]\nname = "envgen-policy"\nversion = "7.0"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["pkg"]\n',
        "pkg/__init__.py": "",
    })  # fmt: skip
    git = ["git", "-C", str(source), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True, timeout=60)
    subprocess.run([*git, "add", "."], check=True, timeout=60)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True, timeout=60)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    ci = f"ci: {{envgen: {{git: https://git.corp.example/envgen.git, commit: {commit}}}}}"
    repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY.format(retries=0, ci=ci)})
    script = install_step(repo, run_envgen)
    requirement = f"envgen-policy @ git+https://git.corp.example/envgen.git@{commit}"
    assert f"'{requirement}'" in script
    local = requirement.replace(
        "https://git.corp.example/envgen.git", f"file://localhost{source.as_posix()}"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-d", str(tmp_path / "dl"), local],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert list((tmp_path / "dl").glob("envgen?policy-7.0*")), "pip built the named commit"
