"""The published JSON Schema of policy v1 (what `envgen schema` prints and schema/ holds).

Written from the sections' declarations (envgen.schema.model) in the form pydantic v2 gives a
model's validation schema, which is what schema/envgen.schema.json held before envgen dropped
pydantic: `$defs` per section, `additionalProperties: false`, titles made from field names, a
default beside every field that has a plain one, and every object's keys sorted except those
of `properties` (field order) and of `default` values.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping
from typing import Any, Literal

from envgen.schema.fields import (
    MISSING,
    FieldInfo,
    JsonSchema,
    docstring,
    split_annotated,
    union_members,
)
from envgen.schema.model import Section, resolved_fields
from envgen.schema.policy import SCHEMA_ID, Policy

_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def policy_schema(targets: Mapping[str, str]) -> dict[str, Any]:
    """The JSON Schema, with `targets` (name -> default path) listed for editor completion."""
    defs: dict[str, Any] = {}
    root = _section(Policy, defs)
    defs.pop(Policy.__name__, None)
    schema = _sorted({"$defs": defs, **root}) if defs else _sorted(root)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    schema["properties"]["targets"]["properties"] = {
        name: {"type": "string", "description": f"Output path (default {targets[name]})."}
        for name in sorted(targets)
    }
    return schema


def schema_text(targets: Mapping[str, str]) -> str:
    """The schema as stable, LF-terminated JSON text."""
    return json.dumps(policy_schema(targets), indent=2, ensure_ascii=False) + "\n"


def _section(cls: type[Section], defs: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, info in resolved_fields(cls).items():
        properties[name] = _field(name, info, defs)
        if info.is_required():
            required.append(name)
    out: dict[str, Any] = {"additionalProperties": False}
    description = docstring(cls)
    if description:
        out["description"] = description
    out["properties"] = properties
    if required:
        out["required"] = required
    out["title"] = cls.__name__
    out["type"] = "object"
    return out


def _field(name: str, info: FieldInfo, defs: dict[str, Any]) -> dict[str, Any]:
    schema = dict(_type(info.annotation, defs, [info]))
    bare, _ = split_annotated(info.annotation)
    members = union_members(bare)
    inner = next((m for m in members if m is not type(None)), bare) if members else bare
    inner, _ = split_annotated(inner)
    if info.default is not MISSING and info.default_factory is None:
        schema["default"] = info.default
    if info.description is not None:
        schema["description"] = info.description
    if not _is_section(inner):
        schema["title"] = name.replace("_", " ").title()
    return schema


def _is_section(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Section)


def _type(annotation: Any, defs: dict[str, Any], extra: list[Any] | None = None) -> dict[str, Any]:
    bare, metadata = split_annotated(annotation)
    metadata = [*metadata, *(extra or [])]
    replaced = [m.schema for m in metadata if isinstance(m, JsonSchema)]
    if replaced:
        return dict(replaced[-1])
    members = union_members(bare)
    if members is not None:
        # A member that is itself a choice is flattened into the one anyOf, as pydantic does.
        choices: list[Any] = []
        for member in members:
            schema = _type(member, defs)
            choices += schema["anyOf"] if list(schema) == ["anyOf"] else [schema]
        return {"anyOf": choices}
    schema = _bare(bare, defs)
    for bound in (m for m in metadata if isinstance(m, FieldInfo)):
        if bound.ge is not None:
            schema["minimum"] = bound.ge
        if bound.le is not None:
            schema["maximum"] = bound.le
        if bound.min_length is not None:
            schema["minItems"] = bound.min_length
    return schema


def _bare(bare: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if bare is type(None):
        return {"type": "null"}
    if bare in _SCALARS:
        return {"type": _SCALARS[bare]}
    origin = typing.get_origin(bare)
    if origin is Literal:
        choices = list(typing.get_args(bare))
        kinds = {_SCALARS[type(c)] for c in choices}
        out: dict[str, Any] = {"const": choices[0]} if len(choices) == 1 else {"enum": choices}
        if len(kinds) == 1:
            out["type"] = kinds.pop()
        return out
    if origin is list:
        return {"items": _type(typing.get_args(bare)[0], defs), "type": "array"}
    if origin is dict:
        return {"additionalProperties": _type(typing.get_args(bare)[1], defs), "type": "object"}
    if _is_section(bare):
        if bare.__name__ not in defs:
            defs[bare.__name__] = {}  # reserve the name: a section may refer to itself
            defs[bare.__name__] = _section(bare, defs)
        return {"$ref": f"#/$defs/{bare.__name__}"}
    raise TypeError(f"no JSON Schema for {bare!r}")


def _sorted(value: Any, parent: str | None = None) -> Any:
    """Keys sorted at every level, except field order in `properties` and `default` values."""
    if isinstance(value, dict):
        keys = value if parent in ("properties", "default") else sorted(value)
        return {k: _sorted(value[k], k if parent != "properties" else None) for k in keys}
    if isinstance(value, list):
        return [_sorted(v, parent) for v in value]
    return value
