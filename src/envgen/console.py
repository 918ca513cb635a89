"""Terminal output: diagnostics and summaries, coloured only when that helps.

Colour follows --color; with `auto` it is used when the stream is a TTY and NO_COLOR is unset
(https://no-color.org). Only stdlib is used so that every command starts fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from envgen.diagnostics import Diagnostic, Severity
from envgen.secrets import escaped

if TYPE_CHECKING:  # the report module is imported only by --format json/github/gitlab
    from envgen.reports import Report

_COLOURS = {
    Severity.ERROR: "\033[1;31m",
    Severity.WARNING: "\033[1;33m",
    Severity.NOTE: "\033[1;36m",
    "created": "\033[32m",
    "updated": "\033[33m",
    "removed": "\033[31m",
    "+": "\033[32m",
    "-": "\033[31m",
    "@": "\033[36m",
    "head": "\033[1m",
    "direct": "\033[32m",
    "proxy": "\033[36m",
    "loss": "\033[33m",
}
_RESET = "\033[0m"


def printable(text: str) -> str:
    """`text` with every character that could move the cursor, recolour or hide text written as
    a visible escape; line feeds and tabs stay (`envgen.secrets.escaped`)."""
    return escaped(text, keep="\n\t")


@dataclass
class Console:
    """Where a command writes: stdout for results, stderr for diagnostics."""

    out: TextIO
    err: TextIO
    color: str = "auto"
    quiet: bool = False
    all_warnings: bool = False  # print warnings the policy accepts, marked accepted
    report: Report | None = None  # --format json/github/gitlab: collect, print at the end

    def _use_colour(self, stream: TextIO) -> bool:
        if self.color == "always":
            return True
        if self.color == "never" or os.environ.get("NO_COLOR"):
            return False
        return bool(getattr(stream, "isatty", lambda: False)())

    def paint(self, stream: TextIO, text: str, key: object) -> str:
        """Wrap `text` in the colour for `key` when colour is on for `stream`."""
        code = _COLOURS.get(key)  # type: ignore[call-overload]
        return f"{code}{text}{_RESET}" if code and self._use_colour(stream) else text

    def diagnostic(self, diag: Diagnostic) -> None:
        """Print one diagnostic; notes are hidden with --quiet, accepted warnings unless
        `all_warnings`; with a report, record it instead."""
        if self.report is not None:
            self.report.diagnostics.append(diag)
            return
        if self.quiet and diag.severity is not Severity.ERROR:
            return
        if diag.accepted is not None and not self.all_warnings:
            return
        text = printable(diag.render())
        label = f"{diag.severity.value}:"
        if label in text:
            head, _, tail = text.partition(label)
            text = head + self.paint(self.err, label, diag.severity) + tail
        print(text, file=self.err)

    def diagnostics(self, diags: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        """Print diagnostics in order."""
        for d in diags:
            self.diagnostic(d)

    def line(self, text: str = "", key: object = None) -> None:
        """Print a result line on stdout (hidden with --quiet, and with a report, whose
        document says it instead)."""
        if not self.quiet and self.report is None:
            text = printable(text)
            print(self.paint(self.out, text, key) if key else text, file=self.out)

    def progress(self, text: str) -> None:
        """Say what a long command is doing, on stderr (hidden with --quiet)."""
        if not self.quiet:
            print(f"envgen: {printable(text)}", file=self.err)

    def always(self, text: str) -> None:
        """Print a result line on stdout even with --quiet (machine-readable output)."""
        text = printable(text)
        print(text, file=self.out, end="" if text.endswith("\n") else "\n")

    def emit(self, line: str) -> None:
        """Print a line already made printable and painted (see `printable`), even with --quiet."""
        print(line, file=self.out)

    def file(self, path: str, action: str, shown: str) -> None:
        """One file a render wrote (or would): `shown` on a line, or a report entry."""
        if self.report is not None:
            self.report.files.append({"path": path, "action": action})
        else:
            self.line(shown, action)

    def drifted(self, path: str, reason: str, diff: str) -> None:
        """One file `check` found out of date, with its diff."""
        if self.report is not None:
            self.report.drift.append({"path": path, "reason": reason, "diff": diff})
            return
        self.always(f"{path}: {reason}")
        if diff:
            self.diff(diff)

    def diff(self, text: str) -> None:
        """Print a unified diff, coloured line by line."""
        for raw in printable(text).split("\n"):
            if not raw:
                continue
            key = raw[:1] if raw[:1] in "+-@" and not raw.startswith(("+++", "---")) else None
            print(self.paint(self.out, raw, key) if key else raw, file=self.out)

    def fatal(self, message: str) -> None:
        """An error that is not about a place in the policy."""
        if self.report is not None:
            self.report.diagnostics.append(Diagnostic(Severity.ERROR, message))
            return
        label = self.paint(self.err, "error:", Severity.ERROR)
        print(f"envgen: {label} {printable(message)}", file=self.err)


def default_console(color: str = "auto", quiet: bool = False) -> Console:
    """The console on the process's real streams."""
    return Console(sys.stdout, sys.stderr, color=color, quiet=quiet)
