"""Targets from other distributions: the `envgen.targets` entry-point group (docs/contract.md).

A distribution is faked the way an installed one looks to importlib.metadata: a `*.dist-info`
directory with METADATA and entry_points.txt on sys.path, beside the plugin's module. A
subprocess runs envgen with that directory on PYTHONPATH.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import python_env, write_tree

PLUGIN = '''
"""A plugin target: the policy's npm registry URL, one line."""
from envgen.tools import npm

NAME = "registry-line"
DEFAULT_PATH = "registry.txt"
SUMMARY = "the npm registry, one line"
MODE = 0o644


def render(policy, ctx):
    tool = npm.settings(policy)
    ctx.report(tool.findings)
    return ctx.marker("#") + "\\n" + str(policy.registries.npm.url) + "\\n"
'''


def _site(tmp_path: Path, name: str = "registry-line") -> Path:
    site = tmp_path / "site"
    write_tree(site, {
        "envgen_plugin_demo.py": PLUGIN,
        "envgen_plugin_demo-1.0.dist-info/METADATA":
            "Metadata-Version: 2.1\nName: envgen-plugin-demo\nVersion: 1.0\n",
        "envgen_plugin_demo-1.0.dist-info/entry_points.txt":
            f"[envgen.targets]\n{name} = envgen_plugin_demo\n",
    })  # fmt: skip
    return site


def _envgen(cwd: Path, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = python_env()
    env["PYTHONPATH"] = f"{site}{':' + env['PYTHONPATH'] if env.get('PYTHONPATH') else ''}"
    return subprocess.run(
        [sys.executable, "-m", "envgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_plugin_target_renders_and_checks(tmp_path: Path) -> None:
    site = _site(tmp_path)
    repo = write_tree(tmp_path / "repo", {
        "envgen.yaml": "version: 1\nregistries: {npm: {url: 'https://npm.corp.example/'}}\n"
        "targets:\n  npm: .npmrc\n  registry-line: registry.txt\n",
    })  # fmt: skip
    listed = _envgen(repo, site, "targets")
    assert "registry-line" in listed.stdout, listed.stderr
    rendered = _envgen(repo, site, "render")
    assert rendered.returncode == 0, rendered.stderr
    assert (repo / "registry.txt").read_text().splitlines()[1] == "https://npm.corp.example/"
    checked = _envgen(repo, site, "check")
    assert checked.returncode == 0, checked.stderr
    (repo / "registry.txt").write_text("edited\n")
    assert _envgen(repo, site, "check").returncode == 1


def test_an_unknown_target_lists_the_plugins_too(tmp_path: Path) -> None:
    """A name that is no built-in makes envgen read every installed plugin: the error's list
    names them."""
    site = _site(tmp_path)
    repo = write_tree(tmp_path / "repo", {
        "envgen.yaml": "version: 1\ntargets:\n  registry-lines: registry.txt\n",
    })  # fmt: skip
    result = _envgen(repo, site, "validate")
    assert result.returncode == 2
    assert "did you mean 'registry-line'?" in result.stderr
    assert "go, npm, pip, registry-line, retry" in result.stderr


def test_a_plugin_cannot_replace_a_built_in(tmp_path: Path) -> None:
    site = _site(tmp_path, name="npm")
    repo = write_tree(tmp_path / "repo", {
        "envgen.yaml": "version: 1\nregistries: {npm: {url: 'https://npm.corp.example/'}}\n"
        "targets:\n  npm: .npmrc\n",
    })  # fmt: skip
    assert _envgen(repo, site, "render").returncode == 0
    assert "registry=https://npm.corp.example/" in (repo / ".npmrc").read_text()
