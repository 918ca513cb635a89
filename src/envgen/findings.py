"""A finding: something to tell the user about a policy value, before positions are known.

Generators, the tool settings and the schema's cross-field checks all work on the validated
model, which has no line numbers: they name the policy location (a `Loc`) instead, and the
command that ran them turns each into a `Diagnostic` at the file, line and column where that
value was written (an `extends` base included).
"""

from __future__ import annotations

from dataclasses import dataclass

from envgen.diagnostics import Severity
from envgen.sourcemap import Loc


@dataclass(frozen=True)
class Finding:
    """An error, warning or note about the policy value at `loc` (None: the policy as a whole)."""

    severity: Severity
    message: str
    loc: Loc | None = None


def error(message: str, loc: Loc | None = None) -> Finding:
    """The value cannot be rendered as written."""
    return Finding(Severity.ERROR, message, loc)


def warning(message: str, loc: Loc | None = None) -> Finding:
    """The rendered files will not do all that the policy says."""
    return Finding(Severity.WARNING, message, loc)


def note(message: str, loc: Loc | None = None) -> Finding:
    """Something left out or delivered another way: worth knowing, not a problem."""
    return Finding(Severity.NOTE, message, loc)
