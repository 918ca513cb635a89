"""A GOENV file (what `go env -w` writes) into policy values, read as cmd/go's readEnvFile
reads it (`NAME=value` lines). GOPROXY (with its separator), GOPRIVATE, GOSUMDB, GOINSECURE,
GOTOOLCHAIN and GOFLAGS' -mod map to the policy; the rest is listed."""

from __future__ import annotations

import re

from envgen.adopt.adoption import Adoption, Place
from envgen.tools.go import MODCACHERW, PRIVATE_VARIABLES


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _goproxy(value: str, place: Place, adoption: Adoption) -> None:
    adoption.put(("registries", "go", "proxy"), [e for e in re.split(r"[,|]", value) if e], place)
    if "," in value and "|" in value:
        adoption.lose(place, "GOPROXY mixes ',' and '|': the policy uses one separator")
    if "|" in value:
        adoption.put(("registries", "go", "fallback"), "on-error", place)


def _goflags(value: str, place: Place, adoption: Adoption) -> None:
    for flag in value.split():
        found = re.fullmatch(r"-mod=(readonly|vendor|mod)", flag)
        if found:
            adoption.put(("registries", "go", "mod"), found.group(1), place)
        elif flag != MODCACHERW:
            adoption.lose(place, f"GOFLAGS {flag[:40]!r} has no policy field")


def _sumdb(value: str, place: Place, adoption: Adoption) -> None:
    adoption.put(("registries", "go", "sumdb"), value, place)
    if value == "off":
        adoption.put(("registries", "go", "allow_insecure"), True, place)


def read_goenv(text: str, path: str, adoption: Adoption) -> None:
    """Adopt a GOENV file."""
    adoption.files.append(path)
    seen: dict[str, tuple[str, Place]] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        if raw.strip() and not raw.lstrip().startswith("#") and "=" in raw:
            name, _, value = raw.partition("=")
            seen[name.strip()] = (value, Place(path, lineno))
    private = _list(seen.get("GOPRIVATE", ("", Place(path)))[0])
    for name, (value, place) in seen.items():
        if name == "GOPROXY":
            _goproxy(value, place, adoption)
        elif name == "GOFLAGS":
            _goflags(value, place, adoption)
        elif name == "GOSUMDB":
            _sumdb(value, place, adoption)
        elif name in ("GOPRIVATE", "GOINSECURE"):
            key = "private" if name == "GOPRIVATE" else "insecure"
            adoption.put(("registries", "go", key), _list(value), place)
        elif name == "GOTOOLCHAIN":
            adoption.put(("registries", "go", "toolchain"), value, place)
        elif name in PRIVATE_VARIABLES[1:] and _list(value) != private:
            adoption.lose(place, f"{name} differs from GOPRIVATE; envgen sets both to GOPRIVATE")
        elif name not in PRIVATE_VARIABLES[1:]:
            adoption.lose(place, f"go setting {name} has no policy field")
