"""Whole messages for the bad inputs a newcomer meets first (tests/messages/<case>/).

Each case holds a policy tree, `command` (the envgen arguments) and `expected.txt`: the exit
code, then stdout and stderr in full. The whole text is compared, so a message that loses its
hint ("use spaces", "did you mean", "write it as a YAML list") fails here. The files were
written by hand-checking each message; rewrite one only after reading the new text.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import RunEnvgen

CASES = sorted(p for p in (Path(__file__).parent / "messages").iterdir() if p.is_dir())


def transcript(code: int, out: str, err: str) -> str:
    return f"exit {code}\n--- stdout\n{out}--- stderr\n{err}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_whole_message(case: Path, tmp_path: Path, run_envgen: RunEnvgen) -> None:
    tree = tmp_path / "case"
    shutil.copytree(case, tree, ignore=shutil.ignore_patterns("command", "expected.txt"))
    argv = shlex.split((case / "command").read_text("utf-8"))
    result = run_envgen(*argv, cwd=tree)
    got = transcript(result.code, result.out, result.err)
    assert got == (case / "expected.txt").read_text("utf-8")


def test_every_listed_input_has_a_case() -> None:
    names = {c.name for c in CASES}
    assert {"tab", "indentation", "list-as-string", "port", "directory-for-p", "only-typo",
            "unknown-target", "enum-typo", "http-pip-index", "no-targets"} <= names  # fmt: skip
