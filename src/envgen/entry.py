"""The `envgen` command's entry point: an unchanged `envgen check` answered at start-up cost.

`envgen check` runs in every pre-commit hook and on every commit, so when envgen's own record
shows that nothing changed it is answered here with the standard library alone (os, json and a
SHA-256: no argparse, pathlib, policy model or YAML parser), before envgen.cli is
even imported. Only the plainest command lines take this road: `check` with at most `-p PATH`,
`-q` and `--color WHEN`, in any order and spelt out in full; anything else (another verb,
`--only`, `--warnings`, `--format`, an abbreviation, `--help`, no policy found) goes to
envgen.cli, which parses it properly and, for `check`, asks the same
envgen.workspace.record.is_current first. Under `CI` the record is never asked.

The answer and the full check cannot disagree: both call that one function, and
tests/test_check.py changes the policy, a base, an output, the manifest and the version one at
a time and requires this road to fall back and report the drift.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing costs milliseconds the fast path does not have
if TYPE_CHECKING:
    from collections.abc import Sequence

_COLORS = ("auto", "always", "never")
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a reader that went away


def silence_stdout() -> None:
    """Point stdout at /dev/null once its reader went away (`envgen ... | head`), so that
    Python's flush at exit does not complain; envgen.cli does the same."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests): nothing to flush
        pass


def plain_check(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """(the -p value or None, whether -q) when `argv` is a plain `check`, else None."""
    args: list[str] = []
    for arg in argv:  # `--policy=X` and `--color=X` as two words, the way argparse reads them
        name, equals, value = arg.partition("=")
        args += [name, value] if equals and name in ("--policy", "--color") else [arg]
    verb_seen, quiet = False, False
    policy: str | None = None
    while args:
        arg = args.pop(0)
        if arg == "check" and not verb_seen:
            verb_seen = True
        elif arg in ("-q", "--quiet"):
            quiet = True
        elif arg in ("-p", "--policy", "--color") and args and not args[0].startswith("-"):
            value = args.pop(0)
            if arg == "--color" and value not in _COLORS:
                return None
            if arg != "--color":
                if not value or policy is not None:
                    return None
                policy = value
        else:
            return None
    return (policy, quiet) if verb_seen else None


def fast_check(argv: Sequence[str]) -> tuple[int, bool] | None:
    """(the number of files up to date, quiet) when envgen's record answers `argv`, else None."""
    plain = plain_check(argv)
    if plain is None or os.environ.get("CI"):
        return None
    policy, quiet = plain
    from envgen.policyfile import find_policy, given_policy
    from envgen.workspace.record import is_current

    path = given_policy(policy) if policy is not None else find_policy(os.getcwd())
    if path is None:
        return None  # envgen.cli says what to do
    path = os.path.abspath(path)  # lexical, as envgen.loader.lexical_path: links are kept
    count = is_current(os.path.dirname(path), os.path.basename(path))
    return None if count is None else (count, quiet)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `envgen` with `argv` (default: the process's arguments); return the exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        answered = fast_check(args)
    except Exception:  # anything odd here: the full check decides, and says why
        answered = None
    if answered is None:
        from envgen.cli import main as full

        return full(args)
    count, quiet = answered
    if not quiet:
        try:
            print(f"{count} file(s) up to date", flush=True)
        except BrokenPipeError:
            silence_stdout()
            return EXIT_BROKEN_PIPE
    return 0
