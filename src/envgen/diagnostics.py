"""Diagnostics: one problem found in a policy, with the place it was written.

Every user-facing problem is a `Diagnostic`, printed as ``PATH:LINE:COL: severity: message``
(the form compilers and editors already know how to jump to). Positions are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How bad a diagnostic is; errors stop a run, warnings and notes do not."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file (1-based line and column)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """One message for the user, tied to a place where that is known."""

    severity: Severity
    message: str
    position: Position | None = None
    code: str = ""  # a warning's kind (envgen.codes)
    subject: str = ""  # what it is about, as an `accept` entry's `rule` names it
    tools: tuple[str, ...] = ()  # the tools or targets it concerns
    accepted: str | None = None  # the reason of the `accept` entry that matched it

    def render(self) -> str:
        """Return the one-line form ``PATH:LINE:COL: severity: message [CODE]``."""
        prefix = f"{self.position}: " if self.position is not None else "envgen: "
        tag = ""
        if self.code:
            accepted = f", accepted: {self.accepted}" if self.accepted is not None else ""
            tag = f" [{self.code}{accepted}]"
        return f"{prefix}{self.severity.value}: {self.message}{tag}"

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order diagnostics by file and position so output reads top to bottom."""
        pos = self.position or Position("")
        return (pos.path, pos.line, pos.col, self.message)


def error(message: str, position: Position | None = None) -> Diagnostic:
    """Build an error diagnostic."""
    return Diagnostic(Severity.ERROR, message, position)


def warning(
    message: str,
    position: Position | None = None,
    *,
    code: str,
    subject: str = "",
    tools: tuple[str, ...] = (),
) -> Diagnostic:
    """Build a warning diagnostic of kind `code` (envgen.codes)."""
    return Diagnostic(Severity.WARNING, message, position, code, subject, tools)


def note(message: str, position: Position | None = None) -> Diagnostic:
    """Build a note: something a target left out or chose, worth knowing but not a problem."""
    return Diagnostic(Severity.NOTE, message, position)


def sort_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Sort by position and drop exact repeats (one YAML node can fail two checks the same way)."""
    seen: set[tuple[str, int, int, str, str]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = (*d.sort_key(), d.severity.value)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
