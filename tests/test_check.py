"""`envgen check`: 0 right after render, 1 with a diff naming the file after any drift."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envgen.cli import main
from envgen.console import Console
from tests.conftest import RunEnvgen, copy_examples, python_env, snapshot, write_tree


@pytest.fixture
def repo(tmp_path: Path, run_envgen: RunEnvgen) -> Path:
    tree = copy_examples(tmp_path / "repo")
    assert run_envgen("render", cwd=tree).code == 0
    return tree


def test_check_passes_right_after_render(repo: Path, run_envgen: RunEnvgen) -> None:
    result = run_envgen("check", cwd=repo)
    assert result.code == 0, result.err
    assert "up to date" in result.out


def test_check_writes_nothing(repo: Path, run_envgen: RunEnvgen) -> None:
    (repo / "pip.conf").write_text("edited\n")
    before = snapshot(repo)
    assert run_envgen("check", cwd=repo).code == 1
    assert snapshot(repo) == before


def test_hand_edit_is_drift(repo: Path, run_envgen: RunEnvgen) -> None:
    npmrc = repo / ".npmrc"
    npmrc.write_text(npmrc.read_text().replace("fetch-retries=4", "fetch-retries=9"))
    result = run_envgen("check", cwd=repo)
    assert result.code == 1
    assert "--- a/.npmrc (on disk)" in result.out
    assert "+++ b/.npmrc (rendered)" in result.out
    assert "-fetch-retries=9" in result.out
    assert "+fetch-retries=4" in result.out
    assert "run `envgen render`" in result.err


def test_deleted_output_is_drift(repo: Path, run_envgen: RunEnvgen) -> None:
    (repo / "pip.conf").unlink()
    result = run_envgen("check", cwd=repo)
    assert result.code == 1
    assert "pip.conf: missing" in result.out


def test_policy_change_is_drift(repo: Path, run_envgen: RunEnvgen) -> None:
    policy = repo / "envgen.yaml"
    policy.write_text(policy.read_text().replace("retries: 4", "retries: 6"))
    result = run_envgen("check", cwd=repo)
    assert result.code == 1
    assert ".npmrc: differs" in result.out
    assert "pip.conf: differs" in result.out
    assert "+retries = 6" in result.out


def test_change_in_extends_base_is_drift(repo: Path, run_envgen: RunEnvgen) -> None:
    base = repo / "policies" / "org-base.yaml"
    base.write_text(base.read_text().replace("min: 2s", "min: 3s"))
    result = run_envgen("check", cwd=repo)
    assert result.code == 1
    assert "+fetch-retry-mintimeout=3000" in result.out
    assert "pip.conf" not in result.out  # pip has no back-off setting: unchanged


def test_dropped_target_is_drift(repo: Path, run_envgen: RunEnvgen) -> None:
    policy = repo / "envgen.yaml"
    policy.write_text(policy.read_text().replace("  pip: pip.conf\n", ""))
    result = run_envgen("check", cwd=repo)
    assert result.code == 1
    assert "pip.conf: no longer produced by the policy" in result.out


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("timeout: 90s", "timeout: 1m 30s"),  # an equivalent duration
        ("# An example policy", "# A reworded comment"),
        ("  retries: 4\n  ca_file", "  retries: 4   # comment\n  ca_file"),
    ],
)
def test_meaningless_policy_edit_is_not_drift(
    repo: Path, run_envgen: RunEnvgen, old: str, new: str
) -> None:
    policy = repo / "envgen.yaml"
    text = policy.read_text()
    assert old in text
    policy.write_text(text.replace(old, new))
    result = run_envgen("check", cwd=repo)
    assert result.code == 0, result.out + result.err


def test_check_only_limits_the_comparison(repo: Path, run_envgen: RunEnvgen) -> None:
    (repo / "pip.conf").write_text("edited\n")
    assert run_envgen("check", "--only", "npm", cwd=repo).code == 0
    assert run_envgen("check", "--only", "pip", cwd=repo).code == 1


def _outside_ci() -> dict[str, str]:
    env = python_env()
    env.pop("CI", None)
    return env


def _python(code: str, repo: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`python -c code` in `repo`, outside CI (where envgen's record may answer)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo,
        capture_output=True,
        text=True,
        check=check,
        env=_outside_ci(),
    )


def test_fast_path_does_not_import_pydantic_or_jinja(repo: Path) -> None:
    """An unchanged repo is answered from envgen's own record alone (docs/architecture.md)."""
    code = (
        "import sys\n"
        "from envgen.cli import main\n"
        "rc = main(['check', '-q'])\n"
        "heavy = ('pydantic', 'jinja2', 'ruamel.yaml', 'importlib.metadata',\n"
        "         'cookiecutter', 'rich', 'envgen.schema.model')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(rc, heavy)\n"
    )
    assert _python(code, repo).stdout.strip() == "0 []"


