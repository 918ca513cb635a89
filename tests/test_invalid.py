"""The bad-input corpus: every policy under tests/invalid/ must fail cleanly.

Each case directory holds a policy tree and `expected.txt`: the first line is the exit code,
each further line a text that must appear in stderr (with its file:line:col). Every case must
also leave the directory byte-for-byte unchanged and print no traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RunEnvgen, snapshot

CASES = sorted(p for p in (Path(__file__).parent / "invalid").iterdir() if p.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("command", ["render", "validate", "check"])
def test_invalid_policy(case: Path, command: str, tmp_path: Path, run_envgen: RunEnvgen) -> None:
    tree = tmp_path / "repo"
    shutil.copytree(case, tree, ignore=shutil.ignore_patterns("expected.txt"), symlinks=True)
    lines = (case / "expected.txt").read_text("utf-8").splitlines()
    expected_code = int(lines[0])
    before = snapshot(tree)

    result = run_envgen(command, cwd=tree)

    after = snapshot(tree)
    assert "Traceback" not in result.err + result.out
    assert "internal error" not in result.err
    assert after == before, "a failed run must not write anything"
    assert result.code == expected_code, result.err
    for line in lines[1:]:
        if line.strip():
            assert line in result.err, f"expected {line!r} in:\n{result.err}"
    for err_line in result.err.splitlines():
        if ": error:" in err_line:
            location = err_line.split(": error:", 1)[0]
            assert location == "envgen" or location.count(":") >= 2 or location.endswith(".yaml")
