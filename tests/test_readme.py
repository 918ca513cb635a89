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


def test_the_no_proxy_walkthrough_shows_what_explain_prints(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The "Is my NO_PROXY right?" section: its policy, and explain's lines quoted from it.
    (What doctor prints for the same policy is held by tests/conformance/test_doctor_real.py.)"""
    import io

    from envgen.cli import main
    from envgen.console import Console

    text = (REPO / "README.md").read_text("utf-8")
    section = text.split("### Is my NO_PROXY right?", 1)[1]
    policy, rest = section.split("```yaml\n", 1)[1].split("```\n", 1)
    quoted = rest.split("```\n", 1)[1].split("```", 1)[0].splitlines()
    (tmp_path / "envgen.yaml").write_text(policy, encoding="utf-8")
    out = io.StringIO()
    code = main(
        ["-p", str(tmp_path / "envgen.yaml"), "explain", "http://10.1.2.3/"],
        Console(out, io.StringIO(), color="never"),
    )
    assert code == 0
    printed = out.getvalue().splitlines()
    assert quoted and all(line in printed for line in quoted), (quoted, printed)
