"""The published JSON Schema of policy v1 (what `envgen schema` prints and schema/ holds)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from envgen.schema.policy import SCHEMA_ID, Policy


def policy_schema(targets: Mapping[str, str]) -> dict[str, Any]:
    """The JSON Schema, with `targets` (name -> default path) listed for editor completion."""
    schema = Policy.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    schema["properties"]["targets"]["properties"] = {
        name: {"type": "string", "description": f"Output path (default {targets[name]})."}
        for name in sorted(targets)
    }
    return schema


def schema_text(targets: Mapping[str, str]) -> str:
    """The schema as stable, LF-terminated JSON text."""
    return json.dumps(policy_schema(targets), indent=2, ensure_ascii=False) + "\n"
