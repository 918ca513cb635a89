"""The text of a starter policy: the schema line, what was adopted, the detected targets, and
every other section as a commented example (the same examples docs/policy.md shows)."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

from envgen import __version__
from envgen.adopt.adoption import Adoption
from envgen.adopt.detect import Detected
from envgen.reference import EXAMPLES

#: Where editors find the policy's JSON Schema (the file `envgen schema` prints).
SCHEMA_URL = (
    f"https://raw.githubusercontent.com/envgen-dev/envgen/v{__version__}/schema/envgen.schema.json"
)

_ORDER = ("proxy", "network", "registries", "caches", "docker", "ci", "runner")


def _dump(section: str, value: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 100
    out = io.StringIO()
    yaml.dump({section: value}, out)
    return out.getvalue()


def policy_text(detected: Detected, adoption: Adoption) -> str:
    """A policy that validates: adopted values, detected targets, commented examples."""
    data = dict(adoption.data)
    if detected.caches:
        data.setdefault("caches", {}).update(dict.fromkeys(detected.caches, True))
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_URL}",
        "# envgen policy, started by `envgen init`. Check it with `envgen validate`, see what each",
        "# tool will do with `envgen explain`, then write the files with `envgen render`.",
    ]
    if adoption.files:
        lines.append(f"# Adopted from: {', '.join(adoption.files)}.")
    if detected.reasons:
        lines.append(f"# Targets found from: {'; '.join(detected.reasons)}.")
    lines += ["version: 1", ""]
    for section in _ORDER:
        if section in data:
            lines.append(_dump(section, data[section]).rstrip("\n"))
        elif section in EXAMPLES:
            lines += [f"# {line}" for line in EXAMPLES[section].rstrip("\n").splitlines()]
        lines.append("")
    if detected.targets:
        lines.append(_dump("targets", detected.targets).rstrip("\n"))
    else:
        lines += ["# targets: one file per tool; `envgen targets` lists them", "targets: {}"]
    return "\n".join(lines) + "\n"
