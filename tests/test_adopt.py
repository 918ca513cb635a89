"""`envgen init`: what it detects, what it refuses, and that what it writes validates."""

from __future__ import annotations

from pathlib import Path

import pytest

from envgen.adopt.detect import detect
from tests.conftest import RunEnvgen, snapshot, write_tree


@pytest.mark.parametrize(
    ("files", "targets", "caches"),
    [
        (["package.json", "package-lock.json"], {"npm"}, ("npm",)),
        (["pyproject.toml", "uv.lock"], {"pip"}, ("uv",)),
        (["requirements-dev.txt", "poetry.lock"], {"pip"}, ("pip", "poetry")),
        (["go.mod", "go.sum"], {"go"}, ("go",)),
        (["Dockerfile"], {"docker-client"}, ()),
        ([".gitlab-ci.yml"], {"gitlab-ci"}, ()),
        ([".github/workflows/ci.yml"], {"github-actions", "github-workflow"}, ()),
        (["README.md"], set(), ()),
    ],
)
def test_detection(files: list[str], targets: set[str], caches: tuple[str, ...]) -> None:
    found = detect(files)
    assert set(found.targets) == targets
    assert found.caches == caches


def test_init_writes_a_policy_that_validates_and_renders(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {
        "package.json": "{}\n", "go.mod": "module x\n", ".gitlab-ci.yml": "build: {script: [x]}\n",
        ".github/workflows/ci.yml": "on: push\n",
    })  # fmt: skip
    result = run_envgen("init", cwd=repo)
    assert result.code == 0, result.err
    text = (repo / "envgen.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "# proxy:\n#   http: http://proxy.corp.example:3128" in text, "commented placeholders"
    assert run_envgen("validate", cwd=repo).code == 0
    assert run_envgen("render", cwd=repo).code == 0
    assert run_envgen("check", cwd=repo).code == 0


def test_init_refuses_to_replace_a_policy_unless_forced(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\n", "go.mod": "module x\n"})
    before = snapshot(repo)
    result = run_envgen("init", cwd=repo)
    assert result.code == 3
    assert "envgen.yaml exists: `envgen init --force` replaces it" in result.err
    assert snapshot(repo) == before
    assert run_envgen("init", "--force", cwd=repo).code == 0
    assert "go: go.env" in (repo / "envgen.yaml").read_text("utf-8")


def test_what_cannot_be_carried_is_listed_with_its_place(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {
        "package.json": "{}\n",
        ".npmrc": "registry=https://npm.corp.example/\nstrict-ssl=false\nsave-exact=true\n",
    })  # fmt: skip
    result = run_envgen("init", cwd=repo)
    assert result.code == 0, result.err
    assert ".npmrc:2:1: note: not carried over: npm setting 'strict-ssl' has no policy field" in (
        result.err
    )
    assert ".npmrc:3:1: note: not carried over: npm setting 'save-exact'" in result.err
    assert "- strict-ssl=false" in result.out, "the change render would make is shown"


def test_no_from_existing_reads_nothing(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(
        tmp_path / "r", {"package.json": "{}\n", ".npmrc": "registry=https://x.example/\n"}
    )
    result = run_envgen("init", "--no-from-existing", cwd=repo)
    assert result.code == 0, result.err
    assert "x.example" not in (repo / "envgen.yaml").read_text("utf-8")


def test_an_invalid_adopted_value_points_at_its_file(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"package.json": "{}\n", ".npmrc": "proxy=ftp://p.example\n"})
    result = run_envgen("init", cwd=repo)
    assert result.code == 2
    assert result.err.startswith(".npmrc:1:1: error: proxy.http: ")
    assert not (repo / "envgen.yaml").exists()


def test_go_env_w_settings_are_adopted_when_the_repository_has_no_go_env(
    tmp_path: Path, run_envgen: RunEnvgen, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = write_tree(
        tmp_path / "config", {"go/env": "GOPROXY=https://goproxy.corp.example,direct\n"}
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(user))
    monkeypatch.delenv("GOENV", raising=False)
    repo = write_tree(tmp_path / "r", {"go.mod": "module x\n"})
    result = run_envgen("init", cwd=repo)
    assert result.code == 0, result.err
    assert "read your `go env -w` settings from" in result.err

    def policy_lines() -> str:
        text = (repo / "envgen.yaml").read_text("utf-8")
        return "\n".join(line for line in text.splitlines() if not line.startswith("#"))

    assert "https://goproxy.corp.example" in policy_lines()
    assert "fallback" not in policy_lines(), "',' separates: go's default fallback"
    assert run_envgen("init", "--force", "--no-from-existing", cwd=repo).code == 0
    assert "goproxy.corp.example" not in policy_lines()
