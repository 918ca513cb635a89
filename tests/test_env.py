"""`envgen env`: every format quoted so that real shells and CI read back exactly the policy.

sh, bash, dash and fish really source the output here; values with quotes, `$`, backquotes,
backslashes, globs and non-ASCII must come back unchanged, and only the policy's ``${NAME}``
references may expand.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from envgen.formats import shell as envformat
from envgen.generators import registry
from envgen.loader import load_policy
from envgen.tools import exported
from envgen.tools.base import EnvVar
from envgen.validate import validate
from tests.conftest import EXAMPLES, RunEnvgen, need_tool

SECRET = "s3cr3t-value-never-printed"
HOSTILE = [
    EnvVar("Q1", "it's"),
    EnvVar("Q2", 'say "hi"'),
    EnvVar("Q3", "cost $5 and $HOME and ${HOME} not expanded? no: ${HOME} is a reference"),
    EnvVar("Q4", "`touch pwned` $(touch pwned)"),
    EnvVar("Q5", "back\\slash\\ and trailing\\"),
    EnvVar("Q6", "glob * ? [ab] ~ !bang ; & | < > # {a,b}"),
    EnvVar("Q7", "non-ASCII: é ü 漢字 — \u2019quote\u2019"),
    EnvVar("Q8", "https://__token__:${ENVGEN_TEST_TOKEN}@host/simple"),
    EnvVar("Q9", "${ENVGEN_TEST_TOKEN}"),
    EnvVar("Q10", ""),
    EnvVar("Q11", "a'b\"c$d`e\\f'"),
]


def expand(value: str, env: dict[str, str]) -> str:
    """What a value means once its ${NAME} references are expanded from `env`."""
    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)\}", lambda m: env.get(m.group(1), ""), value)


def source_and_read(
    shell: list[str], script: Path, names: list[str], env: dict[str, str]
) -> dict[str, str]:
    """Source `script` in a real shell, then read the variables back through /usr/bin/env -0."""
    if Path(shell[0]).name == "fish":
        command = f"source {script}; and /usr/bin/env -0"
    else:
        command = f". {script} && /usr/bin/env -0"
    done = subprocess.run(
        [*shell, command], capture_output=True, env=env, check=True, cwd=script.parent
    )
    pairs = (item.split("=", 1) for item in done.stdout.decode("utf-8").split("\0") if "=" in item)
    got = dict(pairs)
    return {name: got[name] for name in names if name in got}


def _shells() -> list[tuple[str, list[str], str]]:
    return [
        ("sh", ["sh", "-c"], "sh"),
        ("dash", ["dash", "-c"], "sh"),
        ("bash", ["bash", "--posix", "-c"], "sh"),
        ("fish", ["fish", "--no-config", "-c"], "fish"),
    ]


@pytest.mark.parametrize(("name", "argv", "fmt"), _shells(), ids=[s[0] for s in _shells()])
def test_hostile_values_survive_real_shells(
    name: str, argv: list[str], fmt: str, tmp_path: Path
) -> None:
    shell = need_tool(argv[0])
    rendered = envformat.render(HOSTILE, fmt)
    assert not rendered.notes
    script = tmp_path / f"env.{fmt}"
    script.write_text(rendered.text, encoding="utf-8")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "ENVGEN_TEST_TOKEN": SECRET,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    got = source_and_read([shell, *argv[1:]], script, [v.name for v in HOSTILE], env)
    assert got == {v.name: expand(v.value, env) for v in HOSTILE}, name
    assert not (tmp_path / "pwned").exists()
    assert SECRET not in rendered.text


@pytest.mark.parametrize(("name", "argv", "fmt"), _shells(), ids=[s[0] for s in _shells()])
def test_example_policy_environment_read_back(
    name: str, argv: list[str], fmt: str, tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    """`envgen env` on the example policy, sourced: every variable equals the policy's value."""
    del name  # the id only
    shell = need_tool(argv[0])
    result = run_envgen("env", "--format", fmt, "-p", str(EXAMPLES / "envgen.yaml"))
    assert result.code == 0, result.err
    script = tmp_path / "env.out"
    script.write_text(result.out, encoding="utf-8")
    model, _ = validate(load_policy(EXAMPLES / "envgen.yaml"), registry())
    variables = exported.variables(model, str(EXAMPLES.resolve()))
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYPI_TOKEN": SECRET,
        "LANG": "C.UTF-8",
    }
    got = source_and_read([shell, *argv[1:]], script, [v.name for v in variables], env)
    assert got == {v.name: expand(v.value, env) for v in variables}
    # Spot-check against the policy text itself, not only the code under test.
    assert got["HTTPS_PROXY"] == "http://proxy.corp.example:3128"
    assert got["GOPROXY"] == "https://goproxy.corp.example|https://proxy.golang.org|direct"
    assert got["PIP_EXTRA_INDEX_URL"] == (
        f"https://__token__:{SECRET}@gitlab.corp.example/api/v4/projects/42/packages/pypi/simple"
    )
    assert "corp.example" in got["NO_PROXY"].split(",")
    assert ".corp.example" in got["no_proxy"].split(",")
    assert SECRET not in result.out


