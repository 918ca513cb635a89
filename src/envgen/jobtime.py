"""Credentials at job time: shell steps the CI targets run, built from ${NAME} references.

A committed file never holds a secret, so tools that cannot expand the environment themselves
(go's module fetches through ~/.netrc, pip's index credentials) get them from a step that runs
when the job starts, with the secret in the job's environment. The step is POSIX sh, fails
loudly when a variable is missing (``${NAME:?…}``), and writes files only the job user can read.
"""

from __future__ import annotations

from envgen.schema.policy import Policy
from envgen.secrets import ENV_REF


def _sh_word(value: str) -> str:
    """A POSIX sh word for `value`: a whole ${NAME} reference expands, anything else is literal."""
    match = ENV_REF.fullmatch(value)
    if match:
        name = match.group(1)
        return f'"${{{name}:?{name} is not set}}"'
    return "'" + value.replace("'", "'\\''") + "'"


def netrc_script(policy: Policy) -> str:
    """A sh snippet appending one ~/.netrc (or $NETRC) entry per registries.go.auth host.

    go (GOAUTH=netrc, the default) and git send these credentials to the matching host. Empty
    when the policy has no registries.go.auth.
    """
    go = policy.registries.go
    if go is None or not go.auth:
        return ""
    lines = [
        "# envgen: credentials for private Go module hosts (registries.go.auth), job time only",
        'netrc_file="${NETRC:-$HOME/.netrc}"',
        '(umask 077 && touch "$netrc_file")',
    ]
    for auth in go.auth:
        lines.append(
            "printf 'machine %s login %s password %s\\n' "
            f"{_sh_word(auth.host)} {_sh_word(auth.username)} {_sh_word(auth.token)} "
            '>> "$netrc_file"'
        )
    return "\n".join(lines) + "\n"
