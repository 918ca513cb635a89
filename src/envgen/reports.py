"""Machine-readable output of validate, render and check (`--format json|github|gitlab`).

docs/output.md documents each shape. `json` is one object on stdout; `github` prints workflow
commands (`::error file=...,line=...::message`) that GitHub shows as annotations on the
policy's lines; `gitlab` prints a Code Quality report (a JSON array GitLab shows in merge
requests when a job saves it as `artifacts:reports:codequality`). Standard library only: the
check fast path imports the console, which imports this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from envgen.diagnostics import Diagnostic, Severity
from envgen.digests import hexdigest


@dataclass
class Report:
    """What a command found, collected instead of printed, and written once at the end."""

    fmt: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[dict[str, str]] = field(default_factory=list)
    drift: list[dict[str, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def document(self, command: str, version: str, exit_code: int) -> str:
        """The whole output in this report's format."""
        if self.fmt == "json":
            return _json(self, command, version, exit_code)
        if self.fmt == "github":
            return _github(self)
        return _gitlab(self)


def _where(diag: Diagnostic) -> dict[str, Any]:
    pos = diag.position
    if pos is None:
        return {"file": None, "line": None, "column": None}
    return {"file": pos.path, "line": pos.line or None, "column": pos.col or None}


def _counts(report: Report) -> dict[str, int]:
    def count(severity: Severity, accepted: bool = False) -> int:
        return sum(
            1
            for d in report.diagnostics
            if d.severity is severity and (d.accepted is not None) == accepted
        )

    return {
        "errors": count(Severity.ERROR),
        "warnings": count(Severity.WARNING),
        "accepted": count(Severity.WARNING, accepted=True),
        "notes": count(Severity.NOTE),
        "drift": len(report.drift),
    }


def _json(report: Report, command: str, version: str, exit_code: int) -> str:
    doc: dict[str, Any] = {
        "envgen": version,
        "command": command,
        "exit_code": exit_code,
        "diagnostics": [
            {
                "severity": d.severity.value,
                "code": d.code or None,
                "message": d.message,
                **_where(d),
                "subject": d.subject or None,
                "tools": list(d.tools),
                "accepted": d.accepted,
            }
            for d in report.diagnostics
        ],
        "files": report.files,
        "drift": report.drift,
        "counts": _counts(report),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts escapeData/escapeProperty).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _github(report: Report) -> str:
    lines: list[str] = []
    for d in report.diagnostics:
        props: list[str] = []
        where = _where(d)
        if where["file"]:
            props.append(f"file={_escape_property(where['file'])}")
            if where["line"]:
                props.append(f"line={where['line']}")
            if where["column"]:
                props.append(f"col={where['column']}")
        title = f"envgen {d.code}" if d.code else "envgen"
        if d.accepted is not None:
            title += " (accepted)"
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {','.join(props)}::{_escape_data(d.message)}")
    for found in report.drift:
        lines.append(
            f"::error file={_escape_property(found['path'])},title=envgen drift::"
            f"{_escape_data(found['reason'] + '; run envgen render')}"
        )
    lines += report.summary
    return "".join(line + "\n" for line in lines)


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def _fingerprint(*parts: str) -> str:
    return hexdigest("\0".join(parts).encode())


def _gitlab(report: Report) -> str:
    issues: list[dict[str, Any]] = []
    for d in report.diagnostics:
        if d.accepted is not None:
            continue  # accepted by the team: not a finding to show in the merge request
        where = _where(d)
        issues.append(
            {
                "description": d.message,
                "check_name": d.code or f"envgen-{d.severity.value}",
                "fingerprint": _fingerprint(d.code, d.subject or d.message, where["file"] or ""),
                "severity": _GITLAB_SEVERITY[d.severity],
                "location": {
                    "path": where["file"] or "envgen.yaml",
                    "lines": {"begin": where["line"] or 1},
                },
            }
        )
    for found in report.drift:
        issues.append(
            {
                "description": f"{found['reason']}; run envgen render",
                "check_name": "envgen-drift",
                "fingerprint": _fingerprint("drift", found["path"]),
                "severity": "major",
                "location": {"path": found["path"], "lines": {"begin": 1}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
