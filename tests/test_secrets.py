"""No secret value may reach an output file, stdout or stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunEnvgen, write_tree

SECRET = "glpat-AbCdEfGhIjKlMnOpQrStUvWx"
LITERAL = "hunter2-not-a-reference"


@pytest.mark.parametrize(
    "policy",
    [
        f"version: 1\nregistries:\n  npm:\n    url: https://n.example/\n    token: {LITERAL}\n",
        f"version: 1\nproxy:\n  http: http://u:{LITERAL}@p.example:3128\n",
        f"version: 1\nregistries:\n  pypi:\n    index: https://u:{LITERAL}@p.example/simple\n",
        f"version: 1\nrunner:\n  name: {SECRET}\n  url: https://g.example/\n",
        f"version: 1\ntargets:\n  {SECRET}: .npmrc\n",
        f"version: 1\nnetwork:\n  retries: {SECRET}\n",
        f"version: 1\nregistries:\n  npm:\n    url: https://n.example/\n    token: {SECRET}\n",
    ],
)
def test_secret_never_echoed(policy: str, tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(
        tmp_path / "r",
        {
            "envgen.yaml": policy + "targets:\n  npm: .npmrc\n"
            if "targets" not in policy
            else policy
        },
    )
    for command in ("validate", "render", "check"):
        result = run_envgen(command, cwd=repo)
        assert result.code == 2, result.err
        assert SECRET not in result.out + result.err
        assert LITERAL not in result.out + result.err
        assert "not shown" in result.err or "literal" in result.err


def test_rendered_files_hold_references_only(
    tmp_path: Path, run_envgen: RunEnvgen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", SECRET)
    monkeypatch.setenv("PYPI_TOKEN", SECRET)
    policy = (
        "version: 1\nregistries:\n  npm:\n    url: https://n.example/\n    token: ${NPM_TOKEN}\n"
        "  pypi:\n    extra:\n      - url: https://p.example/simple\n        token: ${PYPI_TOKEN}\n"
        "targets:\n  npm: .npmrc\n  pip: pip.conf\n"
    )
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    result = run_envgen("render", cwd=repo)
    assert result.code == 0
    for path in repo.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text()
    assert SECRET not in result.out + result.err
    assert "//n.example/:_authToken=${NPM_TOKEN}" in (repo / ".npmrc").read_text()
    assert "PYPI_TOKEN" not in (repo / "pip.conf").read_text()
