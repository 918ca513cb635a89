"""A finding: something to tell the user about a policy value, before positions are known.

Generators, the tool settings and the schema's cross-field checks all work on the validated
model, which has no line numbers: they name the policy location (a `Loc`) instead, and the
command that ran them turns each into a `Diagnostic` at the file, line and column where that
value was written (an `extends` base included).
"""

from __future__ import annotations

from dataclasses import dataclass

from envgen.diagnostics import Diagnostic, Position, Severity
from envgen.sourcemap import Loc


@dataclass(frozen=True)
class Finding:
    """An error, warning or note about the policy value at `loc` (None: the policy as a whole)."""

    severity: Severity
    message: str
    loc: Loc | None = None
    code: str = ""  # a warning's kind (envgen.codes)
    subject: str = ""  # what it is about (a NO_PROXY rule, a CA file), as `accept` names it
    tool: str = ""  # the tool or target it concerns, where one does


def error(message: str, loc: Loc | None = None) -> Finding:
    """The value cannot be rendered as written."""
    return Finding(Severity.ERROR, message, loc)


def warning(message: str, loc: Loc | None = None, *, code: str, subject: str = "") -> Finding:
    """The rendered files will not do all that the policy says; `code` is its kind."""
    return Finding(Severity.WARNING, message, loc, code, subject)


def note(message: str, loc: Loc | None = None) -> Finding:
    """Something left out or delivered another way: worth knowing, not a problem."""
    return Finding(Severity.NOTE, message, loc)


def from_finding(found: Finding, where: Position | None) -> Diagnostic:
    """The diagnostic for `found`, at the place its value was written."""
    tools = (found.tool,) if found.tool else ()
    return Diagnostic(found.severity, found.message, where, found.code, found.subject, tools)
