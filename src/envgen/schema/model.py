"""The declarative model the policy sections are written in: strict, frozen, no unknown keys.

Why not pydantic: the policy needs a small, fixed part of what pydantic offers (strict scalars,
lists, string-keyed mappings, optional values, literals, nested sections, before/after
validators, bounds), and importing pydantic and building the policy's models cost about 140 ms
on every `validate`, `render`, `explain` and `env`: more than the whole command budget of the
performance issue (12x a bare interpreter start-up). This module does that part in plain Python
with the same semantics (pydantic v2 in strict mode with extra="forbid"), the same error shape
(`type`, `loc`, `msg`, `ctx`, as pydantic's `ValidationError.errors()` gives them, so that
envgen.validate maps them to file:line:col unchanged) and the same JSON Schema (schema.jsonschema
writes it from these declarations). tests/test_model_oracle.py rebuilds every section as a
pydantic model from these same declarations and checks, policy by policy, that both accept and
refuse the same input with the same errors, dump the same data and write the same schema.
The vocabulary the sections are declared in is envgen.schema.fields.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from envgen.schema.fields import (
    MISSING,
    After,
    Before,
    Check,
    ErrorDict,
    Field,
    FieldInfo,
    Loc,
    PolicyValueError,
    split_annotated,
    union_members,
)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


#: What a check returns for a value it refused (after recording why in the errors).
INVALID: Any = _Invalid()


class ValidationError(ValueError):
    """Every error found in one validation, in pydantic's shape."""

    def __init__(self, title: str, errors: list[ErrorDict]) -> None:
        super().__init__(f"{len(errors)} validation error(s) for {title}")
        self._errors = errors

    def errors(self, *, include_input: bool = False) -> list[ErrorDict]:
        """The errors (`type`, `loc`, `msg` and, for some types, `ctx`); never the input."""
        del include_input  # the input is never kept: it may be a secret
        return [dict(e) for e in self._errors]


class Section:
    """A policy mapping. Unknown keys are errors; YAML strings are never coerced to numbers;
    a validated section cannot be changed."""

    model_fields: ClassVar[dict[str, FieldInfo]] = {}
    _check: ClassVar[Check | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls.model_fields)
        for name in inspect.get_annotations(cls):
            value = cls.__dict__.get(name, MISSING)
            info = value if isinstance(value, FieldInfo) else Field(value)
            if name in cls.__dict__:
                delattr(cls, name)
            fields[name] = info
        cls.model_fields = fields
        cls._check = None

    def __init__(self, **data: Any) -> None:
        errors: list[ErrorDict] = []
        values = _section_values(type(self), data, (), errors)
        if errors:
            raise ValidationError(type(self).__name__, errors)
        self.__dict__.update(values)

    @classmethod
    def model_validate(cls, data: Any) -> typing.Self:
        """Validate `data` (YAML-loaded mappings, lists and scalars) into a section."""
        errors: list[ErrorDict] = []
        result = _checker(cls)(data, (), errors)
        if errors:
            raise ValidationError(cls.__name__, errors)
        return typing.cast(typing.Self, result)

    def model_dump(self, *, mode: Literal["json"] = "json", exclude_defaults: bool = False) -> Any:
        """The section as JSON data; with `exclude_defaults`, fields equal to their default
        (a factory's fresh value) are left out, at every level."""
        del mode  # every value a section holds is JSON data already
        return _dump(self, exclude_defaults)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be deleted")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({body})"


def _dump(value: Any, exclude_defaults: bool) -> Any:
    if isinstance(value, Section):
        out = {}
        for name, info in value.model_fields.items():
            item = value.__dict__[name]
            if exclude_defaults and not info.is_required() and item == info.get_default():
                continue
            out[name] = _dump(item, exclude_defaults)
        return out
    if isinstance(value, list):
        return [_dump(v, exclude_defaults) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, exclude_defaults) for k, v in value.items()}
    return value


# -- compiling annotations into checks -------------------------------------------------------


def resolved_fields(cls: type[Section]) -> dict[str, FieldInfo]:
    """The fields with their annotations evaluated (Annotated kept), resolved once per class."""
    if cls.model_fields and next(iter(cls.model_fields.values())).annotation is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        for name, info in cls.model_fields.items():
            info.annotation = hints[name]
    return cls.model_fields


