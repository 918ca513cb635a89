"""Messages a newcomer meets first: each says what is wrong and what to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RunEnvgen, python_env, write_tree

TAB = "version: 1\nproxy:\n\thttp: x\n"
INDENT = "version: 1\nproxy:\n  http: http://p:3128\n   https: x\n"
LIST = 'version: 1\nproxy:\n  http: http://p:3128\n  no_proxy: ".a,10.0.0.0/8"\n'
PORT = "version: 1\nproxy:\n  http: http://p:99999\n"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (TAB, "envgen.yaml:3:1: error: invalid YAML: a tab cannot indent YAML: indent with spaces"),
        (INDENT, "envgen.yaml:4:9: error: invalid YAML: a ':' where YAML expects none: check"),
        (LIST, "envgen.yaml:4:13: error: proxy.no_proxy: must be a list: write it as a YAML list"),
        (PORT, "envgen.yaml:3:9: error: proxy.http: a proxy URL has a port outside 1-65535"),
    ],
    ids=["tab", "indentation", "list-as-string", "port"],
)
def test_parser_messages_say_what_to_do(
    tmp_path: Path, run_envgen: RunEnvgen, policy: str, expected: str
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    result = run_envgen("validate", cwd=repo)
    assert result.code == 2
    assert expected in result.err


def test_a_directory_given_to_p_means_its_envgen_yaml(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\ntargets:\n  npm: .npmrc\n"})
    result = run_envgen("validate", "-p", "r", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "r/envgen.yaml: valid policy" in result.out


def test_only_suggests_the_target_meant(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\ntargets:\n  npm: .npmrc\n"})
    result = run_envgen("render", "--only", "npmm", cwd=repo)
    assert result.code == 2
    assert "--only npmm: not among the policy's targets (npm); did you mean npm?" in result.err


def test_a_policy_without_targets_says_how_to_add_one(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\n"})
    result = run_envgen("render", cwd=repo)
    assert result.code == 0
    assert "the policy has no `targets:` yet" in result.out


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`envgen explain | head -1`: the reader leaves early; no traceback, no "internal error"."""
    rules = "".join(f"    - h{i}.example:{1000 + i}\n" for i in range(300))
    policy = f"version: 1\nproxy:\n  http: http://p.example:3128\n  no_proxy:\n{rules}"
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})  # far more than a pipe holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "envgen", "explain"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=python_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    err = proc.stderr.read().decode()
    proc.stderr.close()
    code = proc.wait(timeout=60)
    assert "internal error" not in err and "Traceback" not in err, err
    assert code == 141  # 128 + SIGPIPE, as the shell reports a command whose reader left


def test_help_documents_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from envgen.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--traceback" in capsys.readouterr().out
