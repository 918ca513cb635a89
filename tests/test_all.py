"""`--all`: every policy below the current directory in one process; failures and a summary."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import RunEnvgen, write_tree

POLICY = (
    "version: 1\nregistries: {{npm: {{url: 'https://npm{i}.corp.example/'}}}}\n"
    "targets:\n  npm: .npmrc\n"
)


def _tree(root: Path, count: int) -> None:
    for i in range(count):
        write_tree(root / f"svc{i:03d}", {"envgen.yaml": POLICY.format(i=i)})


def test_check_all_names_the_drifted_and_the_invalid_and_nothing_else(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    root = tmp_path / "mono"
    _tree(root, 60)
    subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=60)
    (root / ".gitignore").write_text("ignored/\n")
    write_tree(root / "ignored", {"envgen.yaml": "not: [a policy\n"})
    rendered = run_envgen("render", "--all", cwd=root)
    assert rendered.code == 0, rendered.out + rendered.err
    assert rendered.out.splitlines()[-1] == "render --all: 60 policies: 60 ok"
    (root / "svc007" / ".npmrc").write_text("registry=https://elsewhere.example/\n")
    (root / "svc042" / "envgen.yaml").write_text("version: 1\nproxy: {http: ftp://x}\n")

    result = run_envgen("check", "--all", cwd=root)

    assert result.code == 2, "invalid wins over drift"
    lines = result.out.splitlines()
    assert lines[-1] == (
        "check --all: 60 policies: 58 ok; 1 drifted (svc007/envgen.yaml); "
        "1 invalid (svc042/envgen.yaml)"
    )
    headers = [line for line in lines if line.startswith("== ")]
    assert headers == ["== svc007/envgen.yaml: drifted", "== svc042/envgen.yaml: invalid"]
    assert not any("svc001" in line for line in lines), "nothing printed for a clean policy"
    assert "svc042/envgen.yaml:2:15: error: proxy.http" in result.out
    assert "ignored" not in result.out, ".gitignore is honoured"


def test_all_outside_git_walks_the_tree(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    _tree(tmp_path / "plain", 3)
    write_tree(tmp_path / "plain" / "node_modules" / "x", {"envgen.yaml": "broken: ["})
    result = run_envgen("validate", "--all", cwd=tmp_path / "plain")
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1] == "validate --all: 3 policies: 3 ok"


def test_all_with_nothing_to_do_says_so(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    result = run_envgen("check", "--all", cwd=tmp_path)
    assert result.code == 2
    assert "--all: no envgen.yaml below" in result.err
