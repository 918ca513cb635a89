"""Warnings a team can live with (docs/contract.md 4.6): stable codes, one line per (code,
rule) naming the tools, `accept:` with a reason, a count, and `check` silent unless asked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from envgen.codes import CODES
from tests.conftest import REPO, RunEnvgen, copy_examples, write_tree

WARNING = re.compile(
    r"^(?P<where>\S+): warning: (?P<message>.*) \[(?P<code>EG\d{3})(?P<acc>, accepted: .*)?\]$"
)


def warnings_of(err: str) -> list[re.Match[str]]:
    lines = [line for line in err.splitlines() if ": warning: " in line]
    found = [WARNING.match(line) for line in lines]
    assert all(found), f"a warning without a code: {lines}"
    return [m for m in found if m]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_examples(tmp_path / "repo")


def test_every_warning_of_the_golden_policies_has_a_known_code(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    seen: set[str] = set()
    for case in sorted((REPO / "tests" / "golden").iterdir()):
        tree = tmp_path / case.name
        if case.name == "example":
            copy_examples(tree)
        else:
            shutil.copytree(case / "policy", tree)
        result = run_envgen("validate", "--all-tools", cwd=tree)
        assert result.code == 0, result.err
        seen |= {m["code"] for m in warnings_of(result.err)}
    assert seen, "the golden policies produce warnings"
    assert seen <= set(CODES)


def test_one_line_per_code_and_subject_naming_the_tools(
    example: Path, run_envgen: RunEnvgen
) -> None:
    result = run_envgen("validate", cwd=example)
    found = warnings_of(result.err)
    keys = [(m["code"], m["where"]) for m in found if m["code"] in ("EG201", "EG204")]
    assert len(keys) == len(set(keys))
    (ca,) = [m for m in found if m["code"] == "EG204"]
    assert "replaces the CA list of curl, git, npm, pip" in ca["message"]
    (cidr,) = [m for m in found if m["code"] == "EG201" and "10.0.0.0/8" in m["message"]]
    assert "npm" in cidr["message"] and "wget" in cidr["message"]
    assert result.out.rstrip().endswith(f"; {len(found)} warning(s)")


def test_validate_reports_what_explain_finds_for_the_tools_the_targets_feed(
    example: Path, run_envgen: RunEnvgen
) -> None:
    """Ruby reads the implicit '::1' as the host '1' (every address ending in .1 goes direct),
    and requests < 2.34 matches entries as text suffixes: explain found both, validate too."""
    found = warnings_of(run_envgen("validate", cwd=example).err)
    messages = [m["message"] for m in found if m["code"] == "EG202"]
    assert any("'::1' (read as '1')" in m and "ruby" in m for m in messages)
    assert any("requests < 2.34" in m for m in messages)
    assert not any("java" in m["message"] for m in found), "no target hands java the rules"
    every = warnings_of(run_envgen("validate", "--all-tools", cwd=example).err)
    assert any("java" in m["message"] for m in every)


def test_only_the_fed_tools_are_named(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    policy = (
        "version: 1\nproxy:\n  http: http://p.example:3128\n  no_proxy: [10.0.0.0/8]\n"
        "targets:\n  npm: .npmrc\n"
    )
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    (only,) = warnings_of(run_envgen("validate", cwd=repo).err)
    assert only["message"].startswith("NO_PROXY rule 10.0.0.0/8 is not honoured by npm: ")


def test_two_hundred_rules_give_one_line_each_and_a_count(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    rules = "".join(f"    - 10.{i}.0.0/16\n" for i in range(200))
    policy = f"version: 1\nproxy:\n  http: http://p.example:3128\n  no_proxy:\n{rules}"
    policy += "targets:\n  npm: .npmrc\n"
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    result = run_envgen("validate", cwd=repo)
    assert len(warnings_of(result.err)) == 200
    assert result.out.rstrip().endswith("; 200 warning(s)")


ACCEPTING = """version: 1
proxy:
  http: http://p.example:3128
  no_proxy: [10.0.0.0/8, .corp.example]
accept:
  - {code: EG201, rule: 10.0.0.0/8, reason: "npm never reaches 10/8"}
  - {code: EG201, rule: 192.168.0.0/16, reason: "an old rule"}
targets:
  npm: .npmrc
"""


def test_an_accepted_warning_is_hidden_and_counted(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": ACCEPTING})
    result = run_envgen("validate", cwd=repo)
    assert result.code == 0, result.err
    assert "10.0.0.0/8 is not honoured" not in result.err
    (unused,) = warnings_of(result.err)
    assert unused["code"] == "EG301"
    assert unused["where"] == "envgen.yaml:7:5"
    assert "no EG201 warning about 192.168.0.0/16 to accept: remove this entry" in unused["message"]
    assert result.out.rstrip().endswith("; 1 warning(s), 1 accepted (--all-warnings shows them)")
    shown = run_envgen("validate", "--all-warnings", cwd=repo)
    (accepted,) = [m for m in warnings_of(shown.err) if m["acc"]]
    assert accepted["code"] == "EG201"
    assert accepted["acc"] == ", accepted: npm never reaches 10/8"
    render = run_envgen("render", cwd=repo)
    assert "10.0.0.0/8" not in render.err


def test_an_unknown_code_is_refused_with_a_suggestion(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    policy = ACCEPTING.replace("code: EG201, rule: 10", "code: EG210x, rule: 10")
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    result = run_envgen("validate", cwd=repo)
    assert result.code == 2
    assert (
        "envgen.yaml:6:12: error: accept[0].code: unknown warning code 'EG210x'; "
        "did you mean EG210?"
    ) in result.err


def test_check_is_silent_about_warnings_unless_asked(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    policy = ACCEPTING.split("accept:", maxsplit=1)[0] + "targets:\n  npm: .npmrc\n"
    repo = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=repo).code == 0
    quiet = run_envgen("check", cwd=repo)
    assert quiet.code == 0
    assert "warning" not in quiet.err
    asked = run_envgen("check", "--warnings", cwd=repo)
    assert "[EG201]" in asked.err


def test_docs_list_every_code() -> None:
    text = (REPO / "docs" / "warnings.md").read_text("utf-8")
    for code, title in CODES.items():
        assert f"### {code}" in text, code
        assert title.split(" (")[0] in text, code


def test_a_retired_retry_reason_warns_on_the_gitlab_that_retired_it(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    policy = (
        'version: 1\nci:\n  gitlab_version: "{v}"\n  retry:\n    when: [stuck_or_timeout_failure]\n'
    )
    old = write_tree(tmp_path / "old", {"envgen.yaml": policy.format(v="18.11")})
    assert warnings_of(run_envgen("validate", cwd=old).err) == []
    new = write_tree(tmp_path / "new", {"envgen.yaml": policy.format(v="19.0")})
    (found,) = warnings_of(run_envgen("validate", cwd=new).err)
    assert found["code"] == "EG212" and found["where"] == "envgen.yaml:5:12"
    assert "no_updates_running" in found["message"]


def test_version_tables_name_only_values_of_the_schema() -> None:
    import typing

    from envgen.schema.checks import WHEN_RETIRED, WHEN_SINCE
    from envgen.schema.ci import RetryWhen

    values = set(typing.get_args(RetryWhen))
    assert set(WHEN_SINCE) <= values and set(WHEN_RETIRED) <= values
