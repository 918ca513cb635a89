"""Render's write rules: refusals (exit 3), --force, removal of dropped targets, atomicity."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from envgen.workspace import write
from envgen.workspace.names import MANIFEST_NAME
from tests.conftest import RunEnvgen, copy_examples, snapshot, write_tree

SIMPLE = "version: 1\ntargets:\n  npm: .npmrc\n  pip: pip.conf\n"


def test_render_reports_each_file(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    first = run_envgen("render", cwd=repo)
    assert first.code == 0
    assert "created .npmrc" in first.out and "created pip.conf" in first.out
    second = run_envgen("render", cwd=repo)
    assert "unchanged .npmrc" in second.out
    assert "2 file(s): 2 unchanged" in second.out


def test_dry_run_writes_nothing(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    before = snapshot(repo)
    result = run_envgen("render", "--dry-run", cwd=repo)
    assert result.code == 0
    assert "would create .npmrc" in result.out
    assert snapshot(repo) == before


def test_unmanaged_file_is_refused_then_forced(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE, ".npmrc": "registry=mine\n"})
    before = snapshot(repo)
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "envgen.yaml:3:8: error: targets.npm: .npmrc exists and was not generated" in (
        result.err
    )
    assert snapshot(repo) == before, "a refused run writes nothing, not even pip.conf"
    forced = run_envgen("render", "--force", cwd=repo)
    assert forced.code == 0
    assert "updated .npmrc" in forced.out


def test_managed_file_with_hand_edit_is_overwritten(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    run_envgen("render", cwd=repo)
    (repo / "pip.conf").write_text("[global]\ntimeout = 1\n")  # marker gone, manifest knows it
    result = run_envgen("render", cwd=repo)
    assert result.code == 0
    assert "updated pip.conf" in result.out


def test_symlink_escape_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\ntargets:\n  npm: out/.npmrc\n"})
    (repo / "out").symlink_to(outside, target_is_directory=True)
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "envgen.yaml:3:8: error: targets.npm: output path 'out/.npmrc' leads outside" in (
        result.err
    )
    assert list(outside.iterdir()) == []


def test_symlinked_output_file_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE, "real": "x\n"})
    (repo / ".npmrc").symlink_to(repo / "real")
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "is a symbolic link" in result.err


def test_output_onto_policy_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\ntargets:\n  pip: envgen.yaml\n"})
    result = run_envgen("render", "--force", cwd=repo)
    assert result.code == 3
    assert "would overwrite the policy" in result.err


def test_dropped_target_file_is_removed(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    run_envgen("render", cwd=repo)
    (repo / "envgen.yaml").write_text("version: 1\ntargets:\n  npm: .npmrc\n")
    result = run_envgen("render", cwd=repo)
    assert result.code == 0
    assert "removed pip.conf" in result.out
    assert not (repo / "pip.conf").exists()
    assert '"pip.conf"' not in (repo / ".envgen-manifest.json").read_text()


def test_edited_dropped_target_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    run_envgen("render", cwd=repo)
    (repo / "pip.conf").write_text("my own now\n")
    (repo / "envgen.yaml").write_text("version: 1\ntargets:\n  npm: .npmrc\n")
    before = snapshot(repo)
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "pip.conf: target 'pip' is no longer in the policy" in result.err
    assert snapshot(repo) == before


def test_only_renders_the_named_targets(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    result = run_envgen("render", "--only", "pip", cwd=repo)
    assert result.code == 0
    assert (repo / "pip.conf").exists() and not (repo / ".npmrc").exists()
    run_envgen("render", cwd=repo)
    again = run_envgen("render", "--only", "pip", cwd=repo)
    assert ".npmrc" in (repo / ".envgen-manifest.json").read_text(), again.out
    bad = run_envgen("render", "--only", "go", cwd=repo)
    assert bad.code == 2
    assert "--only go: not among the policy's targets" in bad.err


def test_same_policy_same_bytes_in_two_directories(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    one = copy_examples(tmp_path / "one")
    two = copy_examples(tmp_path / "elsewhere" / "two")
    assert run_envgen("render", cwd=one).code == 0
    assert run_envgen("render", cwd=two).code == 0
    for name in (".npmrc", "pip.conf", ".envgen-manifest.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
        assert b"\r" not in (one / name).read_bytes()


def test_written_files_have_modes_and_no_temp_leftovers(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    run_envgen("render", cwd=repo)
    assert (repo / ".npmrc").stat().st_mode & 0o777 == 0o600
    assert (repo / "pip.conf").stat().st_mode & 0o777 == 0o644
    assert not [p for p in repo.iterdir() if p.name.endswith(".tmp")]


def test_policy_found_in_parent_up_to_git_root(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE, "sub/dir/x": ""})
    (repo / ".git").mkdir()
    result = run_envgen("validate", cwd=repo / "sub" / "dir")
    assert result.code == 0, result.err
    assert "valid policy" in result.out


def test_no_policy_found(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    result = run_envgen("validate", cwd=tmp_path)
    assert result.code == 2
    assert "no envgen.yaml here or in a parent directory" in result.err


def test_a_failed_write_leaves_the_tree_as_it_was(
    tmp_path: Path, run_envgen: RunEnvgen, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full on the last file (the manifest, staged after every target's file): the files
    staged before it and the directories made for them are not left behind."""
    repo = copy_examples(tmp_path / "r")
    assert run_envgen("render", cwd=repo).code == 0
    policy = repo / "envgen.yaml"
    policy.write_text(
        policy.read_text("utf-8")
        .replace("timeout: 90s", "timeout: 95s")
        .replace("gitlab-runner/config.toml", "new/dir/config.toml"),
        encoding="utf-8",
    )
    before = snapshot(repo)
    real_stage = write._stage
    calls: list[Path] = []

    def stage(path: Path, content: bytes, mode: int) -> Path:
        calls.append(path)
        if path.name == MANIFEST_NAME:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_stage(path, content, mode)

    monkeypatch.setattr(write, "_stage", stage)
    result = run_envgen("render", cwd=repo)

    assert result.code == 3, result.err
    assert f"cannot write {calls[-1].relative_to(repo)}: No space left on device" in result.err
    assert "nothing was written" in result.err
    assert len(calls) > 4 and (repo / "new" / "dir") in [c.parent for c in calls]
    assert snapshot(repo) == before, "staged files and created directories are removed"


