"""Validate loaded policy data into a `Policy`, with every problem mapped to file:line:col.

Three passes, all reported together: literal tokens anywhere (before the model sees them, so
that no message can ever contain one), the policy model (envgen.schema.model), then cross-field
checks.
"""

from __future__ import annotations

import difflib
import re
import typing
import unicodedata
from collections.abc import Collection
from typing import Any

from envgen.diagnostics import Diagnostic, error, sort_diagnostics
from envgen.errors import PolicyError
from envgen.findings import from_finding
from envgen.loader import LoadedPolicy
from envgen.schema.checks import check_policy
from envgen.schema.fields import split_annotated, union_members
from envgen.schema.model import Section, ValidationError, resolved_fields
from envgen.schema.policy import Policy
from envgen.secrets import UNSAFE_CATEGORIES, excerpt, find_token_values
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
    unsafe = _unsafe_text(loaded)
    try:
        policy = Policy.model_validate(loaded.data)
    except ValidationError as exc:
        diags.extend(_map_error(loaded, err) for err in exc.errors(include_input=False))
        # A value the model refuses already has its error; say more only about the others.
        refused = {d.position for d in diags}
        diags += [d for d in unsafe if d.position not in refused]
        raise PolicyError(sort_diagnostics(diags)) from None
    if unsafe:
        raise PolicyError(sort_diagnostics(unsafe))
    for found in check_policy(policy, set(target_names)):
        where = loaded.positions.value(found.loc) if found.loc is not None else None
        diags.append(from_finding(found, where))
    if any(d.severity.value == "error" for d in diags):
        raise PolicyError(sort_diagnostics(diags))
    return policy, sort_diagnostics(diags)


def _unsafe_text(loaded: LoadedPolicy) -> list[Diagnostic]:
    """Every key and string holding a control character, a format character (such as a bidi
    override) or a line or paragraph separator (U+0085, U+2028, U+2029 included).

    Such a character in any value can end a line in some file format (a YAML or TOML header
    comment, a `run: |` block, an INI value) and so add keys to a generated file, or rewrite a
    terminal's output; no field of a policy needs one, so they are refused before any model or
    generator sees the text.
    """
    out: list[Diagnostic] = []

    def bad(text: str) -> str | None:
        found = next((c for c in text if unicodedata.category(c) in UNSAFE_CATEGORIES), None)
        return None if found is None else f"U+{ord(found):04X}"

    def walk(value: Any, loc: Loc) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                code = bad(key)
                if code is not None:
                    out.append(
                        error(
                            f"{format_loc(loc) if loc else '(policy)'}: a key contains {code}, a "
                            "control character or line break; remove it",
                            loaded.positions.key((*loc, key)),
                        )
                    )
                walk(item, (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*loc, i))
        elif isinstance(value, str):
            code = bad(value)
            if code is not None:
                out.append(
                    error(
                        f"{format_loc(loc)}: contains {code}, a control character or line break "
                        "that would break the files envgen writes (or your terminal); remove it",
                        loaded.positions.value(loc),
                    )
                )

    walk(loaded.data, ())
    return out


def format_loc(loc: Loc) -> str:
    """``registries.npm.scopes.@acme.token`` / ``proxy.no_proxy[2]``; a key that is long, odd or
    token-shaped is excerpted (messages never repeat a secret)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = part if _PLAIN_KEY.fullmatch(part) else excerpt(part)
        out += f".{text}" if out else text
    return out or "(policy)"


_PLAIN_KEY = re.compile(r"[A-Za-z0-9@_./:-]{1,60}")


def _map_error(loaded: LoadedPolicy, err: Any) -> Diagnostic:
    loc: Loc = tuple(p for p in err["loc"] if p != "[key]")
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        where = f"{format_loc(loc[:-1])}: " if loc[:-1] else ""
        message = f"{where}unknown key {excerpt(key)}"
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(key[:100], allowed, n=1, cutoff=0.6)
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
    expected = str(err.get("ctx", {}).get("expected", ""))
    if kind == "literal_error" and "'" in expected:
        msg = _literal_message(loaded.data, loc, expected)
    if kind == "list_type":
        msg = (
            "must be a list: write it as a YAML list, [a, b] or one '- item' per line "
            "(a comma-separated string is one item)"
        )
    position = loaded.positions.key(loc) if "[key]" in err["loc"] else loaded.positions.value(loc)
    return error(f"{format_loc(loc)}: {msg}", position)


def _literal_message(data: Any, loc: Loc, expected: str) -> str:
    """`must be 'a' or 'b'`, with a did-you-mean for the value written where one is close."""
    choices = re.findall(r"'([^']*)'", expected)
    value: Any = data
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
            break
    close = (
        difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.8)
        if isinstance(value, str)
        else []
    )
    listed = ", ".join(choices)
    if close and isinstance(value, str):
        return f"unknown value {excerpt(value)}; did you mean '{close[0]}'? (one of: {listed})"
    return f"must be one of: {listed}"


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
    return list(model.model_fields)


def _step(annotation: Any, part: str | int) -> Any:
    model = _unwrap_model(annotation)
    if model is not None and isinstance(part, str):
        field = resolved_fields(model).get(part)
        return split_annotated(field.annotation)[0] if field else None
    for arg in _union_args(annotation):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is dict:
            return typing.get_args(arg)[1]
    return None


def _union_args(annotation: Any) -> list[Any]:
    members = union_members(annotation)
    return [split_annotated(m)[0] for m in members] if members else [annotation]


def _unwrap_model(annotation: Any) -> type[Section] | None:
    for arg in _union_args(annotation):
        if isinstance(arg, type) and issubclass(arg, Section):
            return arg
    return None
