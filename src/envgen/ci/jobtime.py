"""Credentials at job time: shell steps the CI targets run, built from ${NAME} references.

A committed file never holds a secret, so tools that cannot expand the environment themselves
(go's module fetches through ~/.netrc, pip's index credentials) get them from a step that runs
when the job starts, with the secret in the job's environment. The step is POSIX sh, fails
loudly when a variable is missing (``${NAME:?…}``), and writes files only the job user can read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from envgen.ci import githubenv
from envgen.formats.shell import sh_literal, sh_word
from envgen.secrets import ENV_REF
from envgen.tools import npm, pip, tls, uv

if TYPE_CHECKING:
    from envgen.schema.policy import Policy
    from envgen.tools.base import EnvVar


def _sh_word(value: str) -> str:
    """A sh word: a whole ${NAME} reference expands (failing when unset), anything else is
    literal."""
    return sh_word(value, required=True) if ENV_REF.fullmatch(value) else sh_literal(value)


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


def credential_vars(policy: Policy) -> list[EnvVar]:
    """Variables whose value needs a registry secret: composed at job time, never stored."""
    return [v for v in (*pip.settings(policy).env, *uv.settings(policy).env) if v.refs]


def credentials_script(policy: Policy, *, github_env: bool = False) -> str:
    """The whole job-time credential step: ~/.netrc for Go, then the pip index URLs.

    With `github_env`, variables are appended to $GITHUB_ENV (later steps see them);
    otherwise they are exported into the running shell (GitLab before_script).
    """
    lines = netrc_script(policy).splitlines()
    exported: list[tuple[str, str]] = []
    for var in credential_vars(policy):
        value = sh_word(var.value, required=True)
        if github_env:
            exported.append((var.name, value))
        else:
            lines.append(f"export {var.name}={value}")
    tokens = [c.reference for c in npm.settings(policy).credentials]
    refs = sorted({m.group(1) for r in tokens for m in [ENV_REF.fullmatch(r)] if m})
    for name in refs:
        if github_env:
            # .npmrc reads ${NAME} from the environment of later steps, which do not see the
            # env: block of this step: hand the value on (GitHub masks secrets in logs).
            exported.append((name, f'"${{{name}:?{name} is not set}}"'))
        else:
            lines.append(f"# npm reads ${{{name}}} from .npmrc: define it as a masked CI variable")
    lines += githubenv.block(exported)
    return "\n".join(lines) + "\n" if lines else ""


#: Where the combined CA bundle is built, relative to the workspace.
CA_BUNDLE = ".envgen/ca-bundle.pem"

#: System CA bundles of common CI images, first found wins: Debian/Ubuntu/Alpine, RHEL/Fedora,
#: openSUSE, and the OpenSSL default on others.
SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
)


def ca_bundle_script(policy: Policy, workspace: str, *, github_env: bool = False) -> str:
    """A sh step that builds one CA bundle, the image's system roots plus network.ca_file, and
    points every tool whose CA setting REPLACES its trust store at it (`envgen.tools.tls`).

    `workspace` is the CI system's checkout directory as a reference (``${CI_PROJECT_DIR}``).
    Empty when the policy has no ca_file.
    """
    ca_file = policy.network.ca_file
    if ca_file is None:
        return ""
    lines = [
        "# envgen: one CA bundle, the image's system roots + network.ca_file (job time)",
        f"ca_bundle={sh_word(workspace + '/' + CA_BUNDLE)}",
        'mkdir -p "$(dirname "$ca_bundle")"',
        ': > "$ca_bundle"',
        f"for roots in {' '.join(SYSTEM_BUNDLES)}; do",
        '  if [ -f "$roots" ]; then cat "$roots" >> "$ca_bundle"; break; fi',
        "done",
        f'cat {sh_literal(ca_file)} >> "$ca_bundle"',
    ]
    if github_env:
        lines += githubenv.block([(name, '"$ca_bundle"') for name in tls.CI_BUNDLE_VARIABLES])
    else:
        lines += [f'export {name}="$ca_bundle"' for name in tls.CI_BUNDLE_VARIABLES]
    return "\n".join(lines) + "\n"


#: A ${NAME} or ${NAME:?...} reference in a generated script.
SCRIPT_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?:\}|:\?)")
