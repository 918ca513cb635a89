"""What `envgen render` would change in an adopted file: its keys before and after, read the
way its tool reads them, so that `envgen init` can show every difference before anything is
written."""

from __future__ import annotations

import configparser
import json
from collections.abc import Callable


def _npmrc(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line and line[0] not in ";#[" and "=" in line:
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def _pip_conf(text: str) -> dict[str, str]:
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    return {
        f"[{section}] {key}": " ".join(value.split())
        for section in parser.sections()
        for key, value in parser.items(section)
    }


def _goenv(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in text.splitlines():
        if raw.strip() and not raw.lstrip().startswith("#") and "=" in raw:
            name, _, value = raw.partition("=")
            out[name.strip()] = value
    return out


def _json(text: str) -> dict[str, str]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return {}
    if not isinstance(doc, dict):
        return {}
    return {key: json.dumps(value, sort_keys=True) for key, value in doc.items()}


#: target name -> how its file's keys are read
KEYS: dict[str, Callable[[str], dict[str, str]]] = {
    "npm": _npmrc,
    "pip": _pip_conf,
    "go": _goenv,
    "docker": _json,
}


def changes(target: str, before: str, after: str) -> list[str]:
    """Lines `+ key=value`, `- key=value` and `~ key: old -> new` from `before` to `after`."""
    keys = KEYS[target]
    old, new = keys(before), keys(after)
    out: list[str] = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            out.append(f"- {key}={old[key]}")
        elif key not in old:
            out.append(f"+ {key}={new[key]}")
        elif old[key] != new[key]:
            out.append(f"~ {key}: {old[key]} -> {new[key]}")
    return out
