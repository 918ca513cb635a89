"""The command line as users and other tools see it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from envgen import __version__
from envgen.generators import default_paths
from envgen.schema.jsonschema import schema_text
from tests.conftest import REPO, RunEnvgen, python_env, write_tree


def test_python_dash_m_and_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "envgen", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env=python_env(),
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"envgen {__version__}"


def test_schema_file_is_in_sync() -> None:
    committed = (REPO / "schema" / "envgen.schema.json").read_text("utf-8")
    assert committed == schema_text(default_paths(builtin_only=True)), (
        "schema/ is stale; regenerate with: nox -s schema"
    )


def test_schema_command_prints_valid_json(run_envgen: RunEnvgen) -> None:
    result = run_envgen("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["required"] == ["version"]
    assert set(schema["properties"]["targets"]["properties"]) == {
        "npm",
        "pip",
        "go",
        "docker",
        "docker-systemd",
        "docker-client",
        "git",
        "curl",
        "buildkit",
        "retry",
        "gitlab-ci",
        "gitlab-runner",
        "gitlab-runner-systemd",
        "github-actions",
        "github-workflow",
    }
    assert schema["additionalProperties"] is False


def test_targets_lists_default_paths(run_envgen: RunEnvgen) -> None:
    result = run_envgen("targets")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split()[:2] == ["npm", ".npmrc"]
    assert lines[1].split()[:2] == ["pip", "pip.conf"]


def test_validate_prints_warnings_with_positions(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    policy = (
        "version: 1\nproxy:\n  http: http://p.example:3128\n  no_proxy:\n"
        "    - 10.0.0.0/8\ntargets:\n  npm: .npmrc\n"
    )
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    result = run_envgen("validate", cwd=repo)
    assert result.code == 0
    assert (
        "envgen.yaml:5:7: warning: NO_PROXY rule 10.0.0.0/8 is not honoured by npm: "
        "npm has no CIDR matching, so it uses the proxy for these addresses [EG201]"
    ) in result.err
    quiet = run_envgen("validate", "-q", cwd=repo)
    assert quiet.err == "" and quiet.out == ""


def test_policy_flag_from_elsewhere(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\ntargets: {pip: pip.conf}\n"})
    result = run_envgen("render", "-p", str(repo / "envgen.yaml"), cwd=tmp_path)
    assert result.code == 0
    assert (repo / "pip.conf").is_file()


def test_internal_error_is_reported_without_traceback(
    tmp_path: Path, run_envgen: RunEnvgen, monkeypatch: object
) -> None:
    import envgen.commands

    def boom(**_: object) -> int:
        raise RuntimeError("secret-ish detail")

    monkeypatch.setattr(envgen.commands, "cmd_validate", boom)  # type: ignore[attr-defined]
    result = run_envgen("validate", cwd=tmp_path)
    assert result.code == 70
    assert "this is a bug in envgen" in result.err
    assert "Traceback" not in result.err and "secret-ish" not in result.err


def test_colour_only_when_asked(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    result = run_envgen("--color", "always", "validate", cwd=tmp_path)
    assert "\033[" in result.err
    plain = run_envgen("validate", cwd=tmp_path)
    assert "\033[" not in plain.err


def test_render_dry_run_diff_shows_each_change_and_writes_nothing(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    policy = (
        "version: 1\nregistries:\n  npm: {url: https://npm.corp.example/}\n"
        "targets:\n  npm: .npmrc\n"
    )
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=repo).code == 0
    (repo / "envgen.yaml").write_text(policy.replace("npm.corp", "npm2.corp"))
    before = (repo / ".npmrc").read_bytes()
    result = run_envgen("render", "--dry-run", "--diff", cwd=repo)
    assert result.code == 0, result.err
    assert "would update .npmrc" in result.out
    assert (
        "-registry=https://npm.corp.example/\n+registry=https://npm2.corp.example/\n" in result.out
    )
    assert (repo / ".npmrc").read_bytes() == before


def test_diff_without_dry_run_is_a_usage_error(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_envgen("render", "--diff", cwd=tmp_path)
    assert exit_info.value.code == 2


def test_every_help_page_has_examples_that_parse_and_exit_codes() -> None:
    import shlex

    from envgen.cli import build_parser
    from envgen.helptext import EPILOGS

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(EPILOGS) == set(commands)
    for name, epilog in EPILOGS.items():
        examples, _, codes = epilog.partition("exit codes:")
        assert examples.startswith("examples:") and re.search(r"^  0  ", codes, re.M), name
        lines = re.findall(r"envgen [^#\n]*", examples)
        assert lines, name
        for line in lines:
            argv = shlex.split(re.split(r"[|>)]", line)[0])[1:]
            parser.parse_args(argv)  # an example that does not parse would exit 2
