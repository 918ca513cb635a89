"""The base model every policy section shares: strict, frozen, no unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A policy mapping. Unknown keys are errors; YAML strings are never coerced to numbers."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        populate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
    )