def test_gitlab_format_escapes_dollar_and_keeps_references() -> None:
    text = envformat.render(HOSTILE, "gitlab").text
    data = YAML(typ="safe").load(text)["variables"]
    for var in HOSTILE:
        value = data[var.name]
        # Outside ${NAME} references every '$' is doubled; GitLab reads '$$' back as '$'.
        pieces = re.split(r"(\$\{[A-Z_][A-Z0-9_]*\})", value)
        literal = pieces[::2]
        assert all(re.fullmatch(r"(?:[^$]|\$\$)*", part) for part in literal), value
        restored = "".join(p if i % 2 else p.replace("$$", "$") for i, p in enumerate(pieces))
        assert restored == var.value
    assert data["Q3"].startswith("cost $$5 and $$HOME and ${HOME}")


@pytest.mark.parametrize("fmt", ["dotenv", "github"])
def test_non_expanding_formats_leave_references_out(fmt: str) -> None:
    rendered = envformat.render(HOSTILE, fmt)
    names = {
        line.split("=", 1)[0]
        for line in rendered.text.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert "Q8" not in names and "Q9" not in names
    assert any(n.startswith("Q8 left out") and "${ENVGEN_TEST_TOKEN}" in n for n in rendered.notes)
    assert "Q1" in names if fmt == "github" else "Q1" not in names  # dotenv cannot quote "'"
    assert "${" not in rendered.text


def test_github_format_lines_are_literal() -> None:
    rendered = envformat.render([EnvVar("A", "x=y $HOME 'q'", "t")], "github")
    assert rendered.text == "A=x=y $HOME 'q'\n"


def test_powershell_quoting() -> None:
    """PowerShell is not installable here: the quoting rules are checked as text."""
    text = envformat.render(
        [
            EnvVar("A", "it's $x", "t"),
            EnvVar("B", "u:${TOKEN}@h", "t"),
            EnvVar("C", "${TOKEN}", "t"),
        ],
        "powershell",
    ).text.splitlines()
    assert text[1:] == [
        "$env:A = 'it''s $x'",
        "$env:B = 'u:' + $env:TOKEN + '@h'",
        "$env:C = $env:TOKEN",
    ]


def test_env_never_prints_secret_values(
    run_envgen: RunEnvgen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYPI_TOKEN", SECRET)
    monkeypatch.setenv("NPM_TOKEN", SECRET)
    for fmt in envformat.FORMATS:
        result = run_envgen("env", "--format", fmt, "-p", str(EXAMPLES / "envgen.yaml"))
        assert result.code == 0
        assert SECRET not in result.out + result.err


def test_env_notes_what_a_format_leaves_out(run_envgen: RunEnvgen) -> None:
    result = run_envgen("env", "--format", "github", "-p", str(EXAMPLES / "envgen.yaml"))
    assert result.code == 0
    assert "PIP_EXTRA_INDEX_URL left out" in result.err
    assert "PIP_INDEX_URL=https://pypi.corp.example/simple\n" in result.out


def test_env_invalid_policy_exits_2(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    (tmp_path / "envgen.yaml").write_text("version: 1\nproxy:\n  http: ftp://x\n", encoding="utf-8")
    result = run_envgen("env")
    assert result.code == 2
    assert re.match(r"envgen\.yaml:3:\d+: error: ", result.err)
    assert result.out == ""
