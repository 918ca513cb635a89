"""The wheel carries every module and the scaffold templates (package data)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_contains_every_module_and_the_scaffold_templates(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("envgen_policy-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    src = REPO / "src"
    modules = {p.relative_to(src).as_posix() for p in (src / "envgen").rglob("*.py")}
    assert "envgen/generators/npm.py" in modules
    assert modules <= names, "every module is in the wheel"
    assert any(n.endswith("entry_points.txt") for n in names)
    scaffold = REPO / "src" / "envgen" / "scaffold"
    shipped = {p.relative_to(scaffold.parent.parent).as_posix() for p in scaffold.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip
    assert any(".pre-commit-config.yaml" in n for n in shipped)
    assert shipped <= names, "every scaffold template file (dotfiles included) is in the wheel"
