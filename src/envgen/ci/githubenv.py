"""Appending variables to $GITHUB_ENV in the delimiter form GitHub documents for any value.

`NAME=VALUE` lines break on a value with a line break (the rest becomes other variables); the
heredoc form `NAME<<DELIMITER`, value, `DELIMITER` does not, given a delimiter the value cannot
contain: a fresh random one per step, as GitHub's own toolkit does (actions/toolkit
core/src/file-command.ts prepareKeyValueMessage, "ghadelimiter_<uuid>"). All lines go out in
one grouped redirection (shellcheck SC2129).
"""

from __future__ import annotations

#: A random delimiter, made when the step runs (od and tr are in every runner image's coreutils).
DELIMITER = "delim=\"envgen_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')\""


def block(pairs: list[tuple[str, str]], indent: str = "") -> list[str]:
    """Lines writing each (NAME, sh word) pair to $GITHUB_ENV; the word is already quoted."""
    if not pairs:
        return []
    lines = [f"{indent}{DELIMITER}", f"{indent}{{"]
    for name, word in pairs:
        lines.append(f'{indent}  printf \'%s<<%s\\n%s\\n%s\\n\' {name} "$delim" {word} "$delim"')
    lines.append(f'{indent}}} >> "$GITHUB_ENV"')
    return lines
