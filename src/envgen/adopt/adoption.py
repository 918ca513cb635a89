"""What `envgen init --from-existing` reads: policy values with their places, and losses.

Each reader (`envgen.adopt.npmrc`, `.pipconf`, `.goenv`, `.daemon`, `.gitlab`) follows its
tool's own file rules. A credential becomes a `${NAME}` reference when the file already holds
one; a literal secret is refused with its file:line and never copied or shown. Whatever a
policy cannot express is listed with its place, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from envgen.noproxy.rules import parse_rule
from envgen.secrets import ENV_REF, looks_like_token

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Place:
    """Where a value was read: a file (as shown to the user) and a 1-based line (0: unknown)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Adoption:
    """Policy values read from existing files, where each came from, and what could not be."""

    data: dict[str, Any] = field(default_factory=dict)
    origin: dict[Loc, Place] = field(default_factory=dict)
    cannot: list[tuple[Place, str]] = field(default_factory=list)
    refused: list[tuple[Place, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def put(self, loc: Loc, value: Any, place: Place) -> None:
        """Set the value at `loc`; a different value already there from elsewhere is a conflict."""
        node: Any = self.data
        for part in loc[:-1]:
            node = node.setdefault(part, {})
        last = loc[-1]
        if last in node and node[last] != value:
            where = self.origin[loc]
            self.cannot.append(
                (place, f"{dotted(loc)} differs from {where}; the policy keeps that")
            )
            return
        node[last] = value
        self.origin[loc] = place

    def lose(self, place: Place, message: str) -> None:
        """Record a setting the policy cannot carry."""
        self.cannot.append((place, message))


def dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def duration(ms: int) -> str:
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


def secret(adoption: Adoption, place: Place, key: str, value: str) -> str | None:
    """`value` if it is a ${NAME} reference; otherwise refuse it without repeating it."""
    if ENV_REF.fullmatch(value):
        return value
    kind = looks_like_token(value) or "credential"
    adoption.refused.append(
        (
            place,
            f"{key} holds a literal {kind}; envgen does not copy or show it: revoke it, keep it in "
            "your CI secrets, and write ${NAME} there instead",
        )
    )
    return None


def no_proxy(adoption: Adoption, place: Place, value: str) -> None:
    rules: list[str] = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        try:
            rule = str(parse_rule(entry))
        except ValueError as exc:
            adoption.lose(place, f"NO_PROXY entry {entry!r} is left out: {exc}")
            continue
        if rule not in rules and rule not in ("localhost", "127.0.0.1", "::1"):
            rules.append(rule)  # envgen adds the loopback rules itself
    if rules:
        adoption.put(("proxy", "no_proxy"), rules, place)


def line_of(text: str, key: str) -> int:
    """The first line where `key` is assigned (`key =`, `key:`), 1-based; 0 if none."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*[=:]", line):
            return lineno
    return 0