def test_overlong_output_name_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    name = "n" * 241
    repo = write_tree(tmp_path / "r", {"envgen.yaml": f"version: 1\ntargets:\n  npm: {name}\n"})
    before = snapshot(repo)
    result = run_envgen("render", cwd=repo)
    assert result.code == 3
    assert "has a name longer than 240 bytes" in result.err
    assert snapshot(repo) == before
    ok = write_tree(tmp_path / "ok", {"envgen.yaml": f"version: 1\ntargets:\n  npm: {'n' * 240}\n"})
    assert run_envgen("render", cwd=ok).code == 0, "240 bytes plus the temporary affixes fit"


def test_file_where_a_directory_is_needed_is_refused(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(
        tmp_path / "r", {"envgen.yaml": "version: 1\ntargets:\n  npm: out/x/.npmrc\n", "out": ""}
    )
    before = snapshot(repo)
    result = run_envgen("render", "--force", cwd=repo)
    assert result.code == 3
    assert "envgen.yaml:3:8: error: targets.npm: output path 'out/x/.npmrc' needs 'out'" in (
        result.err
    )
    assert snapshot(repo) == before


def test_hostile_manifest_cannot_remove_files_outside_the_root(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    """The manifest is committed like any file: entries it lists outside the root, or the
    policy itself, are refused even with their true digests (render once deleted them)."""
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    repo = write_tree(tmp_path / "r", {"envgen.yaml": SIMPLE})
    assert run_envgen("render", cwd=repo).code == 0
    manifest_path = repo / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text("utf-8"))
    for path, file in (("../victim", victim), ("envgen.yaml", repo / "envgen.yaml")):
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        manifest["files"][path] = {"sha256": digest, "target": "pip"}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    before = snapshot(repo)

    for argv in (["render"], ["render", "--force"]):
        result = run_envgen(*argv, cwd=repo)
        assert result.code == 3, result.err
        assert ".envgen-manifest.json: error: lists '../victim' as a file envgen wrote" in (
            result.err
        )
        assert "lists 'envgen.yaml' as a file envgen wrote" in result.err
        assert victim.read_text("utf-8") == "precious\n"
        assert snapshot(repo) == before
