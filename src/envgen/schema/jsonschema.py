"""The published JSON Schema of policy v1 (what `envgen schema` prints and schema/ holds)."""

from __future__ import annotations

import json
from typing import Any

from envgen import generators
from envgen.schema.policy import SCHEMA_ID, Policy


def policy_schema() -> dict[str, Any]:
    """The JSON Schema, with the available targets listed for editor completion."""
    schema = Policy.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    targets = schema["properties"]["targets"]
    targets["properties"] = {
        name: {"type": "string", "description": f"Output path (default {gen.DEFAULT_PATH})."}
        for name, gen in ((n, generators.load(n)) for n in sorted(generators.BUILTIN))
    }
    return schema


def schema_text() -> str:
    """The schema as stable, LF-terminated JSON text."""
    return json.dumps(policy_schema(), indent=2, ensure_ascii=False) + "\n"
