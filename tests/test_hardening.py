"""The adversarial review's findings, each as a case that failed before it was fixed.

Manifest: it may speed nothing up and prove nothing (a pull request can edit it). Writes: all
or nothing. No crash (exit 70), no hang and no unbounded read on hostile input. No injection
through a string, no secret repeated by a message. Paths confined to the root, outside .git/.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envgen.cli import EXIT_BUG
from tests.conftest import RunEnvgen, python_env, snapshot, unavailable, write_tree

SIMPLE = "version: 1\ntargets:\n  npm: .npmrc\n  pip: pip.conf\n"
DOCKER = (
    "version: 1\ndocker:\n  max_download_attempts: {n}\n"
    "targets:\n  npm: .npmrc\n  docker: daemon.json\n"
)
TOKEN = "ghp_" + "A1b2C3d4E5" * 4


def _manifest(repo: Path) -> dict:
    return json.loads((repo / ".envgen-manifest.json").read_text("utf-8"))


def _write_manifest(repo: Path, data: dict) -> None:
    (repo / ".envgen-manifest.json").write_text(json.dumps(data), encoding="utf-8")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _subprocess(argv: list[str], cwd: Path, timeout: int = 60) -> subprocess.CompletedProcess[str]:
    """envgen in its own process, bounded in time: a hang is a failure, not a stuck suite."""
    return subprocess.run(
        [sys.executable, "-m", "envgen", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=python_env(),
        timeout=timeout,
    )


# --- the manifest cannot lie ---------------------------------------------------------------


def test_a_rewritten_manifest_cannot_hide_an_edited_file(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    assert run_envgen("render", cwd=repo).code == 0
    npmrc = repo / ".npmrc"
    npmrc.write_text(npmrc.read_text() + "registry=http://evil.example/\nstrict-ssl=false\n")
    manifest = _manifest(repo)
    manifest["files"][".npmrc"]["sha256"] = _digest(npmrc)
    _write_manifest(repo, manifest)
    result = run_envgen("check", cwd=repo)
    assert result.code == 1, result.out
    assert "-registry=http://evil.example/" in result.out


@pytest.mark.parametrize("how", ["drop-entry", "empty-files"])
def test_dropping_manifest_entries_hides_nothing(
    tmp_path: Path, run_envgen: RunEnvgen, how: str
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    assert run_envgen("render", cwd=repo).code == 0
    (repo / "pip.conf").write_text("[global]\nindex-url = http://evil.example/\n")
    manifest = _manifest(repo)
    if how == "drop-entry":
        del manifest["files"]["pip.conf"]
    else:
        manifest["files"] = {}
    _write_manifest(repo, manifest)
    result = run_envgen("check", cwd=repo)
    assert result.code == 1
    assert "pip.conf: differs" in result.out


@pytest.mark.parametrize("force", [False, True])
def test_a_true_digest_in_the_manifest_deletes_nothing(
    tmp_path: Path, run_envgen: RunEnvgen, force: bool
) -> None:
    """A file envgen did not write, listed with its true digest (or any digest with --force),
    is never deleted: render refuses, or with --force leaves it and says how to remove it."""
    repo = write_tree(
        tmp_path / "r", {"envgen.yaml": SIMPLE, "src/important.py": "print('keep me')\n"}
    )
    assert run_envgen("render", cwd=repo).code == 0
    manifest = _manifest(repo)
    manifest["files"]["src/important.py"] = {
        "sha256": "0" * 64 if force else _digest(repo / "src/important.py"),
        "target": "pip",
    }
    _write_manifest(repo, manifest)
    result = run_envgen("render", *(["--force"] if force else []), cwd=repo)
    assert (repo / "src/important.py").read_text() == "print('keep me')\n"
    assert "rm -- src/important.py" in result.err
    assert result.code == (0 if force else 3)


def test_git_internals_listed_in_the_manifest_are_refused(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE, ".git/HEAD": "ref: refs/x\n"})
    assert run_envgen("render", cwd=repo).code == 0
    manifest = _manifest(repo)
    manifest["files"][".git/HEAD"] = {"sha256": _digest(repo / ".git/HEAD"), "target": "pip"}
    _write_manifest(repo, manifest)
    for argv in (["render"], ["render", "--force"]):
        result = run_envgen(*argv, cwd=repo)
        assert result.code == 3
        assert "inside .git/" in result.err
    assert (repo / ".git/HEAD").read_text() == "ref: refs/x\n"


@pytest.mark.parametrize("alias", ["./.npmrc", ".//.npmrc", "./.npmrc/"])
def test_an_alias_in_the_manifest_is_the_same_file(
    tmp_path: Path, run_envgen: RunEnvgen, alias: str
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    assert run_envgen("render", cwd=repo).code == 0
    manifest = _manifest(repo)
    manifest["files"][alias] = manifest["files"].pop(".npmrc")
    _write_manifest(repo, manifest)
    result = run_envgen("render", cwd=repo)
    assert result.code == 0, result.err
    assert "unchanged .npmrc" in result.out and "removed" not in result.out
    assert (repo / ".npmrc").is_file()


@pytest.mark.parametrize("broken", ["{not json", "[" * 100_000 + "]" * 100_000])
def test_a_broken_manifest_does_not_block_json_outputs(
    tmp_path: Path, run_envgen: RunEnvgen, broken: str
) -> None:
    """daemon.json carries no marker; envgen's own record shows it wrote it."""
    repo = write_tree(tmp_path / "r", {"envgen.yaml": DOCKER.format(n=3)})
    assert run_envgen("render", cwd=repo).code == 0
    (repo / ".envgen-manifest.json").write_text(broken)
    (repo / "envgen.yaml").write_text(DOCKER.format(n=7))
    result = run_envgen("render", cwd=repo)
    assert result.code == 0, result.err
    assert json.loads((repo / "daemon.json").read_text())["max-download-attempts"] == 7
    assert "warning:" in result.err and "writes a new one" in result.err
    assert _manifest(repo)["files"]["daemon.json"]["target"] == "docker"


