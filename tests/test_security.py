"""SECURITY.md's promises that no other test file holds: no network, no code from a policy.

(Secrets, confined writes and the advisory manifest are held by test_secrets.py,
test_hardening.py, test_invalid.py, test_killpoints.py and test_properties.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_examples, python_env, write_tree

NONETWORK = REPO / "tests" / "nonetwork"

COMMANDS = [
    ["validate"],
    ["render"],
    ["check"],
    ["explain"],
    ["explain", "https://npm.corp.example/x"],
    ["explain", "--format", "json", "http://10.1.2.3/"],
    ["env", "--format", "sh"],
    ["schema"],
    ["targets"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_no_command_touches_the_network(tmp_path: Path, argv: list[str]) -> None:
    repo = copy_examples(tmp_path / "repo")
    env = python_env()
    env["PYTHONPATH"] = os.pathsep.join([str(NONETWORK), env["PYTHONPATH"]])
    if argv != ["render"]:
        subprocess.run(
            [sys.executable, "-m", "envgen", "render", "-q"], cwd=repo, env=env, check=True
        )
    proc = subprocess.run(
        [sys.executable, "-m", "envgen", *argv],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "NETWORK ACCESS ATTEMPTED" not in proc.stderr


def test_the_guard_itself_catches_a_connection(tmp_path: Path) -> None:
    env = python_env()
    env["PYTHONPATH"] = os.pathsep.join([str(NONETWORK), env["PYTHONPATH"]])
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError:\n    pass\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "NETWORK ACCESS ATTEMPTED" in proc.stderr


POLICY = """\
version: 1
network:
  ca_file: "/etc/ssl/{{ 7 * 7 }}/$(touch pwned)/`touch pwned2`.pem"
caches:
  dir: "c{% raw %}x{% endraw %}${HOME}"
  npm: true
runner:
  name: r1
  url: https://gitlab.example/
  image: "alpine:{{ config }}"
targets:
  npm: .npmrc
  pip: pip.conf
  gitlab-ci: ci.yml
  gitlab-runner: config.toml
  github-actions: action/action.yml
"""


def test_policy_text_is_never_evaluated(tmp_path: Path) -> None:
    """Template syntax, shell substitutions and YAML tags in a policy stay inert text."""
    repo = write_tree(tmp_path / "repo", {"envgen.yaml": POLICY})
    proc = subprocess.run(
        [sys.executable, "-m", "envgen", "render"],
        cwd=repo,
        env=python_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert not list(repo.rglob("pwned*")) and not list(Path.cwd().glob("pwned*"))
    npmrc = (repo / ".npmrc").read_text()
    assert "cafile=/etc/ssl/{{ 7 * 7 }}/$(touch pwned)/`touch pwned2`.pem" in npmrc
    assert "49" not in npmrc
    assert "alpine:{{ config }}" in (repo / "config.toml").read_text()
    assert "{% raw %}" in (repo / "ci.yml").read_text()
