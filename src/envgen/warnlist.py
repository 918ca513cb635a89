"""What becomes of a run's warnings: merged per subject, accepted by the policy, counted.

docs/contract.md 4.6: a warning prints once per (code, subject) naming every tool it concerns;
an `accept` entry of the policy hides the warnings it matches (`--all-warnings` shows them,
marked accepted); an entry that matches none is itself a warning (EG301). Pure: positions come
from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from envgen.codes import MERGED
from envgen.diagnostics import Diagnostic, Position, Severity, warning
from envgen.schema.accept import Accept
from envgen.sourcemap import Loc


def _merged_message(code: str, subject: str, tools: Sequence[str]) -> str:
    if code == "EG204":
        return (
            f"network.ca_file {subject} replaces the CA list of {', '.join(tools)}: outside CI "
            "they trust only this file, so it must also hold the public roots (the CI targets "
            "build a bundle of the system roots and this file at job time)"
        )
    raise AssertionError(f"no merged form for {code}")  # pragma: no cover - MERGED is closed


def merge(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """One warning per (code, subject) for the kinds in `codes.MERGED`, at the first place."""
    out: list[Diagnostic] = []
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for diag in diags:
        if diag.code in MERGED and diag.subject:
            key = (diag.code, diag.subject)
            if key not in groups:
                groups[key] = []
                out.append(diag)  # placeholder, replaced below
            groups[key].append(diag)
        else:
            out.append(diag)
    for i, diag in enumerate(out):
        group = groups.get((diag.code, diag.subject)) if diag.code in MERGED else None
        if group:
            tools = tuple(sorted({t for d in group for t in d.tools}))
            message = _merged_message(diag.code, diag.subject, tools)
            out[i] = replace(diag, message=message, tools=tools)
    return out


def _matches(entry: Accept, diag: Diagnostic) -> bool:
    return entry.code == diag.code and (entry.rule is None or entry.rule == diag.subject)


def accept(
    diags: Sequence[Diagnostic],
    entries: Sequence[Accept],
    position: Callable[[Loc], Position | None],
) -> list[Diagnostic]:
    """`diags` with each accepted warning marked; a warning EG301 for each unused entry."""
    used = [False] * len(entries)
    out: list[Diagnostic] = []
    for diag in diags:
        index = None
        if diag.severity is Severity.WARNING:
            index = next((i for i, e in enumerate(entries) if _matches(e, diag)), None)
        if index is None:
            out.append(diag)
            continue
        used[index] = True
        out.append(replace(diag, accepted=entries[index].reason))
    for i, entry in enumerate(entries):
        if not used[i]:
            about = f" about {entry.rule}" if entry.rule is not None else ""
            out.append(
                warning(
                    f"accept: no {entry.code} warning{about} to accept: remove this entry "
                    "(the policy or envgen changed since it was written)",
                    position(("accept", i)),
                    code="EG301",
                    subject=f"{entry.code} {entry.rule or ''}".strip(),
                )
            )
    return out


def count_line(diags: Sequence[Diagnostic]) -> str:
    """`N warning(s), M accepted` for the end of `validate`."""
    warnings = [d for d in diags if d.severity is Severity.WARNING]
    accepted = sum(1 for d in warnings if d.accepted is not None)
    shown = len(warnings) - accepted
    hidden = f", {accepted} accepted (--all-warnings shows them)" if accepted else ""
    return f"{shown} warning(s){hidden}"


def shown(diags: Sequence[Diagnostic], *, all_warnings: bool) -> list[Diagnostic]:
    """What is printed: accepted warnings only with `all_warnings`."""
    return [d for d in diags if all_warnings or d.accepted is None]
