"""`envgen new`: templates, refusals, and that no other command imports cookiecutter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from envgen.scaffold import TEMPLATES
from tests.conftest import RunEnvgen, python_env, write_tree


def test_list_names_every_shipped_template(run_envgen: RunEnvgen) -> None:
    result = run_envgen("new", "--list")
    assert result.code == 0
    assert [line.split()[0] for line in result.out.splitlines()] == list(TEMPLATES)


def test_an_unknown_template_suggests_one(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    result = run_envgen("new", "gitlab-og", "--no-input", cwd=tmp_path)
    assert result.code == 2
    assert "new: no template 'gitlab-og'; did you mean 'gitlab-go'?" in result.err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_directory_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    write_tree(tmp_path / "my-service", {"keep.txt": "mine\n"})
    result = run_envgen("new", "--no-input", cwd=tmp_path)
    assert result.code == 3
    assert (tmp_path / "my-service" / "keep.txt").read_text() == "mine\n"
    assert not (tmp_path / "my-service" / "envgen.yaml").exists()


def test_bad_extra_context_is_an_error(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    result = run_envgen("new", "--no-input", "--extra-context", "nonsense", cwd=tmp_path)
    assert result.code == 2
    assert "--extra-context takes KEY=VALUE" in result.err


def test_each_template_renders_and_checks_clean(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    for name in TEMPLATES:
        result = run_envgen(
            "new", name, "--no-input", "--extra-context", f"project_name=p-{name}", cwd=tmp_path
        )
        assert result.code == 0, (name, result.err)
        created = tmp_path / f"p-{name}"
        assert (created / ".pre-commit-config.yaml").is_file()
        assert (created / ".envgen-manifest.json").is_file()
        assert run_envgen("check", cwd=created).code == 0, name


def test_check_does_not_import_cookiecutter(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\ntargets:\n  npm: .npmrc\n"})
    probe = (
        "import sys\nfrom envgen.cli import main\n"
        "for argv in (['render'], ['check'], ['check']):\n"
        "    code = main(argv)\n"
        "    assert code == 0, (argv, code)\n"
        "print('cookiecutter' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo, env=python_env(),
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False"