def test_console_script_fast_path_imports_only_the_standard_library_core(repo: Path) -> None:
    """The `envgen` command (envgen.entry) answers an unchanged repository before envgen.cli,
    argparse, pathlib or typing is imported, and says what the full check says."""
    code = (
        "import sys\n"
        "at_start = set(sys.modules)  # what site and .pth files imported is not envgen's\n"
        "from envgen.entry import main\n"
        "rc = main(['check'])\n"
        "heavy = ('pydantic', 'jinja2', 'ruamel.yaml', 'cookiecutter', 'rich', 'envgen.cli',\n"
        "         'argparse', 'pathlib', 'typing', 'hashlib', 'envgen.console',\n"
        "         'envgen.schema.model')\n"
        "print(rc, [m for m in heavy if m in set(sys.modules) - at_start])\n"
    )
    proc = _python(code, repo)
    full = _python(
        "from envgen.cli import main; raise SystemExit(main(['check']))", repo, check=False
    )
    assert proc.stdout.splitlines() == [*full.stdout.splitlines(), "0 []"]
    assert proc.stderr == full.stderr == ""


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check"], (None, False)),
        (["check", "-q"], (None, True)),
        (["-q", "check"], (None, True)),
        (["check", "-p", "infra/envgen.yaml"], ("infra/envgen.yaml", False)),
        (["--policy=infra", "check", "--quiet"], ("infra", True)),
        (["check", "--color", "never"], (None, False)),
        (["--color=always", "check"], (None, False)),
        # Everything else is argparse's to read: the full check (or an error) follows.
        (["check", "--only", "npm"], None),
        (["check", "--warnings"], None),
        (["check", "--format", "json"], None),
        (["check", "--all"], None),
        (["check", "--help"], None),
        (["check", "--pol", "x.yaml"], None),  # an abbreviation argparse accepts
        (["check", "-pX.yaml"], None),
        (["check", "-p"], None),
        (["check", "-p", "--quiet"], None),
        (["check", "-p", ""], None),
        (["check", "-p", "a.yaml", "-p", "b.yaml"], None),
        (["check", "--color", "sometimes"], None),
        (["check", "check"], None),
        (["check", "--", "x"], None),
        (["render"], None),
        (["validate", "check"], None),
        (["-q"], None),
        ([], None),
    ],
)
def test_only_a_plain_check_takes_the_fast_road(
    argv: list[str], expected: tuple[str | None, bool] | None
) -> None:
    from envgen.entry import plain_check

    assert plain_check(argv) == expected


def test_under_ci_check_always_renders(repo: Path) -> None:
    """With CI set no record is trusted: the same check loads and renders the policy."""
    code = (
        "import sys\n"
        "from envgen.cli import main\n"
        "rc = main(['check', '-q'])\n"
        "print(rc, 'envgen.schema.policy' in sys.modules, 'ruamel.yaml' in sys.modules)\n"
    )
    env = {**python_env(), "CI": "true"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True, env=env
    )
    assert proc.stdout.strip() == "0 True True"


def test_a_cold_check_skips_the_no_proxy_audit_unless_warnings_are_asked(repo: Path) -> None:
    """The audit only ever warns, and check prints no warning unless asked: it is not run, so a
    cold check costs no more than validate (performance issue); --warnings runs it."""
    code = (
        "import sys\n"
        "from envgen.cli import main\n"
        "rc = main(['check', *sys.argv[1:]])\n"
        "print(rc, 'envgen.explain.audit' in sys.modules, file=sys.stderr)\n"
    )
    env = {**python_env(), "CI": "true"}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, *argv],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )

    quiet, asked = run(), run("--warnings")
    assert quiet.stderr.splitlines()[-1] == "0 False"
    assert asked.stderr.splitlines()[-1] == "0 True"
    assert "[EG201]" in asked.stderr and "warning" not in quiet.stderr
    assert quiet.stdout == asked.stdout  # the same answer: every file up to date


