"""The words the policy's sections are declared in: `Field`, `Before`, `After`, `JsonSchema`.

A section (envgen.schema.model.Section) is a class of annotated fields:

    class Backoff(Section):
        min: Duration = Field(1000, description="Wait before the first retry.")

Validators are attached with `Annotated[T, Before(f)]` (runs on the raw value, before the type
check) and `Annotated[T, After(f)]` (runs on the checked value); `Annotated[T, JsonSchema({...})]`
replaces the type's JSON Schema; `Field(ge=, le=, min_length=)` bounds a value, on a field or
inside `Annotated`. A validator refuses a value by raising `fail(message)`: the message is the
whole error, and never repeats the input (it may be a secret pasted into the wrong place).
The names and their meaning are pydantic v2's, which envgen used to declare its policy with
(docs/architecture.md, "Why no pydantic and no template engine").
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

#: An error as pydantic's `ValidationError.errors(include_input=False)` gives it.
ErrorDict = dict[str, Any]
Loc = tuple[str | int, ...]
#: (value, location, errors) -> the validated value, or model.INVALID after recording why.
Check = Callable[[Any, Loc, list[ErrorDict]], Any]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class PolicyValueError(ValueError):
    """A value a validator refuses; `args[0]` is the whole message, without the input."""


def fail(message: str) -> PolicyValueError:
    """An error whose message is exactly `message` (raise it from a validator)."""
    return PolicyValueError(message)


class Before:
    """Run `func` on the raw value before the type check (pydantic's BeforeValidator)."""

    __slots__ = ("func",)

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func


class After:
    """Run `func` on the checked value (pydantic's AfterValidator)."""

    __slots__ = ("func",)

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func


class JsonSchema:
    """The JSON Schema of the annotated type, replacing the one its type would give."""

    __slots__ = ("schema",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema


class FieldInfo:
    """One field: its default, description and bounds (resolved annotation once compiled)."""

    __slots__ = (
        "annotation",
        "check",
        "default",
        "default_factory",
        "description",
        "ge",
        "le",
        "min_length",
    )

    def __init__(self) -> None:
        # Built by `Field`, which carries the one signature; these are "nothing given".
        self.annotation: Any = None
        self.check: Check | None = None
        self.default: Any = MISSING
        self.default_factory: Callable[[], Any] | None = None
        self.description: str | None = None
        self.ge: float | None = None
        self.le: float | None = None
        self.min_length: int | None = None

    def is_required(self) -> bool:
        """No default and no default factory: the key must be written."""
        return self.default is MISSING and self.default_factory is None

    def get_default(self) -> Any:
        """A fresh default value (the factory is called each time)."""
        return self.default_factory() if self.default_factory is not None else self.default


def Field(  # noqa: N802 - a field specifier, spelt as pydantic's and dataclasses' are
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    description: str | None = None,
    ge: float | None = None,
    le: float | None = None,
    min_length: int | None = None,
) -> Any:
    """Declare a field's default, description and bounds (also usable inside `Annotated`)."""
    info = FieldInfo()
    info.default, info.default_factory, info.description = default, default_factory, description
    info.ge, info.le, info.min_length = ge, le, min_length
    return info


def split_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """(the bare type, its Annotated metadata in order); nested Annotated are flattened."""
    if typing.get_origin(annotation) is typing.Annotated:
        return annotation.__origin__, list(annotation.__metadata__)
    return annotation, []


def union_members(annotation: Any) -> list[Any] | None:
    """The members of a union type (None when `annotation` is not one)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    return None


def docstring(cls: type) -> str | None:
    """A section's description: its own docstring, cleaned as pydantic and inspect do."""
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else None
