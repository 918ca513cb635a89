"""Golden outputs: tests/golden/<case>/ holds a policy tree and expected/ the exact files.

Rewritten only with `pytest --update-golden` (or `nox -s golden`): a change in output is a
reviewed diff, never silent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, RunEnvgen, copy_examples

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())


def _source(case: Path) -> Path:
    """The example case renders the real examples/ policy, so the README's policy is covered."""
    return EXAMPLES if case.name == "example" else case / "policy"


def _tree(case: Path, tmp_path: Path) -> Path:
    """A copy of the case's policy tree to render in."""
    tree = tmp_path / "repo"
    if case.name == "example":
        copy_examples(tree)
    else:
        shutil.copytree(_source(case), tree)
    return tree


def _outputs(root: Path, sources: set[str]) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and str(p.relative_to(root)) not in sources
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(
    case: Path, tmp_path: Path, run_envgen: RunEnvgen, request: pytest.FixtureRequest
) -> None:
    tree = _tree(case, tmp_path)
    sources = {str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file()}

    result = run_envgen("render", cwd=tree)
    assert result.code == 0, result.err

    got = _outputs(tree, sources)
    expected_dir = case / "expected"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, data in got.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_bytes(data)
    expected = {
        str(p.relative_to(expected_dir)): p.read_bytes()
        for p in sorted(expected_dir.rglob("*"))
        if p.is_file()
    }
    assert got == expected, "output changed; review and rerun with --update-golden"


def test_example_case_exists() -> None:
    assert (GOLDEN / "example").is_dir()


#: Command outputs kept as golden text, per case: file name -> argv.
COMMANDS = {
    "explain.txt": ["explain"],
    "explain.json": ["explain", "--format", "json"],
    "explain-url.txt": ["explain", "https://x.corp.example:8443/pkg"],
    "explain-url.json": ["explain", "--format", "json", "http://10.1.2.3/"],
    **{
        f"env.{fmt}": ["env", "--format", fmt]
        for fmt in ("sh", "fish", "powershell", "dotenv", "github", "gitlab")
    },
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_commands(
    case: Path, tmp_path: Path, run_envgen: RunEnvgen, request: pytest.FixtureRequest
) -> None:
    """`envgen explain` (text and JSON) and `envgen env` in every format, byte for byte."""
    tree = _tree(case, tmp_path)
    got: dict[str, str] = {}
    for name, argv in COMMANDS.items():
        result = run_envgen(*argv, cwd=tree)
        assert result.code == 0, (name, result.err)
        # `envgen env` points at the rendered files by absolute path: the tree's varies.
        got[name] = result.out.replace(str(tree.resolve()), "/ROOT")
    expected_dir = case / "commands"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        expected_dir.mkdir(parents=True)
        for name, text in got.items():
            (expected_dir / name).write_text(text, encoding="utf-8", newline="\n")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(expected_dir.iterdir())}
    assert got == expected, "output changed; review and rerun with --update-golden"