def test_under_ci_check_writes_no_record(repo: Path) -> None:
    """A job's check leaves nothing behind: the record is never read under CI."""
    from envgen.workspace import record

    directory = record.state_dir(str(repo))
    assert directory is not None
    Path(directory, "state.json").unlink(missing_ok=True)
    assert record.recall(str(repo)) is None
    env = {**python_env(), "CI": "true"}
    code = "from envgen.cli import main; raise SystemExit(main(['check', '-q']))"
    subprocess.run([sys.executable, "-c", code], cwd=repo, check=True, env=env)
    assert record.recall(str(repo)) is None
    # Outside CI the same clean check writes it, and the next check answers from it.
    _python(code, repo)
    assert record.recall(str(repo)) is not None


def test_fast_path_falls_back_when_anything_changed(repo: Path) -> None:
    (repo / ".npmrc").write_text((repo / ".npmrc").read_text() + "extra=1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "envgen", "check"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=python_env(),
    )
    assert proc.returncode == 1
    assert "+extra=1" not in proc.stdout and "-extra=1" in proc.stdout


def _slip(repo: Path, how: str) -> None:
    """One way a change could slip past the fast path (see the test below)."""
    import hashlib
    import json as _json

    from envgen.workspace.state import STATE_NAME, state_dir

    if how == "policy edit":
        text = (repo / "envgen.yaml").read_text()
        (repo / "envgen.yaml").write_text(text.replace("retries: 2", "retries: 5"))
    elif how == "base edit":
        (repo / "base.yaml").write_text("version: 1\nnetwork: {timeout: 33s}\n")
    elif how == "output edit":
        (repo / ".npmrc").write_text((repo / ".npmrc").read_text() + "extra=1\n")
    elif how == "output deleted":
        (repo / "pip.conf").unlink()
    elif how == "manifest edited":
        manifest = _json.loads((repo / ".envgen-manifest.json").read_text())
        (repo / "old.conf").write_text("; Generated by envgen from envgen.yaml; do not edit.\n")
        manifest["files"]["old.conf"] = {"sha256": "0" * 64, "target": "old"}
        (repo / ".envgen-manifest.json").write_text(_json.dumps(manifest))
    elif how == "temporary file left":
        # What a render killed between staging and renaming leaves beside an output.
        (repo / ".pip.conf.k3x9_a0b.tmp").write_text("half a file\n")
    elif how == "envgen version":
        # An output changed, and the record was made to vouch for it: only the version it was
        # written by differs from the running envgen.
        (repo / ".npmrc").write_text((repo / ".npmrc").read_text() + "extra=1\n")
        directory = state_dir(repo)
        assert directory is not None
        path = directory / STATE_NAME
        state = _json.loads(path.read_text())
        state["files"][".npmrc"] = hashlib.sha256((repo / ".npmrc").read_bytes()).hexdigest()
        path.write_text(_json.dumps(state))
        assert run_in_process(repo) == 0, "the forged record fools this envgen version"
        state["envgen_version"] = "0.0.0-older"
        path.write_text(_json.dumps(state))


ROAD = "envgen.cli"


def run_in_process(repo: Path) -> int:
    cwd = Path.cwd()
    try:
        os.chdir(repo)
        if ROAD == "envgen.entry":
            from envgen.entry import fast_check

            answered = fast_check(["check", "-q"])
            if answered is not None:
                return 0
        return main(["check", "-q"], Console(io.StringIO(), io.StringIO(), color="never"))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("road", ["envgen.cli", "envgen.entry"])
@pytest.mark.parametrize(
    "how",
    ["policy edit", "base edit", "output edit", "output deleted", "manifest edited",
     "envgen version", "temporary file left"],
)  # fmt: skip
def test_no_change_slips_past_the_fast_path(
    how: str, road: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a clean check the record answers; after each kind of change it must not, and the
    full check reports the drift. Both roads in: the console script's (envgen.entry, which
    answers before envgen.cli is imported) and envgen.cli's own."""
    monkeypatch.setattr(sys.modules[__name__], "ROAD", road)
    monkeypatch.delenv("CI", raising=False)
    repo = write_tree(tmp_path / "r", {
        "base.yaml": "version: 1\nnetwork: {timeout: 60s}\n",
        "envgen.yaml": "version: 1\nextends: [base.yaml]\nnetwork: {retries: 2}\n"
        "targets:\n  npm: .npmrc\n  pip: pip.conf\n",
    })  # fmt: skip
    assert run_in_process(repo) == 1  # nothing rendered yet
    monkeypatch.chdir(repo)
    assert main(["render", "-q"], Console(io.StringIO(), io.StringIO(), color="never")) == 0
    assert run_in_process(repo) == 0
    _slip(repo, how)
    assert run_in_process(repo) == 1, how
