"""Crash safety: render killed (SIGKILL) at random points, and ten renders at once.

tests/killpoints/sitecustomize.py makes every file-system change of a subprocess a kill point.
A render from policy A to policy B is killed at 50 of them, chosen by a seeded RNG: after each
kill no file may be torn (every output holds A's bytes or B's, or is absent where one of them
has no such file), and the next render must recover: exit 0, the exact tree a fresh render of B
gives, no temporary file left.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO, python_env

KILLPOINTS = REPO / "tests" / "killpoints"
KILLS = 50


def _env(**extra: str) -> dict[str, str]:
    env = python_env()
    env["PYTHONPATH"] = os.pathsep.join([str(KILLPOINTS), env["PYTHONPATH"]])
    env.update(extra)
    return env


def _render(root: Path, *argv: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "envgen", "render", "-q", *argv],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=_env(**extra),
        timeout=60,
    )


def _policy_b(text: str) -> str:
    """Policy B: other retries (most files change) and one target dropped."""
    return text.replace("retries: 4", "retries: 6").replace("  docker-client:", "  # dropped:")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _fresh(tmp_path: Path, name: str, policy: str) -> dict[str, bytes]:
    root = tmp_path / name
    root.mkdir()
    shutil.copytree(EXAMPLES / "policies", root / "policies")
    (root / "envgen.yaml").write_text(policy, encoding="utf-8")
    assert _render(root).returncode == 0
    return _tree(root)


def _start(tmp_path: Path, name: str, policy: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    shutil.copytree(EXAMPLES / "policies", root / "policies")
    (root / "envgen.yaml").write_text(policy, encoding="utf-8")
    assert _render(root).returncode == 0
    return root


def test_render_survives_sigkill_anywhere(tmp_path: Path) -> None:
    text_a = (EXAMPLES / "envgen.yaml").read_text("utf-8")
    text_b = _policy_b(text_a)
    assert text_b != text_a and "docker-client:" not in text_b
    tree_a = _fresh(tmp_path, "ref-a", text_a)
    tree_b = _fresh(tmp_path, "ref-b", text_b)
    assert tree_a != tree_b

    probe = _start(tmp_path, "probe", text_a)
    (probe / "envgen.yaml").write_text(text_b, encoding="utf-8")
    count_file = tmp_path / "count"
    assert _render(probe, ENVGEN_KILL_COUNT=str(count_file)).returncode == 0
    points = int(count_file.read_text())
    assert points >= KILLS, f"only {points} kill points: make the change larger"
    chosen = sorted(
        random.Random(20261201).sample(  # noqa: S311 - reproducible choice
            range(1, points + 1), KILLS
        )
    )

    outputs = (set(tree_a) | set(tree_b)) - {"envgen.yaml"}
    for n, at in enumerate(chosen):
        root = _start(tmp_path, f"kill-{n}", text_a)
        (root / "envgen.yaml").write_text(text_b, encoding="utf-8")
        killed = _render(root, ENVGEN_KILL_AT=str(at))
        assert killed.returncode == -9, f"kill point {at}: {killed.stderr}"
        now = _tree(root)
        for path in outputs:
            allowed = {tree_a.get(path), tree_b.get(path)}
            assert now.get(path) in allowed, f"kill point {at}: {path} is torn"
        recovered = _render(root)
        assert recovered.returncode == 0, f"kill point {at}: {recovered.stderr}"
        assert _tree(root) == tree_b, f"kill point {at}: recovery differs from a fresh render"
        assert not list(root.rglob("*.tmp")), f"kill point {at}: a temporary file survived"


def test_ten_concurrent_renders_of_two_policies(tmp_path: Path) -> None:
    text_a = (EXAMPLES / "envgen.yaml").read_text("utf-8")
    text_b = _policy_b(text_a)
    root = tmp_path / "shared"
    root.mkdir()
    shutil.copytree(EXAMPLES / "policies", root / "policies")
    (root / "a.yaml").write_text(text_a, encoding="utf-8")
    (root / "b.yaml").write_text(text_b, encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "envgen", "render", "-q", "-p", f"{'ab'[i % 2]}.yaml"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=python_env(),
        )
        for i in range(10)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    expected = {}
    for name in ("a", "b"):
        ref = tmp_path / f"ref-{name}"
        ref.mkdir()
        shutil.copytree(EXAMPLES / "policies", ref / "policies")
        (ref / "a.yaml").write_text(text_a, encoding="utf-8")
        (ref / "b.yaml").write_text(text_b, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "envgen", "render", "-q", "-p", f"{name}.yaml"],
            cwd=ref,
            capture_output=True,
            check=False,
            env=python_env(),
        )
        assert proc.returncode == 0
        expected[name] = _tree(ref)
    final = _tree(root)
    assert final in (expected["a"], expected["b"]), "the tree mixes the two policies"


@pytest.fixture(autouse=True)
def _no_ci_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renders here use envgen's own record like a developer's machine does."""
    monkeypatch.delenv("CI", raising=False)
