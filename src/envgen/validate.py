"""Validate loaded policy data into a `Policy`, with every problem mapped to file:line:col.

Three passes, all reported together: literal tokens anywhere (before the model sees them, so
that no message can ever contain one), the pydantic model, then cross-field checks.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel, ValidationError

from envgen.diagnostics import Diagnostic, error, sort_diagnostics
from envgen.errors import PolicyError
from envgen.loader import LoadedPolicy
from envgen.schema.checks import check_policy
from envgen.schema.policy import Policy
from envgen.secrets import find_token_values
from envgen.sourcemap import Loc


def validate(
    loaded: LoadedPolicy, target_names: Collection[str]
) -> tuple[Policy, list[Diagnostic]]:
    """Return the policy and its warnings, or raise PolicyError with every error.

    `target_names` are the available targets (built in and from plugins): the model itself
    knows no target.
    """
    diags: list[Diagnostic] = []
    for loc, kind, is_key in find_token_values(loaded.data):
        where = loaded.positions.key(loc) if is_key else loaded.positions.value(loc)
        # A key that is a token must not appear in the path we print either.
        field = f"{format_loc(loc[:-1])}: a key" if is_key else format_loc(loc)
        diags.append(
            error(
                f"{field}: this looks like a literal {kind}; reference it from the "
                "environment as ${NAME} instead, and revoke it if it was ever committed "
                "(the value is not shown)",
                where,
            )
        )
    if diags:
        raise PolicyError(sort_diagnostics(diags))
    try:
        policy = Policy.model_validate(loaded.data)
    except ValidationError as exc:
        diags.extend(_map_error(loaded, err) for err in exc.errors(include_input=False))
        raise PolicyError(sort_diagnostics(diags)) from None
    for found in check_policy(policy, set(target_names)):
        where = loaded.positions.value(found.loc) if found.loc is not None else None
        diags.append(Diagnostic(found.severity, found.message, where))
    if any(d.severity.value == "error" for d in diags):
        raise PolicyError(sort_diagnostics(diags))
    return policy, sort_diagnostics(diags)


def format_loc(loc: Loc) -> str:
    """``registries.npm.scopes.@acme.token`` / ``proxy.no_proxy[2]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(policy)"


def _map_error(loaded: LoadedPolicy, err: Any) -> Diagnostic:
    loc: Loc = tuple(p for p in err["loc"] if p != "[key]")
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        message = (
            f"{format_loc(loc[:-1])}: unknown key '{key}'" if loc[:-1] else (f"unknown key '{key}'")
        )
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean '{close[0]}'?"
        elif allowed:
            message += f" (allowed: {', '.join(allowed)})"
        return error(message, loaded.positions.key(loc))
    if kind == "missing":
        where = f"{format_loc(loc[:-1])}: " if loc[:-1] else ""
        return error(
            f"{where}missing required key '{loc[-1]}'",
            loaded.positions.value(loc[:-1]),
        )
    msg = str(err["msg"])
    msg = msg.replace("Input should be", "must be").replace("Value error, ", "")
    position = loaded.positions.key(loc) if "[key]" in err["loc"] else loaded.positions.value(loc)
    return error(f"{format_loc(loc)}: {msg}", position)


def _allowed_keys(loc: Loc) -> list[str]:
    """The keys a mapping at `loc` accepts, found by walking the model along `loc`."""
    annotation: Any = Policy
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    model = _unwrap_model(annotation)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _step(annotation: Any, part: str | int) -> Any:
    model = _unwrap_model(annotation)
    if model is not None and isinstance(part, str):
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        return field.annotation if field else None
    for arg in _union_args(annotation):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is dict:
            return typing.get_args(arg)[1]
    return None


def _union_args(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    return [annotation]


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for arg in _union_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None
