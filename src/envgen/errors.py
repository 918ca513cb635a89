"""The one exception root of envgen and the exit codes of docs/contract.md section 2.

The CLI catches `EnvgenError` once and turns it into diagnostics and an exit code; every other
exception is a bug.
"""

from __future__ import annotations

from envgen.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_INVALID = 2
EXIT_REFUSED = 3


class EnvgenError(Exception):
    """A failure the user can fix; carries the diagnostics that say how."""

    exit_code = EXIT_INVALID

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics


class PolicyError(EnvgenError):
    """The policy cannot be loaded or is invalid (exit 2)."""

    exit_code = EXIT_INVALID


class RefusedError(EnvgenError):
    """envgen refuses to write: unsafe output path or a file it does not own (exit 3)."""

    exit_code = EXIT_REFUSED
