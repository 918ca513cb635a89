"""`envgen new` results with the real consumers: pre-commit runs the envgen hook (from a local
clone of this project, at its HEAD), actionlint and the GitHub schema read the workflows, the
GitLab CI schema reads the include and the pipeline."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from envgen.scaffold import TEMPLATES
from tests.conformance.test_ci_real import actionlint, schema_check
from tests.conftest import REPO, RunEnvgen, need_tool

pytestmark = pytest.mark.conformance


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this project (pre-commit installs the hook from it) and its HEAD commit."""
    clone = tmp_path_factory.mktemp("hook") / "envgen"
    git = need_tool("git")
    subprocess.run([git, "clone", "-q", str(REPO), str(clone)], check=True, timeout=300)
    head = subprocess.run(
        [git, "-C", str(clone), "rev-parse", "HEAD"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    return clone, head


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_a_new_repository_passes_its_own_checks(
    template: str,
    tmp_path: Path,
    run_envgen: RunEnvgen,
    hook_repo: tuple[Path, str],
    pre_commit_home: Path,
) -> None:
    clone, head = hook_repo
    result = run_envgen(
        "new", template, "--no-input", "--extra-context", "project_name=demo",
        f"envgen_repo={clone}", f"envgen_rev={head}", cwd=tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.err
    repo = tmp_path / "demo"
    assert run_envgen("check", cwd=repo).code == 0

    git = need_tool("git")
    ident = ["-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    subprocess.run([git, "init", "-q", str(repo)], check=True, timeout=60)
    subprocess.run([git, "-C", str(repo), "add", "-A"], check=True, timeout=60)
    subprocess.run([git, "-C", str(repo), *ident, "commit", "-qm", "new"], check=True, timeout=60)
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home)}
    done = subprocess.run(
        [need_tool("pre-commit"), "run", "--all-files"],
        cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "envgen check" in done.stdout and "Passed" in done.stdout

    # A drifted file makes the hook fail: it has teeth.
    generated = next(p for p in (repo / ".npmrc", repo / "go.env") if p.exists())
    generated.write_text(generated.read_text("utf-8") + "# hand edit\n", encoding="utf-8")
    drift = subprocess.run(
        [need_tool("pre-commit"), "run", "--all-files"],
        cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert drift.returncode != 0

    for workflow in (repo / ".github" / "workflows").glob("*.yml"):
        schema_check("vendor.github-workflows", workflow)
        actionlint(repo, workflow)
    include = repo / ".gitlab" / "ci" / "envgen.yml"
    if include.exists():
        schema_check("vendor.gitlab-ci", include)
        schema_check("vendor.gitlab-ci", repo / ".gitlab-ci.yml")
