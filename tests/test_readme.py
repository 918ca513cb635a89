"""The README's two set-up commands are the ones CI runs, and they avoid PEP 668's refusal."""

from __future__ import annotations

from tests.conftest import REPO


def setup_commands() -> list[str]:
    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_opens_with_exactly_two_commands() -> None:
    assert len(setup_commands()) == 2


def test_ci_runs_the_readme_test_command_as_written() -> None:
    ci = (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    assert setup_commands()[1] in ci


def test_no_command_installs_into_the_system_python() -> None:
    """`python3 -m pip install` outside a venv fails on Debian/Ubuntu (externally managed)."""
    for command in setup_commands():
        assert "python3 -m pip" not in command
        assert command.startswith("python3 -m venv .venv && .venv/bin/python -m pip install")