def test_a_manifest_that_is_a_directory_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    (repo / ".envgen-manifest.json").mkdir()
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "manifest is a directory" in result.err
    assert not (repo / ".npmrc").exists()


# --- all or nothing --------------------------------------------------------------------------


def test_a_failed_rename_puts_every_file_back(
    tmp_path: Path, run_envgen: RunEnvgen, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    assert run_envgen("render", cwd=repo).code == 0
    (repo / "envgen.yaml").write_text(SIMPLE + "network: {retries: 7}\n")
    before = snapshot(repo)
    real_replace = Path.replace
    calls = {"n": 0}

    def flaky(self: Path, target: str | os.PathLike[str]) -> Path:
        calls["n"] += 1
        if calls["n"] == 2:  # the second rename of the render fails
            raise PermissionError(1, "Operation not permitted", str(target))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "every file was put back" in result.err
    assert snapshot(repo) == before, "outputs, manifest and no temporary file left behind"


def test_temporary_files_of_a_killed_run_are_reported_and_removed(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    assert run_envgen("render", cwd=repo).code == 0
    stale = repo / "..npmrc.abc12_xy.tmp"  # how render stages .npmrc
    stale.write_text("half a file")
    check = run_envgen("check", cwd=repo)
    assert check.code == 1
    assert "..npmrc.abc12_xy.tmp: left by an interrupted render" in check.out
    result = run_envgen("render", cwd=repo)
    assert result.code == 0
    assert "removed 1 temporary file(s)" in result.out
    assert not stale.exists()
    assert run_envgen("check", cwd=repo).code == 0


# --- no crash, no hang, no unbounded read ------------------------------------------------------


def _clean(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert result.returncode != EXIT_BUG
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("where", ["target", "parent"])
def test_symlink_loops_in_output_paths(tmp_path: Path, where: str) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "loop").symlink_to("loop")
    target = "loop" if where == "target" else "loop/.npmrc"
    (repo / "envgen.yaml").write_text(f"version: 1\ntargets:\n  npm: {target}\n")
    result = _subprocess(["render"], repo)
    _clean(result, 3)
    assert "symbolic link loop" in result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_never_read(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():  # not a Unix-like system: nothing to read unboundedly
        unavailable(f"{device} does not exist here")
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    depth = len(repo.resolve().parts) - 1
    (repo / "a.yaml").write_text(f"version: 1\nextends: [{'../' * depth}{device[1:]}]\n")
    result = _subprocess(["validate", "-p", "a.yaml"], repo)
    _clean(result, 2)
    assert "not a regular file" in result.stderr
    _clean(_subprocess(["validate", "-p", device], repo), 2)
    assert _subprocess(["render"], repo).returncode == 0
    (repo / ".envgen-manifest.json").unlink()
    (repo / ".envgen-manifest.json").symlink_to(device)
    _clean(_subprocess(["check"], repo), 0)


@pytest.mark.parametrize("which", ["policy", "base", "manifest"])
def test_a_fifo_never_blocks(tmp_path: Path, which: str) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    if which == "policy":
        (repo / "envgen.yaml").unlink()
        os.mkfifo(repo / "envgen.yaml")
        _clean(_subprocess(["validate"], repo, timeout=30), 2)
    elif which == "base":
        os.mkfifo(repo / "base.yaml")
        (repo / "envgen.yaml").write_text("version: 1\nextends: [base.yaml]\n")
        result = _subprocess(["validate"], repo, timeout=30)
        _clean(result, 2)
        assert "envgen.yaml:2:11: error: extends base" in result.stderr
    else:
        os.mkfifo(repo / ".envgen-manifest.json")
        result = _subprocess(["render"], repo, timeout=30)
        _clean(result, 3)
        assert "manifest is not a regular file" in result.stderr


def test_shared_bases_are_read_once(tmp_path: Path) -> None:
    """Each file extends the next twice, 20 deep: 2**20 expansions before, 21 reads now."""
    files = {
        f"b{i}.yaml": f"version: 1\nextends: [b{i + 1}.yaml, b{i + 1}.yaml]\n" for i in range(20)
    }
    files["b20.yaml"] = "version: 1\nnetwork: {retries: 5}\n"
    files["envgen.yaml"] = "version: 1\nextends: [b0.yaml]\ntargets:\n  pip: pip.conf\n"
    repo = write_tree(tmp_path / "r", files)
    result = _subprocess(["render"], repo, timeout=60)
    _clean(result, 0)
    assert "retries = 5" in (repo / "pip.conf").read_text()


def test_extends_chains_are_bounded(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    files = {f"c{i}.yaml": f"version: 1\nextends: [c{i + 1}.yaml]\n" for i in range(40)}
    files["c40.yaml"] = "version: 1\n"
    repo = write_tree(tmp_path / "r", files)
    result = run_envgen("validate", "-p", "c0.yaml", cwd=repo)
    assert result.code == 2
    assert "extends chains may be at most 32 deep" in result.err


def test_an_unreadable_output_is_an_error(
    tmp_path: Path, run_envgen: RunEnvgen, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE, ".npmrc": "x=1\n"})
    real_open = os.open

    def denied(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if str(path).endswith(".npmrc") and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    before = snapshot(repo)
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "envgen.yaml:3:8: error: targets.npm: .npmrc cannot be read (permission denied)" in (
        result.err
    )
    assert snapshot(repo) == before


def test_a_policy_file_name_with_a_line_break(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"a\nb.yaml": SIMPLE})
    before = snapshot(repo)
    result = run_envgen("render", "-p", "a\nb.yaml", cwd=repo)
    assert result.code == 2
    assert "control character or line break" in result.err
    assert snapshot(repo) == before


# --- injection, terminal escapes, secrets in messages ------------------------------------------


def test_a_github_expression_in_caches_dir_is_inert(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    policy = (
        'version: 1\ncaches:\n  dir: "c${{ github.token }}"\n  npm: true\n'
        "targets:\n  github-actions: action.yml\n"
    )
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=repo).code == 0
    text = (repo / "action.yml").read_text()
    assert "${{ github.token }}" not in text
    assert "c${{ '${{' }} github.token }}/npm" in text


def test_terminal_escapes_are_printed_escaped(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\n"})
    for argv in (
        ["explain", "http://a\x1b[2Jb.example/"],
        ["explain", "--no-proxy", "x\x1b]0;pwned\x07"],
    ):
        result = _subprocess(argv, repo)
        assert "\x1b" not in result.stdout + result.stderr
        assert "\x07" not in result.stdout + result.stderr
        assert "\\u001b" in result.stdout + result.stderr


LONG = "1" * 5000


@pytest.mark.parametrize(
    "policy",
    [
        f"version: 1\n{TOKEN}: 1\n{TOKEN}: 2\n",
        f"version: 1\nnetwork:\n  retries: *{TOKEN}\n",
        f"version: 1\nnetwork:\n  retries: !{TOKEN} 3\n",
        f"version: 1\nextends: [{TOKEN}.yaml]\n",
        f"version: 1\nnetwork:\n  timeout: 5{TOKEN}\n",
        f"version: 1\nproxy:\n  http: http://p:1\n  no_proxy: [{LONG}.0.0.0/8]\n",
        f"version: 1\n{TOKEN}: 1\n",
    ],
    ids=["duplicate-key", "undefined-alias", "tag", "extends-name", "duration", "cidr", "key"],
)
def test_messages_never_repeat_a_token(tmp_path: Path, run_envgen: RunEnvgen, policy: str) -> None:
    """Each message names the problem with at most a short excerpt, never a token."""
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    result = run_envgen("validate", cwd=repo)
    assert result.code == 2
    assert TOKEN[:12] not in result.err + result.out
    assert max(len(line) for line in result.err.splitlines()) < 300


def test_an_800kb_value_is_not_echoed(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    huge = "x" * 800_000
    repo = write_tree(tmp_path / "r", {"envgen.yaml": f"version: 1\nnetwork:\n  timeout: {huge}\n"})
    result = run_envgen("validate", cwd=repo)
    assert result.code == 2
    assert max(len(line) for line in result.err.splitlines()) < 300


# --- paths -------------------------------------------------------------------------------------


def test_a_symlinked_policy_renders_beside_the_link(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    elsewhere = write_tree(tmp_path / "elsewhere", {"shared.yaml": SIMPLE})
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "envgen.yaml").symlink_to(elsewhere / "shared.yaml")
    assert run_envgen("render", cwd=repo).code == 0
    assert (repo / ".npmrc").is_file() and (repo / ".envgen-manifest.json").is_file()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["shared.yaml"]