def _checker(cls: type[Section]) -> Check:
    check = cls.__dict__.get("_check")
    if check is None:

        def check(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
            if isinstance(value, cls):
                return value
            if not isinstance(value, dict):
                return _error(
                    errors,
                    "model_type",
                    loc,
                    f"Input should be a valid dictionary or instance of {cls.__name__}",
                    {"class_name": cls.__name__},
                )
            values = _section_values(cls, value, loc, errors)
            if values is INVALID:
                return INVALID
            section = object.__new__(cls)
            section.__dict__.update(values)
            return section

        cls._check = check
    return check


def _section_values(
    cls: type[Section], data: dict[str, Any], loc: Loc, errors: list[ErrorDict]
) -> Any:
    fields = resolved_fields(cls)
    before = len(errors)
    values: dict[str, Any] = {}
    for name, info in fields.items():
        if name in data:
            values[name] = _field_check(info)(data[name], (*loc, name), errors)
        elif info.is_required():
            _error(errors, "missing", (*loc, name), "Field required")
        else:
            values[name] = info.get_default()
    for key in data:
        if not isinstance(key, str):
            _error(errors, "invalid_key", (*loc, key), "Keys should be strings")
        elif key not in fields:
            _error(errors, "extra_forbidden", (*loc, key), "Extra inputs are not permitted")
    return INVALID if len(errors) > before else values


def _field_check(info: FieldInfo) -> Check:
    if info.check is None:
        info.check = compile_annotation(info.annotation, [info])
    return info.check


def _error(
    errors: list[ErrorDict], kind: str, loc: Loc, msg: str, ctx: dict[str, Any] | None = None
) -> Any:
    error: ErrorDict = {"type": kind, "loc": loc, "msg": msg}
    if ctx is not None:
        error["ctx"] = ctx
    errors.append(error)
    return INVALID


def compile_annotation(annotation: Any, extra: list[Any] | None = None) -> Check:
    """A check for one annotation; `extra` holds metadata from the field itself (its bounds)."""
    bare, metadata = split_annotated(annotation)
    metadata = [*metadata, *(extra or [])]
    members = union_members(bare)
    if members is not None:
        inner = [m for m in members if m is not type(None)]
        if len(inner) != 1 or len(members) != 2:
            raise TypeError(f"only `X | None` unions are supported, not {annotation!r}")
        base = compile_annotation(inner[0])

        def nullable(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
            return None if value is None else base(value, loc, errors)

        return _wrap(nullable, metadata)
    return _wrap(_type_check(bare), metadata)


def _wrap(check: Check, metadata: list[Any]) -> Check:
    befores = [m.func for m in reversed(metadata) if isinstance(m, Before)]
    afters = [m.func for m in metadata if isinstance(m, After)]
    bounds = [m for m in metadata if isinstance(m, FieldInfo)]
    ge = next((b.ge for b in bounds if b.ge is not None), None)
    le = next((b.le for b in bounds if b.le is not None), None)
    min_length = next((b.min_length for b in bounds if b.min_length is not None), None)
    if not (befores or afters or ge is not None or le is not None or min_length is not None):
        return check

    def wrapped(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
        try:
            for func in befores:
                value = func(value)
        except (ValueError, AssertionError) as exc:
            return _validator_error(errors, loc, exc)
        value = check(value, loc, errors)
        if value is INVALID or value is None:
            return value
        # As pydantic-core does: the upper bound first, and written so that NaN fails both.
        if le is not None and not value <= le:
            return _error(
                errors,
                "less_than_equal",
                loc,
                f"Input should be less than or equal to {le}",
                {"le": le},
            )
        if ge is not None and not value >= ge:
            return _error(
                errors,
                "greater_than_equal",
                loc,
                f"Input should be greater than or equal to {ge}",
                {"ge": ge},
            )
        if min_length is not None and len(value) < min_length:
            return _error(
                errors,
                "too_short",
                loc,
                f"List should have at least {min_length} item{'' if min_length == 1 else 's'} "
                f"after validation, not {len(value)}",
                {"field_type": "List", "min_length": min_length, "actual_length": len(value)},
            )
        try:
            for func in afters:
                value = func(value)
        except (ValueError, AssertionError) as exc:
            return _validator_error(errors, loc, exc)
        return value

    return wrapped


def _validator_error(errors: list[ErrorDict], loc: Loc, exc: Exception) -> Any:
    if isinstance(exc, PolicyValueError):
        return _error(errors, "envgen", loc, str(exc.args[0]))
    if isinstance(exc, AssertionError):
        return _error(errors, "assertion_error", loc, f"Assertion failed, {exc}", {"error": exc})
    return _error(errors, "value_error", loc, f"Value error, {exc}", {"error": exc})


def _scalar(kind: str, accepts: Callable[[Any], bool], what: str) -> Check:
    def check(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
        if accepts(value):
            return value
        return _error(errors, kind, loc, f"Input should be a valid {what}")

    return check


def _number(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return _error(errors, "float_type", loc, "Input should be a valid number")


_SCALARS: dict[Any, Check] = {
    str: _scalar("string_type", lambda v: isinstance(v, str), "string"),
    bool: _scalar("bool_type", lambda v: isinstance(v, bool), "boolean"),
    int: _scalar("int_type", lambda v: isinstance(v, int) and not isinstance(v, bool), "integer"),
    float: _number,
}


def _literal(choices: tuple[Any, ...]) -> Check:
    shown = [repr(c) for c in choices]
    expected = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"

    def check(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
        for choice in choices:
            if type(value) is type(choice) and value == choice:
                return choice
        return _error(
            errors, "literal_error", loc, f"Input should be {expected}", {"expected": expected}
        )

    return check


def _type_check(bare: Any) -> Check:
    if bare in _SCALARS:
        return _SCALARS[bare]
    origin = typing.get_origin(bare)
    if origin is Literal:
        return _literal(typing.get_args(bare))
    if origin is list:
        item = compile_annotation(typing.get_args(bare)[0])

        def list_check(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
            if not isinstance(value, list):
                return _error(errors, "list_type", loc, "Input should be a valid list")
            before = len(errors)
            out = [item(v, (*loc, i), errors) for i, v in enumerate(value)]
            return INVALID if len(errors) > before else out

        return list_check
    if origin is dict:
        key_type, value_type = typing.get_args(bare)
        key_check, value_check = compile_annotation(key_type), compile_annotation(value_type)

        def dict_check(value: Any, loc: Loc, errors: list[ErrorDict]) -> Any:
            if not isinstance(value, dict):
                return _error(errors, "dict_type", loc, "Input should be a valid dictionary")
            before = len(errors)
            out = {}
            for k, v in value.items():
                key = key_check(k, (*loc, k, "[key]"), errors)
                item = value_check(v, (*loc, k), errors)
                out[key] = item
            return INVALID if len(errors) > before else out

        return dict_check
    if isinstance(bare, type) and issubclass(bare, Section):
        # Looked up on each call: a section may refer to one declared after it.
        return lambda value, loc, errors: _checker(bare)(value, loc, errors)  # noqa: PLW0108
    raise TypeError(f"envgen.schema.model cannot validate {bare!r}")
