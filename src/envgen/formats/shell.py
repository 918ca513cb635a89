"""Write an environment for one shell or CI system, quoted so that it means what it says.

Each format keeps literal text literal (no `$`, backquote, backslash or quote in a value can
run or expand anything) and lets exactly the policy's ``${NAME}`` references expand where the
consumer expands variables: sh, fish and PowerShell at `source` time, GitLab at job time.
Formats whose readers do not expand the environment (dotenv files, GitHub's $GITHUB_ENV)
cannot carry a reference: such a variable is left out with a note, never written with a
literal ``${NAME}`` that the tool would then send as a password.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from envgen.secrets import ENV_REF_ANYWHERE

FORMATS = ("sh", "fish", "powershell", "dotenv", "github", "gitlab")


class EnvVar(Protocol):
    """A variable to write: its name and value (see `envgen.tools.base.EnvVar`)."""

    @property
    def name(self) -> str:
        """The variable's name."""

    @property
    def value(self) -> str:
        """Its value, perhaps with ${NAME} references."""

    @property
    def refs(self) -> tuple[str, ...]:
        """The names the value refers to."""

    @property
    def note(self) -> str:
        """A comment to print above the variable ("" for none)."""


@dataclass(frozen=True)
class Rendered:
    """The text for one format and what had to be left out of it."""

    text: str
    notes: tuple[str, ...]


def _pieces(value: str) -> list[tuple[bool, str]]:
    """Split a value into (is_reference, text) pieces; references carry the variable name."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for found in ENV_REF_ANYWHERE.finditer(value):
        if found.start() > pos:
            out.append((False, value[pos : found.start()]))
        out.append((True, found.group(1)))
        pos = found.end()
    if pos < len(value) or not out:
        out.append((False, value[pos:]))
    return out


def sh_literal(value: str) -> str:
    """`value` as a single-quoted POSIX sh word: nothing in it expands."""
    return "'" + value.replace("'", "'\\''") + "'"


def sh_word(value: str, *, required: bool = False) -> str:
    """One POSIX sh word meaning `value`: single-quoted when it has no ${NAME} reference,
    else double-quoted with only the references live (``${NAME:?NAME is not set}`` when
    `required`, so that a missing secret stops the script instead of becoming empty)."""
    if not ENV_REF_ANYWHERE.search(value):
        return sh_literal(value)
    body = "".join(
        (f"${{{text}:?{text} is not set}}" if required else "${" + text + "}")
        if ref
        else "".join("\\" + c if c in '\\"$`' else c for c in text)
        for ref, text in _pieces(value)
    )
    return f'"{body}"'


def _sh(var: EnvVar) -> str:
    return f"export {var.name}={sh_word(var.value)}"


def _fish_literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(var: EnvVar) -> str:
    # Quoted "$NAME" expands to one (possibly empty) word; unquoted, an unset variable would
    # make the whole concatenation vanish.
    body = "".join(
        f'"${text}"' if ref else _fish_literal(text) for ref, text in _pieces(var.value) if text
    )
    return f"set -gx {var.name} {body or _fish_literal('')}"


def _ps_literal(text: str) -> str:
    return (
        "'"
        + text.replace("'", "''")
        .replace("\u2018", "\u2018\u2018")
        .replace("\u2019", "\u2019\u2019")
        + "'"
    )


def _powershell(var: EnvVar) -> str:
    parts = [
        f"$env:{text}" if ref else _ps_literal(text) for ref, text in _pieces(var.value) if text
    ]
    if len(parts) > 1 and not parts[0].startswith("'"):
        parts.insert(0, "''")  # make '+' string concatenation, whatever the first operand
    return f"$env:{var.name} = {' + '.join(parts) or _ps_literal('')}"


def gitlab_value(value: str) -> str:
    """A GitLab CI variable value: every literal '$' doubled, ${NAME} references kept."""
    return "".join(
        "${" + text + "}" if ref else text.replace("$", "$$") for ref, text in _pieces(value)
    )


def _gitlab(var: EnvVar) -> str:
    return f"  {var.name}: {json.dumps(gitlab_value(var.value), ensure_ascii=False)}"


def _literal_only(fmt: str, line: Callable[[EnvVar], str | None]) -> Callable[[EnvVar], str | None]:
    def render(var: EnvVar) -> str | None:
        return None if var.refs else line(var)

    render.__name__ = f"_{fmt}"
    return render


def _dotenv(var: EnvVar) -> str | None:
    if "'" in var.value or "\n" in var.value:
        return None
    return f"{var.name}='{var.value}'"


def _github(var: EnvVar) -> str | None:
    if "\n" in var.value or "\r" in var.value:
        return None
    return f"{var.name}={var.value}"


_LINES: dict[str, Callable[[EnvVar], str | None]] = {
    "sh": _sh,
    "fish": _fish,
    "powershell": _powershell,
    "dotenv": _literal_only("dotenv", _dotenv),
    "github": _literal_only("github", _github),
    "gitlab": _gitlab,
}

_HEADERS = {
    "sh": "# envgen env --format sh: source this file (. ./file) in sh, bash or zsh",
    "fish": "# envgen env --format fish: source this file in fish",
    "powershell": "# envgen env --format powershell: dot-source this file (. ./file.ps1)",
    "dotenv": "# envgen env --format dotenv: literal values, no expansion",
    "github": None,
    "gitlab": "# envgen env --format gitlab: merge into .gitlab-ci.yml (GitLab expands ${NAME})",
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(variables: Sequence[EnvVar], fmt: str) -> Rendered:
    """All of `variables` in format `fmt`; what cannot be written is listed in `notes`."""
    line = _LINES[fmt]
    lines: list[str] = []
    notes: list[str] = []
    header = _HEADERS[fmt]
    if header is not None:
        lines.append(header)
    if fmt == "gitlab":
        lines.append("variables:")
    for var in variables:
        text = line(var)
        if text is None:
            if var.refs:
                refs = ", ".join("${" + r + "}" for r in var.refs)
                why = (
                    f"it refers to {refs}, which the {fmt} format cannot expand (writing the "
                    "value would write the secret); use --format sh or a CI target's job-time step"
                )
            else:
                why = f"its value has a quote or line break the {fmt} format cannot carry"
            notes.append(f"{var.name} left out: {why}")
            continue
        if var.note and fmt != "github":  # $GITHUB_ENV has no comment syntax
            lines.append(("  # " if fmt == "gitlab" else "# ") + _one_line(var.note))
        lines.append(text)
    if fmt == "gitlab" and len(lines) == 2:
        lines[-1] = "variables: {}"
    return Rendered("\n".join(lines) + "\n", tuple(notes))
