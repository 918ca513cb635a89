"""`--format json|github|gitlab` of validate, render and check (docs/output.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import RunEnvgen, write_tree

POLICY = """version: 1
proxy:
  http: http://p.example:3128
  no_proxy: [10.0.0.0/8]
targets:
  npm: .npmrc
"""


def test_validate_json_has_the_documented_shape(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY})
    result = run_envgen("validate", "--format", "json", cwd=repo)
    assert result.code == 0
    assert result.err == "", "everything is in the document"
    doc = json.loads(result.out)
    assert set(doc) == {"envgen", "command", "exit_code", "diagnostics", "files", "drift", "counts"}
    assert doc["command"] == "validate" and doc["exit_code"] == 0
    (warning,) = [d for d in doc["diagnostics"] if d["severity"] == "warning"]
    assert warning == {
        "severity": "warning",
        "code": "EG201",
        "message": "NO_PROXY rule 10.0.0.0/8 is not honoured by npm: npm has no CIDR matching, "
        "so it uses the proxy for these addresses",
        "file": "envgen.yaml",
        "line": 4,
        "column": 14,
        "subject": "10.0.0.0/8",
        "tools": ["npm"],
        "accepted": None,
    }
    assert doc["counts"]["warnings"] == 1 and doc["counts"]["errors"] == 0


def test_an_invalid_policy_is_a_json_document_too(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": "version: 1\nproxy:\n  http: ftp://x\n"})
    result = run_envgen("validate", "--format", "json", cwd=repo)
    assert result.code == 2
    doc = json.loads(result.out)
    assert doc["exit_code"] == 2
    (error,) = doc["diagnostics"]
    assert (error["severity"], error["file"], error["line"], error["column"]) == (
        "error",
        "envgen.yaml",
        3,
        9,
    )


def test_render_and_check_json_list_files_and_drift(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY})
    render = json.loads(run_envgen("render", "--format", "json", cwd=repo).out)
    assert render["files"] == [{"path": ".npmrc", "action": "created"}]
    (repo / ".npmrc").write_text("registry=https://elsewhere.example/\n")
    result = run_envgen("check", "--format", "json", cwd=repo)
    assert result.code == 1
    doc = json.loads(result.out)
    (drift,) = doc["drift"]
    assert drift["path"] == ".npmrc" and drift["diff"].startswith("---")
    assert [d["severity"] for d in doc["diagnostics"]] == ["error"], "no warnings from check"


def test_github_annotations_point_at_the_policy_line(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY})
    result = run_envgen("validate", "--format", "github", cwd=repo)
    lines = result.out.splitlines()
    (line,) = [x for x in lines if x.startswith("::warning")]
    assert line == (
        "::warning file=envgen.yaml,line=4,col=14,title=envgen EG201::NO_PROXY rule 10.0.0.0/8 "
        "is not honoured by npm: npm has no CIDR matching, so it uses the proxy for these "
        "addresses"
    )
    (repo / ".npmrc").write_text("x=1\n")
    drift = run_envgen("check", "--format", "github", cwd=repo)
    assert drift.code == 1
    assert "::error file=.npmrc,title=envgen drift::" in drift.out


def test_github_escapes_properties_and_data() -> None:
    from envgen.diagnostics import Diagnostic, Position, Severity
    from envgen.reports import Report

    report = Report(
        "github", [Diagnostic(Severity.ERROR, "50% of\na,b", Position("a,b:c.yaml", 2, 3))]
    )
    assert report.document("validate", "0", 2) == (
        "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=envgen::50%25 of%0Aa,b\n"
    )


def test_gitlab_code_quality_report(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    """The fields GitLab's Code Quality widget reads (docs.gitlab.com/ci/testing/code_quality,
    "Code Quality report format"): description, check_name, fingerprint, severity,
    location.path and location.lines.begin."""
    repo = write_tree(tmp_path / "r", {"envgen.yaml": POLICY})
    result = run_envgen("validate", "--format", "gitlab", cwd=repo)
    issues = json.loads(result.out)
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "envgen.yaml"
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    again = json.loads(run_envgen("validate", "--format", "gitlab", cwd=repo).out)
    assert again == issues, "fingerprints are stable between runs"
